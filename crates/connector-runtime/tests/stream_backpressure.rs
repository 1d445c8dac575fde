//! Streaming reads are pulled by the caller: a paused consumer pauses the server.
#![allow(missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use connector_runtime::{Client, Request};
use futures::StreamExt;
use http::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const CHUNK: usize = 64 * 1024;
const TOTAL: usize = 64 * 1024 * 1024;

#[tokio::test]
async fn stream_applies_backpressure_to_a_fast_server() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicUsize::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        let (mut tcp, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = tcp.read(&mut buf).await.unwrap();
            head.extend_from_slice(&buf[..n]);
        }
        let header = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {TOTAL}\r\n\r\n"
        );
        tcp.write_all(header.as_bytes()).await.unwrap();
        let chunk = vec![7u8; CHUNK];
        while counter.load(Ordering::SeqCst) < TOTAL {
            if tcp.write_all(&chunk).await.is_err() {
                return;
            }
            counter.fetch_add(CHUNK, Ordering::SeqCst);
        }
    });

    let client = Client::builder(&url).build().unwrap();
    let mut stream = client
        .stream(Request::new("Download", Method::GET, "/big"))
        .await
        .expect("stream opens");
    let first = stream.next().await.expect("a chunk").expect("no error");
    let mut received = first.len();

    // The consumer pauses: the server can only fill socket and client buffers.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let while_paused = written.load(Ordering::SeqCst);
    assert!(
        while_paused < TOTAL / 4,
        "a paused reader must stall the writer, but {while_paused} of {TOTAL} bytes were written"
    );

    while let Some(chunk) = stream.next().await {
        received += chunk.expect("no error").len();
    }
    assert_eq!(
        received, TOTAL,
        "everything arrives once the reader resumes"
    );
}
