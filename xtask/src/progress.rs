//! Progress bars for the long runs (`corpus`, `history`, `lint-corpus`): drawn on a
//! terminal only, hidden when stderr is not one or when `CI` is set, so logs stay clean.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Whether progress is drawn: stderr is a terminal and `CI` is not set.
pub fn visible() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A bar of `len` steps labelled `what`, hidden when [`visible`] is false.
pub fn bar(what: &str, len: usize) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    // The template is a constant: when it fails to parse, the default style serves.
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix:>12} [{bar:40}] {pos}/{len} {elapsed_precise} (eta {eta}) {msg}",
    ) {
        bar.set_style(style.progress_chars("#>-"));
    }
    bar.set_prefix(what.to_owned());
    bar
}
