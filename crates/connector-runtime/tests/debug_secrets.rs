//! Secrets in Debug: `ClientBuilder`, `Client` and configuration never print values of
//! default headers or query parameters whose names are on the redaction list, nor the
//! base URL's userinfo or secret query parameters.
#![allow(missing_docs)]

use connector_runtime::{Auth, Client, ClientBuilder, ProxyConfig};

const SECRETS: [&str; 6] = [
    "hdr-secret",
    "q-secret",
    "pw-secret",
    "url-token-secret",
    "custom-secret",
    "proxy-pw-secret",
];

fn builder() -> ClientBuilder {
    Client::builder("https://user:pw-secret@api.example.com/v1?token=url-token-secret&v=2")
        .default_header("X-Api-Key", "hdr-secret")
        .default_header("X-Trace", "visible-trace")
        .default_header("X-Custom", "custom-secret")
        .redact_header("x-custom")
        .default_query("api_key", "q-secret")
        .default_query("format", "visible-format")
        .auth(Auth::bearer("bearer-secret"))
        .proxy(ProxyConfig {
            url: "http://proxyuser:proxy-pw-secret@proxy.local:3128".into(),
            credentials: None,
            no_proxy: None,
        })
}

fn assert_clean(text: &str) {
    for secret in SECRETS.iter().chain(&["bearer-secret", "proxyuser"]) {
        assert!(!text.contains(secret), "{secret} leaked in {text}");
    }
}

#[test]
fn client_builder_debug_hides_secret_defaults_and_url_parts() {
    let text = format!("{:?}", builder());
    assert_clean(&text);
    // Non-secret values stay visible for debugging.
    assert!(text.contains("visible-trace"), "{text}");
    assert!(text.contains("visible-format"), "{text}");
    assert!(text.contains("api.example.com"), "{text}");
    assert!(text.contains("X-Api-Key"), "{text}");
}

#[test]
fn client_debug_hides_secret_defaults_and_url_parts() {
    let client = builder().build().unwrap();
    let text = format!("{client:?}");
    assert_clean(&text);
    assert!(text.contains("api.example.com"), "{text}");
    assert!(text.contains("visible-trace"), "{text}");
}

#[test]
fn proxy_config_debug_hides_url_userinfo() {
    let text = format!(
        "{:?}",
        ProxyConfig {
            url: "http://proxyuser:proxy-pw-secret@proxy.local:3128".into(),
            credentials: None,
            no_proxy: None,
        }
    );
    assert_clean(&text);
    assert!(text.contains("proxy.local"), "{text}");
}
