//! Redaction of secrets in headers, URLs and JSON before anything is logged.

use std::collections::HashSet;

/// The placeholder written instead of a secret.
pub const REDACTED: &str = "[redacted]";

/// URL text without its userinfo (for `Debug` of configuration that has no redactor);
/// text that is not a URL is replaced whole.
pub(crate) fn url_text_without_userinfo(text: &str) -> String {
    Redactor::default().url_text(text)
}

/// URL text for `Debug` of a request: userinfo removed and every query value replaced
/// (a next-page link may carry a signature or key under any name); text that is not a
/// URL is replaced whole.
pub(crate) fn url_text_for_debug(text: &str) -> String {
    let Ok(mut url) = reqwest::Url::parse(text) else {
        return REDACTED.to_owned();
    };
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if url.query().is_some() {
        let names: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(names.iter().map(|k| (k, REDACTED)));
    }
    url.to_string()
}

/// A header map for `Debug`: names with their values, except the values of headers
/// sensitive by default ([`RedactionConfig::default`]) or marked sensitive, which are
/// replaced by [`REDACTED`]. For response headers, whose names say what they hold.
pub(crate) struct HeaderMapDebug<'a>(pub(crate) &'a http::HeaderMap);

impl std::fmt::Debug for HeaderMapDebug<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let defaults = default_redactor();
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if defaults.is_sensitive_header(name.as_str()) || value.is_sensitive() {
                map.entry(&name.as_str(), &REDACTED);
            } else {
                map.entry(&name.as_str(), &value.to_str().unwrap_or("<binary>"));
            }
        }
        map.finish()
    }
}

/// `(name, value)` pairs for `Debug` with every value replaced by [`REDACTED`]: the
/// headers and query of a request described by generated code, where any name may
/// carry a credential (an API key's parameter name is the connector's choice).
pub(crate) struct NamesOnlyDebug<'a>(pub(crate) &'a [(String, String)]);

impl std::fmt::Debug for NamesOnlyDebug<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, _)| (name, REDACTED)))
            .finish()
    }
}

/// A next-page link or cursor for `Debug`: an absolute URL as [`url_text_for_debug`]
/// shows it; anything else (an offset, a page number, a cursor) as it is.
pub(crate) fn link_for_debug(text: &str) -> String {
    if reqwest::Url::parse(text).is_ok() {
        url_text_for_debug(text)
    } else {
        text.to_owned()
    }
}

/// The redactor of [`RedactionConfig::default`], built once.
fn default_redactor() -> &'static Redactor {
    static DEFAULT: std::sync::LazyLock<Redactor> =
        std::sync::LazyLock::new(|| Redactor::new(&RedactionConfig::default(), None));
    &DEFAULT
}

/// Knows which header, query and field names are sensitive.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    headers: HashSet<String>,
    fields: HashSet<String>,
}

impl Redactor {
    /// A redactor from `config`, plus an API-key parameter name if any.
    pub fn new(config: &RedactionConfig, api_key_name: Option<&str>) -> Self {
        let mut headers: HashSet<String> = config
            .headers
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        let mut fields: HashSet<String> = config
            .fields
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        if let Some(name) = api_key_name {
            headers.insert(name.to_ascii_lowercase());
            fields.insert(name.to_ascii_lowercase());
        }
        Redactor { headers, fields }
    }

    /// Whether a header's value must not be logged.
    pub fn is_sensitive_header(&self, name: &str) -> bool {
        self.headers.contains(&name.to_ascii_lowercase())
    }

    /// Whether a query parameter or JSON field must not be logged.
    pub fn is_sensitive_field(&self, name: &str) -> bool {
        self.fields.contains(&name.to_ascii_lowercase())
    }

    /// Headers as `name: value` lines with secrets replaced.
    pub fn headers(&self, headers: &http::HeaderMap) -> String {
        let mut out = String::new();
        for (name, value) in headers {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(name.as_str());
            out.push_str(": ");
            if self.is_sensitive_header(name.as_str()) || value.is_sensitive() {
                out.push_str(REDACTED);
            } else {
                out.push_str(value.to_str().unwrap_or("<binary>"));
            }
        }
        out
    }

    /// A URL with userinfo removed and sensitive query values replaced.
    pub fn url(&self, url: &reqwest::Url) -> String {
        let has_userinfo = !url.username().is_empty() || url.password().is_some();
        if url.query().is_none() && !has_userinfo {
            return url.as_str().to_owned();
        }
        let mut clean = url.clone();
        if has_userinfo {
            let _ = clean.set_username("");
            let _ = clean.set_password(None);
        }
        if url.query().is_none() {
            return clean.to_string();
        }
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if self.is_sensitive_field(&k) {
                    REDACTED.to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        clean.query_pairs_mut().clear().extend_pairs(pairs);
        clean.to_string()
    }

    /// [`Self::url`] of URL text; text that is not a URL is replaced whole.
    pub fn url_text(&self, text: &str) -> String {
        match reqwest::Url::parse(text) {
            Ok(url) => self.url(&url),
            Err(_) => REDACTED.to_owned(),
        }
    }

    /// A JSON value with sensitive fields replaced, recursively.
    pub fn json(&self, value: &serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let v = if self.is_sensitive_field(k) {
                            serde_json::Value::String(REDACTED.to_owned())
                        } else {
                            self.json(v)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(|v| self.json(v)).collect())
            }
            other => other.clone(),
        }
    }
}

/// What is redacted from logs, spans and errors.
#[derive(Debug, Clone)]
pub struct RedactionConfig {
    /// Header names (lowercase) whose values are never logged.
    pub headers: HashSet<String>,
    /// Query parameter and JSON field names (lowercase) whose values are never logged.
    pub fields: HashSet<String>,
}

impl Default for RedactionConfig {
    fn default() -> Self {
        let headers = [
            "authorization",
            "proxy-authorization",
            "cookie",
            "set-cookie",
            "x-api-key",
            "api-key",
            "x-auth-token",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        let fields = [
            "password",
            "secret",
            "client_secret",
            "access_token",
            "refresh_token",
            "api_key",
            "apikey",
            "token",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        RedactionConfig { headers, fields }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_debug_redacts_credential_headers_and_hides_the_body() {
        let mut headers = http::HeaderMap::new();
        headers.insert("set-cookie", "session=cookie-secret".parse().unwrap());
        headers.insert("x-request-id", "req-42".parse().unwrap());
        let raw = crate::RawResponse {
            status: 200,
            headers,
            body: bytes::Bytes::from_static(b"{\"token\":\"body-secret\"}"),
            meta: crate::ResponseMeta {
                timestamp: std::time::SystemTime::UNIX_EPOCH,
                duration: std::time::Duration::ZERO,
                retry_count: 0,
                request_id: None,
                rate_limit: None,
                correlation_id: None,
                from_cache: false,
            },
        };
        let text = format!("{raw:?}");
        assert!(!text.contains("cookie-secret"), "{text}");
        assert!(!text.contains("body-secret"), "{text}");
        assert!(
            text.contains("set-cookie") && text.contains("req-42"),
            "{text}"
        );
    }

    #[test]
    fn debug_url_loses_userinfo_and_every_query_value() {
        let text = url_text_for_debug("https://u:p-secret@h.example/a?sig=s-secret&page=2");
        assert_eq!(
            text,
            "https://h.example/a?sig=%5Bredacted%5D&page=%5Bredacted%5D"
        );
        assert_eq!(url_text_for_debug("not a url sig=x"), REDACTED);
    }

    #[test]
    fn a_next_link_loses_its_query_values_and_a_cursor_stays_readable() {
        assert_eq!(
            link_for_debug("https://h.example/items?skiptoken=abc"),
            "https://h.example/items?skiptoken=%5Bredacted%5D"
        );
        assert_eq!(link_for_debug("cursor-42"), "cursor-42");
    }
}
