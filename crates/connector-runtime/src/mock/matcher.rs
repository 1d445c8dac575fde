//! [`OperationMatcher`]: matches a request the way a generated client sends one — method,
//! path template (given parameters as exact segments, the rest as any segment), query
//! pairs and headers — as one `wiremock` matcher.
//!
//! Hand-written rather than composed from `wiremock::matchers`: `path_regex` would need
//! the template turned into a regex with every literal escaped, and `query_param` /
//! `header` cannot say "this pair among repeated ones" or compare percent-decoded path
//! segments, which is what makes a matcher agree with the client's own encoders.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use wiremock::{Match, Request as WireRequest};

/// One piece of a path segment pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Text that must appear as-is (percent-decoded).
    Literal(String),
    /// A parameter the mock leaves open: any text.
    Any,
}

/// The pattern of one path segment, e.g. `items({id})` -> `items(`, any, `)`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SegmentPattern(Vec<Piece>);

impl SegmentPattern {
    /// Parses an encoded segment in which unsubstituted `{name}` placeholders match any
    /// text. (Substituted values are percent-encoded, so a `{` left in the path is always
    /// a placeholder of the template.)
    fn parse(segment: &str) -> Self {
        let mut pieces = Vec::new();
        let mut rest = segment;
        while let Some(open) = rest.find('{') {
            let Some(len) = rest[open..].find('}') else {
                break;
            };
            if open > 0 {
                pieces.push(Piece::Literal(decode(&rest[..open]).into_owned()));
            }
            pieces.push(Piece::Any);
            rest = &rest[open + len + 1..];
        }
        if !rest.is_empty() || pieces.is_empty() {
            pieces.push(Piece::Literal(decode(rest).into_owned()));
        }
        SegmentPattern(pieces)
    }

    /// Whether the decoded segment `text` matches: literals in order, the first anchored
    /// at the start and the last at the end, `Any` pieces taking whatever lies between.
    fn matches(&self, text: &str) -> bool {
        let pieces = &self.0;
        let mut at = 0;
        for (i, piece) in pieces.iter().enumerate() {
            let Piece::Literal(lit) = piece else {
                continue;
            };
            let first = i == 0;
            let last = i + 1 == pieces.len();
            let rest = &text[at..];
            if first && last {
                return rest == lit;
            }
            if first {
                if !rest.starts_with(lit.as_str()) {
                    return false;
                }
                at += lit.len();
            } else if last {
                return rest.len() >= lit.len() && rest.ends_with(lit.as_str());
            } else {
                match rest.find(lit.as_str()) {
                    Some(found) => at += found + lit.len(),
                    None => return false,
                }
            }
        }
        true
    }
}

/// Percent-decodes `text`, leaving invalid escapes and invalid UTF-8 lossy.
fn decode(text: &str) -> Cow<'_, str> {
    percent_decode_str(text).decode_utf8_lossy()
}

/// Splits an absolute path into its segments (without the leading `/`).
fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.strip_prefix('/').unwrap_or(path).split('/')
}

/// Matches what a generated client sends for one operation. Built by
/// [`MockRequest`](super::MockRequest); usable as any `wiremock` matcher.
#[derive(Debug, Clone)]
pub struct OperationMatcher {
    method: http::Method,
    base: Option<Vec<String>>,
    path: Vec<SegmentPattern>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl OperationMatcher {
    /// A matcher for `method` on `path` — a template with the given parameters already
    /// substituted (and encoded) and the others left as `{name}` — below `base_path`
    /// (`None`: below any base path), expecting each `query` pair and each header.
    pub(super) fn new(
        method: http::Method,
        path: &str,
        base_path: Option<&str>,
        query: Vec<(String, String)>,
        headers: Vec<(String, String)>,
    ) -> Self {
        // A template may carry a fixed query (`/items?api-version=1`): it is expected too.
        let (path, fixed_query) = path.split_once('?').unwrap_or((path, ""));
        let mut expected: Vec<(String, String)> =
            url::form_urlencoded::parse(fixed_query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        expected.extend(query);
        let base = base_path.map(|b| {
            let trimmed = b.trim_end_matches('/');
            if trimmed.is_empty() {
                Vec::new()
            } else {
                segments(trimmed).map(|s| decode(s).into_owned()).collect()
            }
        });
        OperationMatcher {
            method,
            base,
            path: segments(path).map(SegmentPattern::parse).collect(),
            query: expected,
            headers,
        }
    }

    fn path_matches(&self, path: &str) -> bool {
        let actual: Vec<Cow<'_, str>> = segments(path).map(decode).collect();
        let Some(prefix_len) = actual.len().checked_sub(self.path.len()) else {
            return false;
        };
        let (prefix, tail) = actual.split_at(prefix_len);
        if let Some(base) = &self.base
            && (prefix.len() != base.len() || prefix.iter().zip(base).any(|(a, b)| a != b))
        {
            return false;
        }
        self.path.iter().zip(tail).all(|(p, a)| p.matches(a))
    }

    fn query_matches(&self, request: &WireRequest) -> bool {
        if self.query.is_empty() {
            return true;
        }
        let actual: Vec<(Cow<'_, str>, Cow<'_, str>)> = request.url.query_pairs().collect();
        self.query
            .iter()
            .all(|(k, v)| actual.iter().any(|(ak, av)| ak == k && av == v))
    }

    fn headers_match(&self, request: &WireRequest) -> bool {
        self.headers.iter().all(|(name, expected)| {
            request.headers.get_all(name.as_str()).iter().any(|value| {
                let Ok(value) = value.to_str() else {
                    return false;
                };
                // Cookie parameters travel as `name=value` pairs of a Cookie header.
                value == expected
                    || (name.eq_ignore_ascii_case("cookie")
                        && value.split(';').any(|pair| pair.trim() == expected))
            })
        })
    }
}

impl Match for OperationMatcher {
    fn matches(&self, request: &WireRequest) -> bool {
        request.method == self.method
            && self.path_matches(request.url.path())
            && self.query_matches(request)
            && self.headers_match(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(pattern: &str, text: &str) -> bool {
        SegmentPattern::parse(pattern).matches(text)
    }

    #[test]
    fn segments_match_literals_exactly_and_placeholders_as_any_text() {
        assert!(segment("invoices", "invoices"));
        assert!(!segment("invoices", "invoice"));
        assert!(segment("{id}", "INV-1"));
        assert!(segment("{id}", ""));
        assert!(segment("items({id})", "items('a')"));
        assert!(!segment("items({id})", "items('a'"));
        assert!(!segment("items({id})", "item('a')"));
        assert!(segment("{name}.json", "a.json"));
        assert!(!segment("{name}.json", "a.xml"));
        assert!(segment("{a}-{b}", "x-y"));
        assert!(!segment("{a}-{b}", "xy"));
        // Substituted values are compared decoded, as the server sees them.
        assert!(segment("x%20y%2Fz", "x y/z"));
        assert!(!segment("x%20y%2Fz", "x y"));
    }

    fn matcher(path: &str, base: Option<&str>) -> OperationMatcher {
        OperationMatcher::new(http::Method::GET, path, base, Vec::new(), Vec::new())
    }

    #[test]
    fn paths_match_below_any_base_path_unless_one_is_pinned() {
        let m = matcher("/invoices/{invoiceId}", None);
        assert!(m.path_matches("/invoices/INV-1"));
        assert!(m.path_matches("/sales/v1/invoices/INV-1"));
        assert!(!m.path_matches("/invoices"));
        assert!(!m.path_matches("/invoices/INV-1/status"));
        let pinned = matcher("/invoices/{invoiceId}", Some("/api/"));
        assert!(pinned.path_matches("/api/invoices/INV-1"));
        assert!(!pinned.path_matches("/invoices/INV-1"));
        assert!(!pinned.path_matches("/v2/api/invoices/INV-1"));
        let root = matcher("/invoices/INV-1", Some(""));
        assert!(root.path_matches("/invoices/INV-1"));
        assert!(!root.path_matches("/api/invoices/INV-1"));
    }

    #[test]
    fn a_fixed_query_in_the_template_is_expected() {
        let m = matcher("/items?api-version=2024-01-01", None);
        assert_eq!(
            m.query,
            vec![("api-version".to_owned(), "2024-01-01".to_owned())]
        );
        assert!(m.path_matches("/items"));
    }
}
