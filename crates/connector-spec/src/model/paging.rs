//! How a list operation pages: declared (`x-ms-pageable`, a vendor extension), inferred
//! from its parameters and response, or set by the user ([`PagingOverride`]).
//!
//! Paths into a response body are dot-separated property names (`meta.next_page_url`;
//! `""` is the body itself); a property whose name holds dots (`@odata.nextLink`) is
//! matched whole first.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// How an operation's results are paged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pageable {
    /// Path of the items array in the response body (`""`: the body is the array).
    pub items: String,
    /// How the next page is requested.
    pub pattern: PagingPattern,
    /// Where the paging came from.
    pub origin: PagingOrigin,
}

/// How the next page is requested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PagingPattern {
    /// The next page's URL (absolute or relative to the request) is in the body.
    NextLink {
        /// Its path; `None`: a single page (`x-ms-pageable` with `nextLinkName: null`).
        path: Option<String>,
    },
    /// A cursor read from the response is sent back in a query parameter (or a member
    /// of the JSON request body).
    Cursor {
        /// The query parameter carrying the cursor (with `in_body`: the dot path of the
        /// body member).
        param: String,
        /// The cursor goes in the JSON request body (`x-speakeasy-pagination` inputs
        /// `in: requestBody`), not the query.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        in_body: bool,
        /// Path of the next cursor in the body.
        next: Option<String>,
        /// When `next` is absent or empty, the cursor is this field of the page's last
        /// item (`id` for `starting_after`).
        last_item_field: Option<String>,
        /// Path of a boolean that is false on the last page.
        has_more: Option<String>,
    },
    /// An offset query parameter advanced by the number of items received.
    Offset {
        /// The offset parameter.
        param: String,
        /// The page-size (limit) parameter, when there is one.
        limit_param: Option<String>,
        /// Path of the total number of items.
        total: Option<String>,
        /// Path of a boolean that is false on the last page.
        has_more: Option<String>,
    },
    /// A page-number query parameter advanced by one.
    Page {
        /// The page parameter.
        param: String,
        /// The page-size parameter, when there is one.
        size_param: Option<String>,
        /// The first page's number: 1, unless the page parameter's schema says
        /// otherwise (`minimum: 0`, or `default: 0`).
        #[serde(skip_serializing_if = "is_one")]
        first_page: u64,
        /// Path of the total number of pages.
        total_pages: Option<String>,
        /// Path of the total number of items.
        total: Option<String>,
        /// Path of a boolean that is false on the last page.
        has_more: Option<String>,
    },
    /// An RFC 8288 `Link: <url>; rel="next"` response header.
    LinkHeader,
}

/// Where an operation's paging came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PagingOrigin {
    /// Declared by this extension (`x-ms-pageable`, `x-speakeasy-pagination`, ...).
    Declared(String),
    /// Inferred from the operation's parameters and response.
    Inferred,
    /// Set by a [`PagingOverride`].
    Override,
}

impl Pageable {
    /// The next link's path, when the pattern is a next link with one.
    pub fn next_link(&self) -> Option<&str> {
        match &self.pattern {
            PagingPattern::NextLink { path } => path.as_deref(),
            _ => None,
        }
    }

    /// One line for docs: the pattern and where it came from, e.g. "inferred: next link
    /// at `meta.next_page_url`, items at `messages`".
    pub fn describe(&self) -> String {
        let origin = match &self.origin {
            PagingOrigin::Declared(ext) => format!("declared by `{ext}`"),
            PagingOrigin::Inferred => "inferred from the parameters and response".to_owned(),
            PagingOrigin::Override => "set by a paging override".to_owned(),
        };
        let items = if self.items.is_empty() {
            "the body is the items array".to_owned()
        } else {
            format!("items at `{}`", self.items)
        };
        format!("{origin}: {}; {items}", self.pattern.describe())
    }
}

fn is_one(n: &u64) -> bool {
    *n == 1
}

fn opt(prefix: &str, path: &Option<String>) -> String {
    path.as_ref()
        .map(|p| format!(", {prefix} `{p}`"))
        .unwrap_or_default()
}

impl PagingPattern {
    /// The pattern in words, e.g. "cursor `after` from `last_id`, while `has_more`".
    pub fn describe(&self) -> String {
        match self {
            PagingPattern::NextLink { path: Some(p) } => format!("next link at `{p}`"),
            PagingPattern::NextLink { path: None } => "a single page".to_owned(),
            PagingPattern::Cursor {
                param,
                in_body,
                next,
                last_item_field,
                has_more,
            } => {
                let mut from = next
                    .as_ref()
                    .map(|n| format!(" from `{n}`"))
                    .unwrap_or_default();
                if let Some(f) = last_item_field {
                    let or = if from.is_empty() { " from" } else { " or" };
                    from.push_str(&format!("{or} the last item's `{f}`"));
                }
                format!(
                    "cursor `{param}`{}{from}{}",
                    if *in_body { " in the request body" } else { "" },
                    has_more
                        .as_ref()
                        .map(|h| format!(", while `{h}`"))
                        .unwrap_or_default()
                )
            }
            PagingPattern::Offset {
                param,
                limit_param,
                total,
                has_more,
            } => format!(
                "offset `{param}`{}{}{}",
                opt("limit", limit_param),
                opt("total at", total),
                opt("while", has_more)
            ),
            PagingPattern::Page {
                param,
                size_param,
                total_pages,
                total,
                has_more,
                first_page,
            } => format!(
                "page number `{param}`{}{}{}{}{}",
                if *first_page == 1 {
                    String::new()
                } else {
                    format!(" from {first_page}")
                },
                opt("page size", size_param),
                opt("page count at", total_pages),
                opt("total at", total),
                opt("while", has_more)
            ),
            PagingPattern::LinkHeader => "`Link` response header (rel=\"next\")".to_owned(),
        }
    }
}

/// A user's correction of an operation's paging: none at all, or an explicit pattern.
///
/// Parsed from `none`, `next-link:<path>`, `cursor:<param>=<path>`,
/// `offset:<param>,<limit-param>`, `page:<param>[,<size-param>]` or `link-header`,
/// optionally followed by `;items=<path>` (default: the items array found in the
/// response schema).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PagingOverride {
    /// The operation is not paged.
    None,
    /// The operation pages this way.
    Pattern {
        /// How the next page is requested.
        pattern: PagingPattern,
        /// Path of the items; `None`: found in the response schema.
        items: Option<String>,
    },
}

/// A paging override that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid paging `{text}`: {reason} (expected none, next-link:<path>, cursor:<param>=<path>, offset:<param>,<limit-param>, page:<param>[,<size-param>] or link-header, optionally ;items=<path>)"
)]
pub struct PagingOverrideError {
    text: String,
    reason: &'static str,
}

impl FromStr for PagingOverride {
    type Err = PagingOverrideError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |reason| PagingOverrideError {
            text: text.to_owned(),
            reason,
        };
        let (spec, items) = match text.split_once(";items=") {
            Some((spec, items)) => (spec.trim(), Some(items.trim().to_owned())),
            None => (text.trim(), None),
        };
        let (kind, arg) = match spec.split_once(':') {
            Some((k, a)) => (k.trim(), Some(a.trim())),
            None => (spec, None),
        };
        let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let pattern = match (kind.to_ascii_lowercase().as_str(), arg) {
            ("none", None) => return Ok(PagingOverride::None),
            ("link-header", None) => PagingPattern::LinkHeader,
            ("next-link", Some(path)) => PagingPattern::NextLink {
                path: Some(non_empty(path).ok_or_else(|| err("next-link needs a path"))?),
            },
            ("cursor", Some(arg)) => {
                let (param, next) = arg
                    .split_once('=')
                    .ok_or_else(|| err("cursor needs <param>=<path>"))?;
                PagingPattern::Cursor {
                    param: non_empty(param.trim())
                        .ok_or_else(|| err("cursor needs a parameter"))?,
                    in_body: false,
                    next: Some(non_empty(next.trim()).ok_or_else(|| err("cursor needs a path"))?),
                    last_item_field: None,
                    has_more: None,
                }
            }
            ("offset", Some(arg)) => {
                let (param, limit) = arg
                    .split_once(',')
                    .ok_or_else(|| err("offset needs <param>,<limit-param>"))?;
                PagingPattern::Offset {
                    param: non_empty(param.trim())
                        .ok_or_else(|| err("offset needs a parameter"))?,
                    limit_param: non_empty(limit.trim()),
                    total: None,
                    has_more: None,
                }
            }
            ("page", Some(arg)) => {
                let (param, size) = match arg.split_once(',') {
                    Some((p, s)) => (p.trim(), non_empty(s.trim())),
                    None => (arg, None),
                };
                PagingPattern::Page {
                    param: non_empty(param).ok_or_else(|| err("page needs a parameter"))?,
                    size_param: size,
                    first_page: 1,
                    total_pages: None,
                    total: None,
                    has_more: None,
                }
            }
            ("none" | "link-header", Some(_)) => return Err(err("takes no argument")),
            ("next-link" | "cursor" | "offset" | "page", None) => {
                return Err(err("needs an argument after `:`"));
            }
            _ => return Err(err("unknown paging kind")),
        };
        Ok(PagingOverride::Pattern { pattern, items })
    }
}

impl fmt::Display for PagingOverride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (pattern, items) = match self {
            PagingOverride::None => return f.write_str("none"),
            PagingOverride::Pattern { pattern, items } => (pattern, items),
        };
        match pattern {
            PagingPattern::NextLink { path } => {
                write!(f, "next-link:{}", path.as_deref().unwrap_or(""))?
            }
            PagingPattern::Cursor { param, next, .. } => {
                write!(f, "cursor:{param}={}", next.as_deref().unwrap_or(""))?
            }
            PagingPattern::Offset {
                param, limit_param, ..
            } => write!(f, "offset:{param},{}", limit_param.as_deref().unwrap_or(""))?,
            PagingPattern::Page {
                param, size_param, ..
            } => match size_param {
                Some(s) => write!(f, "page:{param},{s}")?,
                None => write!(f, "page:{param}")?,
            },
            PagingPattern::LinkHeader => f.write_str("link-header")?,
        }
        match items {
            Some(items) => write!(f, ";items={items}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_override_form_parses_and_prints_back() {
        for text in [
            "none",
            "link-header",
            "next-link:meta.next_page_url",
            "cursor:after=last_id",
            "offset:offset,limit",
            "page:page",
            "page:page,per_page",
            "next-link:@odata.nextLink;items=value",
        ] {
            let parsed: PagingOverride = text.parse().expect(text);
            assert_eq!(parsed.to_string(), text);
        }
        assert_eq!(
            "cursor:after=last_id".parse::<PagingOverride>(),
            Ok(PagingOverride::Pattern {
                pattern: PagingPattern::Cursor {
                    param: "after".into(),
                    in_body: false,
                    next: Some("last_id".into()),
                    last_item_field: None,
                    has_more: None,
                },
                items: None,
            })
        );
    }

    #[test]
    fn malformed_overrides_are_errors_that_name_the_text() {
        for text in [
            "",
            "cursor:after",
            "cursor:=x",
            "offset:offset",
            "next-link:",
            "none:x",
            "page",
            "teleport:x",
        ] {
            let e = text.parse::<PagingOverride>().expect_err(text);
            assert!(e.to_string().contains(&format!("`{text}`")), "{e}");
        }
    }
}
