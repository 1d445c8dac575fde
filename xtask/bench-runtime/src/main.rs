//! The runtime benchmark of `cargo xtask bench`, one process per measurement:
//!
//! - `bench-runtime serve`: a loopback HTTP/1.1 server (hyper, keep-alive) answering
//!   `GET /invoices/{id}` with a small invoice and `GET /items?start&total` with pages of
//!   1000 items linked by `nextLink`; prints `port N`, runs until killed;
//! - `bench-runtime load --url U --client generated|reqwest --concurrency N --seconds S`:
//!   the generated `contoso-sales` client's `get_invoice` or the same GET with raw reqwest
//!   (same serde type), N calls in flight; prints one JSON line (req/s, latencies in µs,
//!   and per request: heap allocations and bytes allocated (counted by this binary's
//!   global allocator), CPU time of this process (`getrusage` user + sys), and the size
//!   of one call's future, which is what each `.await` level moves);
//! - `bench-runtime page --url U --items N`: streams N items through the runtime's paging
//!   (`Client::items`, `NextLink`); prints items, seconds and this process's peak RSS.

mod counting;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use clap::{Parser, Subcommand, ValueEnum};
use futures::StreamExt;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde::{Deserialize, Serialize};

#[derive(Debug, Parser)]
#[command(name = "bench-runtime")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Serve the loopback benchmark API; prints `port N` on stdout, runs until killed.
    Serve,
    /// Call the loopback server for a while; print one JSON line.
    Load {
        /// Base URL of the loopback server.
        #[arg(long)]
        url: String,
        /// Which client.
        #[arg(long, value_enum)]
        client: LoadClient,
        /// Requests in flight.
        #[arg(long)]
        concurrency: usize,
        /// Measured seconds (after a warm-up of a quarter of it).
        #[arg(long)]
        seconds: f64,
    },
    /// Stream `items` items through the runtime's paging; print one JSON line.
    Page {
        /// Base URL of the loopback server.
        #[arg(long)]
        url: String,
        /// Items in all pages together.
        #[arg(long)]
        items: u64,
    },
}

/// The client a load run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LoadClient {
    /// The generated `contoso-sales` client (`get_invoice`).
    Generated,
    /// reqwest alone: the same GET, the same body decoded into the same type.
    Reqwest,
}

/// One load run.
#[derive(Debug, Clone, Copy, Serialize)]
struct LoadStats {
    requests: u64,
    rps: f64,
    mean_us: f64,
    p50_us: f64,
    p99_us: f64,
    /// Heap allocations (alloc + realloc) per request in the measured window.
    allocs_per_request: f64,
    /// Bytes allocated per request in the measured window.
    alloc_bytes_per_request: f64,
    /// CPU time (user + sys) of this process per request in the measured window, µs.
    cpu_us_per_request: f64,
    /// Of which in the kernel (sys), µs.
    cpu_sys_us_per_request: f64,
    /// Context switches (voluntary + involuntary, all threads of this process) per
    /// request in the measured window: each is a worker parking or being preempted.
    context_switches_per_request: f64,
    /// Size of one call's future, bytes: moved at each `.await` level. For the generated
    /// client the pipeline's boxed state is not included (it is in the bytes allocated).
    future_bytes: u64,
}

#[global_allocator]
static ALLOC: counting::Counting = counting::Counting;

/// Calls completed since start (read at the ends of the measured window).
static DONE: AtomicU64 = AtomicU64::new(0);

/// Allocations, bytes allocated, calls completed, CPU µs and context switches at one
/// instant.
#[derive(Clone, Copy)]
struct Snapshot {
    allocs: u64,
    bytes: u64,
    done: u64,
    cpu_us: f64,
    sys_us: f64,
    context_switches: f64,
}

impl Snapshot {
    fn now() -> Result<Snapshot> {
        use nix::sys::resource::{UsageWho, getrusage};
        let usage = getrusage(UsageWho::RUSAGE_SELF)?;
        let us = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 * 1e6 + t.tv_usec() as f64;
        let (allocs, bytes) = counting::totals();
        Ok(Snapshot {
            allocs,
            bytes,
            done: DONE.load(Ordering::Relaxed),
            cpu_us: us(usage.user_time()) + us(usage.system_time()),
            sys_us: us(usage.system_time()),
            context_switches: (usage.voluntary_context_switches()
                + usage.involuntary_context_switches()) as f64,
        })
    }
}

/// One paging run.
#[derive(Debug, Clone, Copy, Serialize)]
struct PageStats {
    items: u64,
    seconds: f64,
    max_rss_kb: u64,
}

fn main() -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting tokio")?;
    match Cli::parse().command {
        Cmd::Serve => rt.block_on(serve()),
        Cmd::Load {
            url,
            client,
            concurrency,
            seconds,
        } => {
            let stats = rt.block_on(load(&url, client, concurrency, seconds))?;
            println!("{}", serde_json::to_string(&stats)?);
            Ok(())
        }
        Cmd::Page { url, items } => {
            let (count, seconds) = rt.block_on(page(&url, items))?;
            let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF)?;
            let stats = PageStats {
                items: count,
                seconds,
                // KiB on Linux.
                max_rss_kb: u64::try_from(usage.max_rss()).unwrap_or(0),
            };
            println!("{}", serde_json::to_string(&stats)?);
            Ok(())
        }
    }
}

/// The body of `GET /invoices/{id}`: a small invoice (~400 bytes).
const INVOICE: &str = r#"{"id":"INV-10001","amount":1234.5,"currency":"EUR","status":"Open","issuedAt":"2026-01-15T10:00:00Z","dueDate":"2026-02-15","customer":{"id":"C-1","name":"Northwind Traders","email":"billing@northwind.example"},"lines":[{"sku":"SKU-1","description":"Widget","quantity":3,"unitPrice":100.0},{"sku":"SKU-2","quantity":1,"unitPrice":934.5}],"metadata":{"po":"PO-7"}}"#;

/// Items per page of `GET /items`.
const PAGE_SIZE: u64 = 1000;

async fn serve() -> Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    println!("port {port}");
    use std::io::Write as _;
    std::io::stdout().flush()?;
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(req, port));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(req: Request<Incoming>, port: u16) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path();
    let body = if path.starts_with("/invoices/") {
        Bytes::from_static(INVOICE.as_bytes())
    } else if path == "/items" {
        let query = req.uri().query().unwrap_or_default();
        let param = |name: &str| {
            query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == name)
                .and_then(|(_, v)| v.parse::<u64>().ok())
        };
        let start = param("start").unwrap_or(0);
        let total = param("total").unwrap_or(PAGE_SIZE);
        let end = (start + PAGE_SIZE).min(total);
        let mut s = String::with_capacity(64 * PAGE_SIZE as usize);
        s.push_str("{\"value\":[");
        for id in start..end {
            if id > start {
                s.push(',');
            }
            s.push_str(&format!(
                "{{\"id\":{id},\"name\":\"item-{id}\",\"active\":true}}"
            ));
        }
        s.push(']');
        if end < total {
            s.push_str(&format!(
                ",\"nextLink\":\"http://127.0.0.1:{port}/items?start={end}&total={total}\""
            ));
        }
        s.push('}');
        Bytes::from(s)
    } else {
        return Ok(Response::builder()
            .status(404)
            .body(Full::new(Bytes::from_static(b"{}")))
            .unwrap_or_default());
    };
    Ok(Response::builder()
        .header("content-type", "application/json")
        .body(Full::new(body))
        .unwrap_or_default())
}

enum Caller {
    Generated(contoso_sales::Client),
    Reqwest(reqwest::Client, String),
}

impl Caller {
    async fn call(&self) -> Result<contoso_sales::types::Invoice> {
        match self {
            Caller::Generated(c) => generated_call(c).await,
            Caller::Reqwest(c, url) => reqwest_call(c, url).await,
        }
    }

    /// Size of this client's own call future, bytes.
    fn future_bytes(&self) -> u64 {
        let size = match self {
            Caller::Generated(c) => std::mem::size_of_val(&generated_call(c)),
            Caller::Reqwest(c, url) => std::mem::size_of_val(&reqwest_call(c, url)),
        };
        size as u64
    }
}

async fn generated_call(c: &contoso_sales::Client) -> Result<contoso_sales::types::Invoice> {
    Ok(c.get_invoice("INV-10001").await?)
}

async fn reqwest_call(c: &reqwest::Client, url: &str) -> Result<contoso_sales::types::Invoice> {
    Ok(c.get(format!("{url}/invoices/INV-10001"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

async fn load(
    url: &str,
    client: LoadClient,
    concurrency: usize,
    seconds: f64,
) -> Result<LoadStats> {
    let caller = Arc::new(match client {
        LoadClient::Generated => Caller::Generated(
            contoso_sales::Client::builder()
                .base_url(url)
                .configure(|b| {
                    // The runtime caps concurrency at 10 by default; lift the cap to the
                    // load's concurrency so both clients make the same calls.
                    b.rate_limit(connector_runtime::RateLimitConfig {
                        concurrent_requests: concurrency.max(1),
                        ..Default::default()
                    })
                })
                .build()?,
        ),
        LoadClient::Reqwest => Caller::Reqwest(reqwest::Client::new(), url.to_owned()),
    });
    // Warm-up: open the connections.
    let warm = Duration::from_secs_f64(seconds / 4.0);
    let measured = Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let measure_from = started + warm;
    let stop = measure_from + measured;
    let future_bytes = caller.future_bytes();
    // The measured window's counters, read by a task of their own at its two ends.
    let window = tokio::spawn(async move {
        tokio::time::sleep_until(measure_from.into()).await;
        let first = Snapshot::now()?;
        tokio::time::sleep_until(stop.into()).await;
        anyhow::Ok((first, Snapshot::now()?))
    });
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let caller = caller.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat: Vec<u32> = Vec::with_capacity(1 << 16);
            loop {
                let t = Instant::now();
                if t >= stop {
                    break;
                }
                let invoice = caller.call().await?;
                std::hint::black_box(&invoice);
                DONE.fetch_add(1, Ordering::Relaxed);
                if t >= measure_from {
                    let us = t.elapsed().as_nanos() / 1000;
                    lat.push(u32::try_from(us).unwrap_or(u32::MAX));
                }
            }
            anyhow::Ok(lat)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.context("load task panicked")??);
    }
    if all.is_empty() {
        bail!("no request completed");
    }
    let (first, last) = window.await.context("window task panicked")??;
    let calls = (last.done - first.done).max(1) as f64;
    all.sort_unstable();
    let pct = |p: f64| all[((all.len() - 1) as f64 * p).round() as usize] as f64;
    let n = all.len() as f64;
    let mean = all.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    Ok(LoadStats {
        requests: all.len() as u64,
        rps: n / measured.as_secs_f64(),
        mean_us: mean,
        p50_us: pct(0.5),
        p99_us: pct(0.99),
        allocs_per_request: (last.allocs - first.allocs) as f64 / calls,
        alloc_bytes_per_request: (last.bytes - first.bytes) as f64 / calls,
        cpu_us_per_request: (last.cpu_us - first.cpu_us) / calls,
        cpu_sys_us_per_request: (last.sys_us - first.sys_us) / calls,
        context_switches_per_request: (last.context_switches - first.context_switches) / calls,
        future_bytes,
    })
}

/// One paged item.
#[derive(Debug, Deserialize)]
struct Item {
    id: u64,
    #[allow(dead_code)]
    name: String,
    #[allow(dead_code)]
    active: bool,
}

async fn page(url: &str, items: u64) -> Result<(u64, f64)> {
    let client = connector_runtime::Client::builder(url).build()?;
    let mut request =
        connector_runtime::Request::new("ListItems", connector_runtime::Method::GET, "/items");
    request.query("total", items).query("start", 0u64);
    let start = Instant::now();
    let mut stream = client.items::<Item>(
        request,
        connector_runtime::NextLink::new(Some("nextLink"), "value"),
    );
    let mut count = 0u64;
    let mut last = None;
    while let Some(item) = stream.next().await {
        let item = item?;
        last = Some(item.id);
        count += 1;
    }
    if count != items || last != items.checked_sub(1) {
        bail!("paging returned {count} items (last {last:?}), expected {items}");
    }
    Ok((count, start.elapsed().as_secs_f64()))
}
