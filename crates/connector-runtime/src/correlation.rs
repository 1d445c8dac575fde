//! Correlation and request ids held inline, so a call allocates no strings for them.
//!
//! [`CorrelationId`] is `Copy`: a generated id (32 lowercase hex digits) or a caller's
//! `X-Correlation-ID` of up to [`CorrelationId::MAX_LEN`] bytes, stored in a fixed
//! buffer. [`RequestId`] is what [`crate::ResponseMeta::request_id`] holds: the server's
//! id when it sent one, else the correlation id the client sent. Both dereference to
//! `str`, so `meta.request_id.as_deref()` reads as before.

use std::fmt;
use std::ops::Deref;

/// A correlation id, stored inline (no allocation; `Copy`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CorrelationId {
    len: u8,
    bytes: [u8; CorrelationId::MAX_LEN],
}

impl CorrelationId {
    /// The longest caller-supplied id accepted, in bytes (a W3C `traceparent` is 55).
    pub const MAX_LEN: usize = 64;

    /// A fresh id: 128 random bits as 32 lowercase hex digits.
    pub fn random() -> CorrelationId {
        // Hex digits written into the buffer directly: the formatting machinery costs
        // more than the random number on every call.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let n: u128 = rand::random();
        let mut bytes = [0u8; Self::MAX_LEN];
        for (i, b) in bytes.iter_mut().take(32).enumerate() {
            *b = HEX[((n >> ((31 - i) * 4)) & 0xf) as usize];
        }
        CorrelationId { len: 32, bytes }
    }

    /// The caller's id, when it fits ([`Self::MAX_LEN`] bytes at most).
    pub fn from_text(text: &str) -> Option<CorrelationId> {
        let len = text.len();
        if len > Self::MAX_LEN {
            return None;
        }
        let mut bytes = [0u8; Self::MAX_LEN];
        bytes[..len].copy_from_slice(text.as_bytes());
        Some(CorrelationId {
            len: len as u8,
            bytes,
        })
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        let bytes = &self.bytes[..usize::from(self.len)];
        // Built from a `&str` or from ASCII hex digits, cut at its own length: always
        // valid UTF-8, so the fallback is never taken.
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

impl Deref for CorrelationId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for CorrelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CorrelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for CorrelationId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CorrelationId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A response's request id: the server's, else the correlation id the client sent.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum RequestId {
    /// The id the server sent (`x-request-id`, `x-ms-request-id`, …).
    Server(String),
    /// The correlation id the client sent (no server id came back).
    Sent(CorrelationId),
}

impl RequestId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        match self {
            RequestId::Server(s) => s,
            RequestId::Sent(id) => id.as_str(),
        }
    }
}

impl Deref for RequestId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for RequestId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RequestId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_32_lowercase_hex_digits_and_differ() {
        let a = CorrelationId::random();
        let b = CorrelationId::random();
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)),
            "{a}"
        );
        assert_ne!(a, b);
    }

    #[test]
    fn caller_ids_round_trip_up_to_the_limit_and_longer_ones_are_refused() {
        let id = CorrelationId::from_text("mine-1").expect("fits");
        assert_eq!(id.as_str(), "mine-1");
        assert_eq!(format!("{id} {id:?}"), "mine-1 \"mine-1\"");
        let longest = "x".repeat(CorrelationId::MAX_LEN);
        assert_eq!(
            CorrelationId::from_text(&longest).map(|i| i.len()),
            Some(64)
        );
        assert!(CorrelationId::from_text(&format!("{longest}x")).is_none());
    }

    #[test]
    fn request_ids_read_as_text_whichever_side_set_them() {
        let server = RequestId::Server("srv-1".into());
        let sent = RequestId::Sent(CorrelationId::from_text("corr-1").expect("fits"));
        assert_eq!(Some(server).as_deref(), Some("srv-1"));
        assert_eq!(sent, "corr-1");
        assert_eq!(sent.to_string(), "corr-1");
    }

    #[tokio::test]
    async fn a_caller_id_over_the_limit_fails_the_call_before_the_network() {
        let client = crate::Client::builder("http://127.0.0.1:9")
            .build()
            .expect("client");
        let mut request = crate::Request::new("Op", http::Method::GET, "/x");
        request.headers.push((
            crate::client::CORRELATION_HEADER.to_owned(),
            "x".repeat(CorrelationId::MAX_LEN + 1),
        ));
        let e = client.execute(request).await.expect_err("refused");
        assert_eq!(e.code, crate::ErrorCode::ValidationError);
        assert_eq!(e.operation, Some("Op"));
        assert!(e.message.contains("longer than 64 bytes"), "{}", e.message);
        let metrics = client.metrics();
        assert_eq!((metrics.requests, metrics.attempts), (0, 0));
    }
}
