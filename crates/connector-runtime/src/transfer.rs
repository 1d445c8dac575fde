//! Large payloads: streamed upload and download with progress callbacks and checksum
//! / ETag validation when the server provides them (`Content-MD5`,
//! `x-checksum-sha256` / `x-amz-checksum-sha256`, `Digest: sha-256=`, and MD5-shaped
//! ETags).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine;
use bytes::Bytes;
use futures::StreamExt;
use md5::Md5;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::auth::signer::hex;
use crate::client::Client;
use crate::error::{Error, ErrorCode, ErrorSource};
use crate::pipeline::{BodyFactory, Mode, OutcomeBody};
use crate::request::Request;
use crate::response::{RawResponse, ResponseMeta};

/// Progress of a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes moved so far (in the current attempt).
    pub transferred: u64,
    /// Total bytes, when known.
    pub total: Option<u64>,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// What an upload sends. Both kinds can be re-read, so uploads are retried like any
/// other request.
#[derive(Debug, Clone)]
pub enum UploadSource {
    /// Bytes in memory.
    Bytes(Bytes),
    /// A file, streamed from disk on each attempt.
    File(PathBuf),
}

/// The outcome of a download.
#[derive(Debug, Clone)]
pub struct TransferReport {
    /// HTTP status.
    pub status: u16,
    /// Bytes written.
    pub bytes: u64,
    /// The server's ETag, if any.
    pub etag: Option<String>,
    /// Which checks passed (`content-length`, `content-md5`, `sha256`, `etag-md5`).
    pub verified: Vec<&'static str>,
    /// Response meta.
    pub meta: ResponseMeta,
}

const CHUNK: usize = 64 * 1024;

fn integrity_error(what: &str) -> Error {
    let mut e = Error::new(
        ErrorCode::ValidationError,
        format!("integrity check failed: {what}"),
    )
    .with_source(ErrorSource::Transport);
    e.retryable = true;
    e
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// An MD5-looking ETag (32 hex digits, strong), lowercase.
fn md5_etag(headers: &http::HeaderMap) -> Option<String> {
    let etag = header(headers, "etag")?;
    if etag.starts_with("W/") {
        return None;
    }
    let bare = etag.trim_matches('"');
    (bare.len() == 32 && bare.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| bare.to_ascii_lowercase())
}

fn expected_sha256(headers: &http::HeaderMap) -> Option<Vec<u8>> {
    let b64 = base64::engine::general_purpose::STANDARD;
    if let Some(v) =
        header(headers, "x-checksum-sha256").or_else(|| header(headers, "x-amz-checksum-sha256"))
    {
        return b64.decode(v).ok();
    }
    let digest = header(headers, "digest")?;
    digest.split(',').find_map(|part| {
        let (alg, val) = part.trim().split_once('=')?;
        alg.eq_ignore_ascii_case("sha-256")
            .then(|| b64.decode(val).ok())
            .flatten()
    })
}

fn verify(
    headers: &http::HeaderMap,
    md5: &[u8],
    sha256: &[u8],
    len: u64,
    verified: &mut Vec<&'static str>,
) -> Result<(), Error> {
    let b64 = base64::engine::general_purpose::STANDARD;
    if let Some(cl) = header(headers, "content-length").and_then(|v| v.parse::<u64>().ok())
        && header(headers, "content-encoding").is_none()
    {
        if cl != len {
            return Err(integrity_error(&format!("expected {cl} bytes, got {len}")));
        }
        verified.push("content-length");
    }
    if let Some(expected) = header(headers, "content-md5") {
        if b64.decode(expected).ok().as_deref() != Some(md5) {
            return Err(integrity_error("Content-MD5 mismatch"));
        }
        verified.push("content-md5");
    }
    if let Some(expected) = expected_sha256(headers) {
        if expected != sha256 {
            return Err(integrity_error("SHA-256 checksum mismatch"));
        }
        verified.push("sha256");
    }
    if let Some(etag) = md5_etag(headers) {
        if etag != hex(md5) {
            return Err(integrity_error("ETag (MD5) mismatch"));
        }
        verified.push("etag-md5");
    }
    Ok(())
}

impl Client {
    /// Download the response body of `request` into `writer`, streaming, reporting
    /// progress, and validating length, `Content-MD5`, SHA-256 and MD5-shaped ETags when
    /// the server sends them.
    pub async fn download<W: AsyncWrite + Unpin>(
        &self,
        request: Request,
        writer: &mut W,
        progress: Option<ProgressFn>,
    ) -> Result<TransferReport, Error> {
        let mut stream = self.stream(request).await?;
        let total = header(&stream.headers, "content-length").and_then(|v| v.parse().ok());
        let mut md5 = Md5::new();
        let mut sha = Sha256::new();
        let mut n: u64 = 0;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            md5.update(&chunk);
            sha.update(&chunk);
            n += chunk.len() as u64;
            writer.write_all(&chunk).await.map_err(|e| {
                Error::new(ErrorCode::NetworkError, "writing the download failed")
                    .with_source(ErrorSource::Transport)
                    .with_cause(e)
            })?;
            if let Some(p) = &progress {
                p(Progress {
                    transferred: n,
                    total,
                });
            }
        }
        writer.flush().await.map_err(|e| {
            Error::new(ErrorCode::NetworkError, "flushing the download failed").with_cause(e)
        })?;
        let mut verified = Vec::new();
        verify(
            &stream.headers,
            &md5.finalize(),
            &sha.finalize(),
            n,
            &mut verified,
        )?;
        Ok(TransferReport {
            status: stream.status,
            bytes: n,
            etag: header(&stream.headers, "etag").map(str::to_owned),
            verified,
            meta: stream.meta,
        })
    }

    /// Upload `source` as the body of `request` (content type `content_type`),
    /// streaming in 64 KiB chunks with progress. A returned MD5-shaped ETag is checked
    /// against what was sent.
    pub async fn upload(
        &self,
        mut request: Request,
        source: UploadSource,
        content_type: &str,
        progress: Option<ProgressFn>,
    ) -> Result<RawResponse, Error> {
        request.header("Content-Type", content_type);
        let digest: Arc<Mutex<Md5>> = Arc::new(Mutex::new(Md5::new()));
        let total = match &source {
            UploadSource::Bytes(b) => Some(b.len() as u64),
            UploadSource::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        };
        if let Some(t) = total {
            request.header("Content-Length", t);
        }
        let factory: BodyFactory = {
            let digest = digest.clone();
            Arc::new(move || {
                if let Ok(mut d) = digest.lock() {
                    *d = Md5::new();
                }
                let chunks: futures::stream::BoxStream<'static, std::io::Result<Bytes>> =
                    match &source {
                        UploadSource::Bytes(b) => {
                            let b = b.clone();
                            let pieces: Vec<std::io::Result<Bytes>> =
                                (0..b.len().div_ceil(CHUNK).max(1))
                                    .map(|i| Ok(b.slice(i * CHUNK..((i + 1) * CHUNK).min(b.len()))))
                                    .collect();
                            futures::stream::iter(pieces).boxed()
                        }
                        UploadSource::File(path) => {
                            let file = std::fs::File::open(path).map_err(|e| {
                                Error::validation(format!(
                                    "upload file {} cannot be opened",
                                    path.display()
                                ))
                                .with_cause(e)
                            })?;
                            tokio_util::io::ReaderStream::with_capacity(
                                tokio::fs::File::from_std(file),
                                CHUNK,
                            )
                            .boxed()
                        }
                    };
                let digest = digest.clone();
                let progress = progress.clone();
                let mut sent: u64 = 0;
                let counted = chunks.map(move |chunk| {
                    if let Ok(c) = &chunk {
                        sent += c.len() as u64;
                        if let Ok(mut d) = digest.lock() {
                            d.update(c);
                        }
                        if let Some(p) = &progress {
                            p(Progress {
                                transferred: sent,
                                total,
                            });
                        }
                    }
                    chunk
                });
                Ok(reqwest::Body::wrap_stream(counted))
            })
        };
        let outcome = self
            .run(Box::new(request), Mode::Buffered, Some(factory))
            .await?;
        let body = match outcome.body {
            OutcomeBody::Buffered(b) => b,
            OutcomeBody::Streaming(r, _slot) => {
                r.bytes().await.map_err(crate::error::transport_error)?
            }
        };
        if let Some(etag) = md5_etag(&outcome.headers) {
            let sent = digest
                .lock()
                .map(|d| hex(&d.clone().finalize()))
                .unwrap_or_default();
            if etag != sent {
                return Err(integrity_error(
                    "uploaded content does not match the server's ETag",
                ));
            }
        }
        Ok(RawResponse {
            status: outcome.status,
            headers: outcome.headers,
            body,
            meta: outcome.meta,
        })
    }
}
