//! Redirects, followed by the runtime rather than reqwest (whose redirect following is
//! off): only here is it known which headers and query parameters are credentials, so
//! a cross-origin hop can be rebuilt bare.
//!
//! Rules ([`RedirectPolicy`]): at most `max_hops` hops; `https` → `http` is refused; a
//! hop to another origin is sent without any credential (and, in
//! [`RedirectMode::SameOriginOnly`], refused); once bare, later hops stay bare; no
//! `Referer` is ever sent; 307 / 308 re-send the method and body, 303 (and 301 / 302
//! after a POST) continue as a GET without a body.

use http::{HeaderMap, Method};
use url::Url;

use crate::config::{RedirectMode, RedirectPolicy};
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::observability::Redactor;

/// One hop of an attempt: the first (the request as described) or a redirect target.
#[derive(Debug, Default)]
pub(crate) struct Hop {
    /// The target; `None` on the first hop (the request's own URL).
    pub(crate) url: Option<Url>,
    /// The method, when a redirect changed it.
    pub(crate) method: Option<Method>,
    /// Whether the request body is sent (dropped when a redirect turns it into a GET).
    pub(crate) without_body: bool,
    /// Sent without credentials (a foreign origin was reached).
    pub(crate) bare: bool,
    /// Redirects followed so far.
    pub(crate) count: u32,
}

/// Whether `status` is a redirect the runtime may follow.
pub(crate) fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

fn refused(status: u16, why: String) -> Error {
    let mut e = Error::new(
        ErrorCode::InvalidRequest,
        format!("redirect refused: {why}"),
    )
    .with_source(ErrorSource::Transport);
    e.status = Some(status);
    e.retryable = false;
    e
}

/// The hop after a `status` redirect from `from` (sent as `method`, bare or not per
/// `hop`), or `None` when the response is handed on as it is (no `Location`, or
/// following is off).
pub(crate) fn next_hop(
    hop: &Hop,
    from: &Url,
    method: &Method,
    status: u16,
    headers: &HeaderMap,
    policy: &RedirectPolicy,
) -> Result<Option<Hop>, Error> {
    if policy.mode == RedirectMode::None || !is_redirect(status) {
        return Ok(None);
    }
    let Some(location) = headers.get(http::header::LOCATION) else {
        return Ok(None);
    };
    if hop.count >= policy.max_hops {
        return Err(refused(
            status,
            format!("more than {} redirects", policy.max_hops),
        ));
    }
    let location = location
        .to_str()
        .map_err(|_| refused(status, "the Location header is not text".to_owned()))?;
    // The message never quotes the target: it may carry a secret query.
    let mut target = from
        .join(location)
        .map_err(|e| refused(status, format!("the Location header is not a URL ({e})")))?;
    target.set_fragment(None);
    match (from.scheme(), target.scheme()) {
        ("https", "http") => {
            return Err(refused(
                status,
                "from https to http (the request would travel in clear text)".to_owned(),
            ));
        }
        (_, "http" | "https") => {}
        (_, other) => {
            return Err(refused(
                status,
                format!("to the unsupported scheme {other:?}"),
            ));
        }
    }
    let cross_origin = target.origin() != from.origin();
    if cross_origin && policy.mode == RedirectMode::SameOriginOnly {
        return Err(refused(
            status,
            format!(
                "to another origin ({}) while only same-origin redirects are followed",
                target.origin().ascii_serialization()
            ),
        ));
    }
    let to_get = match status {
        303 => *method != Method::HEAD,
        301 | 302 => *method == Method::POST,
        _ => false,
    };
    Ok(Some(Hop {
        url: Some(target),
        method: if to_get {
            Some(Method::GET)
        } else {
            hop.method.clone()
        },
        without_body: hop.without_body || to_get,
        bare: hop.bare || cross_origin,
        count: hop.count + 1,
    }))
}

/// Remove the query parameters whose names are secret from `url` (a bare request must
/// not carry one, even when the server copied it into a link).
pub(crate) fn strip_secret_query(url: &mut Url, redactor: &Redactor) {
    let Some(query) = url.query() else {
        return;
    };
    if !url::form_urlencoded::parse(query.as_bytes()).any(|(k, _)| redactor.is_sensitive_field(&k))
    {
        return;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !redactor.is_sensitive_field(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RedactionConfig;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL parses")
    }

    fn located(to: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::LOCATION,
            http::HeaderValue::from_str(to).expect("header value"),
        );
        h
    }

    fn follow(from: &str, to: &str, status: u16, method: Method) -> Result<Option<Hop>, Error> {
        next_hop(
            &Hop::default(),
            &url(from),
            &method,
            status,
            &located(to),
            &RedirectPolicy::default(),
        )
    }

    #[test]
    fn https_to_http_redirects_are_refused() {
        let e = follow(
            "https://a.example/x",
            "http://a.example/y",
            302,
            Method::GET,
        )
        .expect_err("refused");
        assert_eq!(e.status, Some(302));
        assert!(e.message.contains("https to http"), "{}", e.message);
        assert!(
            follow(
                "http://a.example/x",
                "https://a.example/y",
                302,
                Method::GET
            )
            .expect("ok")
            .is_some()
        );
    }

    #[test]
    fn cross_origin_hops_are_bare_and_same_origin_hops_are_not() {
        let same = follow("https://a.example/x", "/y?p=1#f", 307, Method::PUT)
            .expect("ok")
            .expect("hop");
        assert!(!same.bare && !same.without_body && same.method.is_none());
        assert_eq!(
            same.url.as_ref().map(Url::as_str),
            Some("https://a.example/y?p=1")
        );
        let cross = follow(
            "https://a.example/x",
            "https://b.example/y",
            302,
            Method::POST,
        )
        .expect("ok")
        .expect("hop");
        assert!(cross.bare && cross.without_body);
        assert_eq!(cross.method, Some(Method::GET));
        let policy = RedirectPolicy::same_origin_only();
        let e = next_hop(
            &Hop::default(),
            &url("https://a.example/x"),
            &Method::GET,
            302,
            &located("https://b.example/y"),
            &policy,
        )
        .expect_err("refused");
        assert!(e.message.contains("https://b.example"), "{}", e.message);
    }

    #[test]
    fn hop_limit_and_policy_none_stop_following() {
        let hop = Hop {
            count: 3,
            ..Hop::default()
        };
        let policy = RedirectPolicy {
            max_hops: 3,
            ..RedirectPolicy::default()
        };
        let from = url("https://a.example/x");
        let h = located("/y");
        assert!(next_hop(&hop, &from, &Method::GET, 302, &h, &policy).is_err());
        let none = RedirectPolicy::none();
        assert!(
            next_hop(&Hop::default(), &from, &Method::GET, 302, &h, &none)
                .expect("ok")
                .is_none()
        );
    }

    #[test]
    fn secret_query_parameters_are_stripped() {
        let r = Redactor::new(&RedactionConfig::default(), Some("code"));
        let mut u = url("https://cdn.example/p?page=2&code=k&api_key=s");
        strip_secret_query(&mut u, &r);
        assert_eq!(u.as_str(), "https://cdn.example/p?page=2");
        let mut only = url("https://cdn.example/p?token=t");
        strip_secret_query(&mut only, &r);
        assert_eq!(only.as_str(), "https://cdn.example/p");
    }
}
