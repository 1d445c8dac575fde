//! Which origins may receive the credentials the runtime attaches.
//!
//! An origin is a URL's (scheme, host, port), compared as the `url` crate's
//! [`url::Origin`]. Credentials (every kind of [`crate::Auth`], headers and query
//! parameters whose names are on the redaction list, signatures) go only to:
//!
//! - the client's base origin;
//! - origins the definition itself routes to (`dynamichosturl`, `dynamicsubdomain`),
//!   registered at run time through [`TrustedOrigins::trust`];
//! - origins the user trusts explicitly ([`crate::ClientBuilder::trust_origin`]).
//!
//! Every other URL (next links, polling `Location`, upload / download URLs, redirect
//! targets) is still called, but bare.

use std::collections::HashSet;
use std::sync::RwLock;

use url::{Origin, Url};

/// The origins the client's credentials may be sent to.
#[derive(Debug)]
pub struct TrustedOrigins {
    base: Origin,
    /// Explicitly trusted by the user, fixed at build time.
    explicit: Vec<Origin>,
    /// Registered by the definition's routing policies; grows with the (few) distinct
    /// hosts a connection routes to.
    routed: RwLock<HashSet<Origin>>,
}

impl TrustedOrigins {
    /// The base URL's origin plus `explicit` ones.
    pub fn new(base: &Url, explicit: Vec<Origin>) -> Self {
        TrustedOrigins {
            base: base.origin(),
            explicit,
            routed: RwLock::new(HashSet::new()),
        }
    }

    /// Whether `url` may carry the client's credentials. Opaque origins (`data:`,
    /// `file:`) never may.
    pub fn is_trusted(&self, url: &Url) -> bool {
        let origin = url.origin();
        if !origin.is_tuple() {
            return false;
        }
        if origin == self.base || self.explicit.contains(&origin) {
            return true;
        }
        self.routed
            .read()
            .map(|r| r.contains(&origin))
            .unwrap_or(false)
    }

    /// Trust the origin of `url` (the definition routes there). Unparseable text is
    /// ignored: a request to it fails on its own.
    pub fn trust(&self, url: &str) {
        let Ok(parsed) = Url::parse(url) else {
            return;
        };
        let origin = parsed.origin();
        if !origin.is_tuple() || origin == self.base || self.explicit.contains(&origin) {
            return;
        }
        if let Ok(mut routed) = self.routed.write() {
            routed.insert(origin);
        }
    }
}

/// The origin of `text`, for the builder's explicit trust list.
pub(crate) fn parse_origin(text: &str) -> Option<Origin> {
    let origin = Url::parse(text).ok()?.origin();
    origin.is_tuple().then_some(origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL parses")
    }

    #[test]
    fn only_base_explicit_and_routed_origins_are_trusted() {
        let explicit = vec![parse_origin("https://files.example.com").expect("origin")];
        let t = TrustedOrigins::new(&url("https://api.example.com/v1"), explicit);
        assert!(t.is_trusted(&url("https://api.example.com/other?x=1")));
        assert!(t.is_trusted(&url("https://api.example.com:443/")));
        assert!(!t.is_trusted(&url("http://api.example.com/")), "scheme");
        assert!(!t.is_trusted(&url("https://api.example.com:8443/")), "port");
        assert!(!t.is_trusted(&url("https://evil.example.com/")), "host");
        assert!(t.is_trusted(&url("https://files.example.com/f")));
        assert!(!t.is_trusted(&url("https://tenant.example.com/")));
        t.trust("https://tenant.example.com/base");
        assert!(t.is_trusted(&url("https://tenant.example.com/x")));
        assert!(!t.is_trusted(&url("data:text/plain,hi")));
    }
}
