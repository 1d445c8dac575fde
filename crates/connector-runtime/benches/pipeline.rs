//! Runtime micro benchmarks: building a request (no I/O), and one operation through the
//! whole pipeline (`Client::execute` + JSON decoding) against an in-process loopback
//! HTTP/1.1 server with keep-alive.

use std::time::Duration;

use connector_runtime::{Client, Method, Request};
use criterion::{Criterion, criterion_group, criterion_main};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BODY: &str = r#"{"id":"INV-10001","amount":1234.5,"currency":"EUR","status":"Open","lines":[{"sku":"SKU-1","quantity":3,"unitPrice":100.0}]}"#;

/// A minimal keep-alive server answering every request with `BODY`; returns its base URL.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binding a loopback port");
    let addr = listener.local_addr().expect("local address");
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = stream.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    // GET requests only: each ends with an empty line.
                    while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        buf.drain(..end + 4);
                        if stream.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn request() -> Request {
    let mut r = Request::new("GetInvoice", Method::GET, "/invoices/{invoiceId}");
    r.path_param("invoiceId", "INV-10001")
        .query_opt("expand", Some("lines"));
    r
}

fn pipeline(c: &mut Criterion) {
    c.bench_function("runtime/build_request", |b| {
        b.iter(|| std::hint::black_box(request()))
    });

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let url = rt.block_on(serve());
    let client = Client::builder(url)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let mut group = c.benchmark_group("runtime");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("execute_json_loopback", |b| {
        b.iter(|| {
            rt.block_on(async {
                client
                    .execute(request())
                    .await
                    .expect("request succeeds")
                    .json::<serde_json::Value>()
                    .expect("body decodes")
            })
        })
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
