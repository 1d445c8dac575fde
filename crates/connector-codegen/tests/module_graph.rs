//! The crate's modules form no import cycle: the plan imports no emitter, and emitters
//! read the plan rather than each other. (Read from the sources: `crate::<module>` paths
//! outside `#[cfg(test)]` code.) No crate of the workspace, xtask included, has a cycle
//! between sibling modules at any depth (`super::` paths too). No function of the
//! workspace's own code (crates, their tests and benches, xtask, the end-to-end tests in
//! `tests/`) is over ~150 lines, and no such file is over 600.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module -> the top-level modules its non-test code names.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let files = rust_files(&[src.to_path_buf()]);
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let module = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let uses = graph.entry(module.clone()).or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    uses.insert(name);
                }
            }
            // `use crate::{a, b::c}` groups.
            if let Some(group) = line.trim().strip_prefix("use crate::{") {
                for part in group.trim_end_matches("};").split(',') {
                    let name = part.trim().split("::").next().unwrap_or_default();
                    if !name.is_empty() && name != module {
                        uses.insert(name.to_owned());
                    }
                }
            }
        }
    }
    graph
}

/// A cycle through `from`, if any.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut c = path[at..].to_vec();
            c.push(node.to_owned());
            return Some(c);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn codegen_modules_form_no_cycle() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert_eq!(cycle(&graph), None, "{graph:#?}");
    // The plan reads the model and types; it names no emitter.
    for emitter in [
        "operations",
        "dynamic",
        "triggers",
        "metadata",
        "client",
        "connection",
    ] {
        assert!(!graph["plan"].contains(emitter), "plan imports {emitter}");
    }
    for emitter in ["dynamic", "triggers", "metadata", "platform"] {
        assert!(
            !graph[emitter].contains("operations"),
            "{emitter} imports operations"
        );
    }
}

#[test]
fn spec_modules_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../connector-spec/src");
    let graph = module_graph(&src);
    assert!(graph.contains_key("normalize") && graph.contains_key("model"));
    // `normalize` submodules reach their parent with `super::`: not a cycle between
    // top-level modules.
    let cycle = cycle(&graph);
    assert!(cycle.is_none(), "{cycle:?}");
}

#[test]
fn no_crate_of_the_workspace_has_a_module_cycle() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap().flatten() {
        let src = entry.path().join("src");
        if !src.is_dir() {
            continue;
        }
        let graph = module_graph(&src);
        let cycle = cycle(&graph);
        assert!(cycle.is_none(), "{}: {cycle:?}", entry.path().display());
        checked.push(entry.file_name());
    }
    // spec, codegen, runtime, the CLI, lint and diff at least.
    assert!(checked.len() >= 6, "{checked:?}");
}

/// Every `.rs` file under `src`, sorted, with its module path (`a::b`; the crate root
/// is `""`). Test modules (`tests.rs`, files under a `tests/` folder) are left out.
fn module_files(src: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for path in rust_files(&[src.to_path_buf()]) {
        let rel = path.strip_prefix(src).unwrap();
        let mut segments: Vec<String> = rel
            .components()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_owned()
            })
            .collect();
        if segments.iter().any(|n| n == "tests") {
            continue;
        }
        if segments.len() == 1 && (segments[0] == "lib" || segments[0] == "main") {
            segments.clear();
        }
        if segments.last().is_some_and(|s| s == "mod") {
            segments.pop();
        }
        out.push((segments.join("::"), path));
    }
    out.sort();
    out
}

/// The paths `code` (the non-test code of module `module`) names through `crate::`,
/// `super::` or `self::`, made absolute (segments from the crate root); `use` groups
/// (`use super::{a, b::c};`) give one path per member.
fn named_paths(module: &str, code: &str) -> Vec<Vec<String>> {
    let here: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = ["crate::", "super::", "self::"]
        .iter()
        .filter_map(|k| rest.find(k).map(|i| (i, *k)))
        .min()
    {
        let (i, key) = at;
        let preceded = rest[..i].chars().last().is_some_and(ident);
        let mut tail = &rest[i + key.len()..];
        rest = tail;
        if preceded {
            continue;
        }
        let mut base: Vec<String> = match key {
            "crate::" => Vec::new(),
            "self::" => here.iter().map(|s| s.to_string()).collect(),
            _ => here[..here.len().saturating_sub(1)]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        while let Some(more) = tail.strip_prefix("super::") {
            base.pop();
            tail = more;
        }
        rest = tail;
        let members: Vec<&str> = match tail.strip_prefix('{') {
            Some(group) => group
                .split('}')
                .next()
                .unwrap_or_default()
                .split(',')
                .collect(),
            None => vec![tail],
        };
        for member in members {
            let mut path = base.clone();
            for segment in member.trim().split("::") {
                let name: String = segment.chars().take_while(|c| ident(*c)).collect();
                if name.is_empty() {
                    break;
                }
                let whole = name.len() == segment.len();
                path.push(name);
                if !whole {
                    break;
                }
            }
            out.push(path);
        }
    }
    out
}

/// Module -> the sibling modules it names, at every depth: a path from `p::a` (or
/// below) into `p::b` (or below) is an edge `p::a -> p::b`; paths to an ancestor or a
/// descendant are not.
fn sibling_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files = module_files(src);
    let modules: BTreeSet<Vec<String>> = files
        .iter()
        .map(|(m, _)| {
            m.split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file) in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let from: Vec<String> = module
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        for path in named_paths(module, code) {
            // The longest prefix of the path that is a module.
            let Some(to) = (1..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| modules.contains(p))
            else {
                continue;
            };
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common == from.len() || common == to.len() {
                continue;
            }
            graph
                .entry(from[..=common].join("::"))
                .or_default()
                .insert(to[..=common].join("::"));
        }
    }
    graph
}

/// The `src/` folders of every crate of the workspace and of xtask.
fn workspace_sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .unwrap()
        .flatten()
        .map(|e| e.path().join("src"))
        .filter(|p| p.is_dir())
        .collect();
    out.push(root.join("xtask/src"));
    out.sort();
    out
}

#[test]
fn no_crate_nor_xtask_has_a_cycle_between_sibling_modules() {
    let sources = workspace_sources();
    // spec, codegen, runtime, the CLI, lint, diff and xtask at least.
    assert!(sources.len() >= 7, "{sources:?}");
    let mut cycles = Vec::new();
    for src in sources {
        let graph = sibling_graph(&src);
        assert!(!graph.is_empty(), "{} names no module", src.display());
        if let Some(cycle) = cycle(&graph) {
            cycles.push(format!("{}: {}", src.display(), cycle.join(" -> ")));
        }
    }
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

#[test]
fn sibling_edges_follow_super_crate_and_use_groups() {
    let super_group = named_paths(
        "layout::items",
        "use super::{calls::split_args, MAX};\nfoo();",
    );
    assert_eq!(
        super_group,
        vec![
            vec![
                "layout".to_owned(),
                "calls".to_owned(),
                "split_args".to_owned()
            ],
            vec!["layout".to_owned(), "MAX".to_owned()],
        ]
    );
    let crate_path = named_paths("a::b", "let x = crate::c::d(); let y = super::super::e::F;");
    assert_eq!(
        crate_path,
        vec![
            vec!["c".to_owned(), "d".to_owned()],
            vec!["e".to_owned(), "F".to_owned()]
        ]
    );
}

/// Lines of every function (free, in an impl or a trait, in nested modules) of `file`
/// as prettyplease prints it alone (comments other than docs dropped; the sources are
/// rustfmt-formatted, so this is close to their length), with its name.
fn function_lengths(file: &Path) -> Vec<(String, usize)> {
    fn length(item: syn::Item) -> usize {
        let file = syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item],
        };
        prettyplease::unparse(&file).lines().count()
    }
    fn walk(items: Vec<syn::Item>, out: &mut Vec<(String, usize)>) {
        for item in items {
            match item {
                syn::Item::Fn(f) => {
                    let name = f.sig.ident.to_string();
                    out.push((name, length(syn::Item::Fn(f))));
                }
                syn::Item::Impl(imp) => {
                    for member in imp.items {
                        if let syn::ImplItem::Fn(f) = member {
                            let name = f.sig.ident.to_string();
                            let free = syn::ItemFn {
                                attrs: f.attrs,
                                vis: f.vis,
                                sig: f.sig,
                                block: Box::new(f.block),
                            };
                            out.push((name, length(syn::Item::Fn(free))));
                        }
                    }
                }
                syn::Item::Trait(t) => {
                    for member in t.items {
                        if let syn::TraitItem::Fn(f) = member
                            && let Some(block) = f.default
                        {
                            let name = f.sig.ident.to_string();
                            let free = syn::ItemFn {
                                attrs: f.attrs,
                                vis: syn::Visibility::Inherited,
                                sig: f.sig,
                                block: Box::new(block),
                            };
                            out.push((name, length(syn::Item::Fn(free))));
                        }
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = m.content {
                        walk(items, out);
                    }
                }
                _ => {}
            }
        }
    }
    let text = std::fs::read_to_string(file).unwrap();
    let Ok(parsed) = syn::parse_file(&text) else {
        panic!("{} parses", file.display());
    };
    let mut out = Vec::new();
    walk(parsed.items, &mut out);
    out
}

/// Every `.rs` file below `roots`, sorted. Folders named `fixtures` or `snapshots`
/// (test data) and `target` (build output) are not entered.
fn rust_files(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = roots.to_vec();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !["fixtures", "snapshots", "target"]
                    .iter()
                    .any(|skip| path.ends_with(skip))
                {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The workspace's own Rust code: every crate (sources, tests, benches), xtask (with
/// its bench programs) and the end-to-end package in `tests/` (its `tests/**/*.rs`
/// included).
fn workspace_code() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = rust_files(&[root.join("crates"), root.join("xtask"), root.join("tests")]);
    for must in ["xtask/src/main.rs", "tests/tests/fidelity_paging.rs"] {
        assert!(files.iter().any(|f| f.ends_with(must)), "{must} is checked");
    }
    files
}

#[test]
fn no_function_in_the_crates_tests_or_xtask_is_over_150_lines() {
    let mut long = Vec::new();
    let mut counted = 0;
    for path in workspace_code() {
        for (name, lines) in function_lengths(&path) {
            counted += 1;
            if lines > 150 {
                long.push(format!("{}: {name} ({lines} lines)", path.display()));
            }
        }
    }
    assert!(counted > 1000, "{counted} functions");
    assert!(
        long.is_empty(),
        "functions over 150 lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn function_lengths_are_measured() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.rs");
    let body = "    let x = 1;\n".repeat(160);
    std::fs::write(
        &file,
        format!("fn short() {{}}\nstruct S;\nimpl S {{\n    fn long() {{\n{body}    }}\n}}\n"),
    )
    .unwrap();
    let lengths = function_lengths(&file);
    assert_eq!(lengths[0], ("short".to_owned(), 1));
    assert_eq!(lengths[1].0, "long");
    assert!(lengths[1].1 > 150, "{lengths:?}");
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"])]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
            .collect();
    assert_eq!(
        cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

#[test]
fn no_source_file_in_the_crates_tests_or_xtask_is_over_600_lines() {
    let files = workspace_code();
    assert!(files.len() > 100, "{} files", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let lines = std::fs::read_to_string(path).unwrap().lines().count();
            (lines > 600).then(|| format!("{}: {lines} lines", path.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over 600 lines:\n{}",
        long.join("\n")
    );
}
