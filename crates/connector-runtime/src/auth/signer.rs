//! Custom request signing; [`HmacSigner`] signs method, path, query, timestamp and a
//! body digest with HMAC-SHA256.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, ErrorSource};

/// Signs the final outgoing request (URL, headers and body as they will be sent).
/// Runs on every attempt, after hooks, so signatures are fresh on retries.
pub trait RequestSigner: Send + Sync {
    /// Add the signature to `request`.
    fn sign(&self, request: &mut reqwest::Request) -> Result<(), Error>;
}

/// HMAC-SHA256 signer.
///
/// String to sign: `METHOD \n path?query \n timestamp \n hex(sha256(body))`; the
/// signature (base64) goes in `signature_header`, the Unix timestamp in
/// `timestamp_header`, and the key id (if any) in `key_id_header`.
pub struct HmacSigner {
    secret: SecretSlice<u8>,
    key_id: Option<String>,
    /// Header carrying the signature (default `X-Signature`).
    pub signature_header: String,
    /// Header carrying the timestamp (default `X-Timestamp`).
    pub timestamp_header: String,
    /// Header carrying the key id (default `X-Key-Id`).
    pub key_id_header: String,
}

impl fmt::Debug for HmacSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacSigner")
            .field("secret", &"[redacted]")
            .field("key_id", &self.key_id)
            .field("signature_header", &self.signature_header)
            .finish_non_exhaustive()
    }
}

impl HmacSigner {
    /// A signer with `secret`.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        HmacSigner {
            secret: SecretSlice::from(secret.into()),
            key_id: None,
            signature_header: "X-Signature".to_owned(),
            timestamp_header: "X-Timestamp".to_owned(),
            key_id_header: "X-Key-Id".to_owned(),
        }
    }

    /// Send a key id with each signature.
    pub fn key_id(mut self, key_id: impl Into<String>) -> Self {
        self.key_id = Some(key_id.into());
        self
    }

    /// The string to sign for the given parts.
    pub fn string_to_sign(
        method: &str,
        path_and_query: &str,
        timestamp: u64,
        body: &[u8],
    ) -> String {
        let digest = Sha256::digest(body);
        format!("{method}\n{path_and_query}\n{timestamp}\n{}", hex(&digest))
    }

    /// The base64 HMAC-SHA256 of `message`.
    pub fn signature(&self, message: &str) -> Result<String, Error> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.secret.expose_secret()).map_err(|_| {
                Error::new(ErrorCode::ValidationError, "invalid HMAC key")
                    .with_source(ErrorSource::Auth)
            })?;
        mac.update(message.as_bytes());
        Ok(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
    }
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn header_value(v: &str) -> Result<http::HeaderValue, Error> {
    let mut hv = http::HeaderValue::from_str(v)
        .map_err(|e| Error::validation("signature is not a valid header value").with_cause(e))?;
    hv.set_sensitive(true);
    Ok(hv)
}

fn header_name(v: &str) -> Result<http::HeaderName, Error> {
    http::HeaderName::from_bytes(v.as_bytes())
        .map_err(|e| Error::validation(format!("invalid header name {v:?}")).with_cause(e))
}

impl RequestSigner for HmacSigner {
    fn sign(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let url = request.url();
        let path_and_query = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let body: &[u8] = request.body().and_then(|b| b.as_bytes()).unwrap_or(&[]);
        let sts = Self::string_to_sign(request.method().as_str(), &path_and_query, timestamp, body);
        let signature = self.signature(&sts)?;
        let headers = request.headers_mut();
        headers.insert(
            header_name(&self.timestamp_header)?,
            header_value(&timestamp.to_string())?,
        );
        headers.insert(
            header_name(&self.signature_header)?,
            header_value(&signature)?,
        );
        if let Some(k) = &self.key_id {
            headers.insert(header_name(&self.key_id_header)?, header_value(k)?);
        }
        Ok(())
    }
}
