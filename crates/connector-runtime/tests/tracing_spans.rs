//! Tracing spans and log redaction. Its own test binary (own process) with a global
//! subscriber: tracing caches callsite interest process-wide, so a thread-local
//! subscriber can miss events while other tests run in parallel.
#![allow(missing_docs)]

mod common;

use std::fmt::Write;
use std::sync::{Arc, Mutex};

use common::{Action, FaultServer, fast_retry};
use connector_runtime::{Auth, Client, Request};
use http::Method;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);
impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, _id: &Id, _ctx: Context<'_, S>) {
        let mut out = self.0.lock().unwrap();
        let _ = write!(out, "\nSPAN {}", attrs.metadata().name());
        attrs.record(&mut Fields(&mut out));
    }
    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let mut out = self.0.lock().unwrap();
        let name = ctx.span(id).map(|s| s.name()).unwrap_or("?");
        let _ = write!(out, "\nRECORD {name}");
        values.record(&mut Fields(&mut out));
    }
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut out = self.0.lock().unwrap();
        let _ = write!(out, "\nEVENT");
        event.record(&mut Fields(&mut out));
    }
}

#[tokio::test]
async fn spans_per_operation_and_attempt_carry_fields_and_logs_are_redacted() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    tracing::subscriber::set_global_default(subscriber).expect("only test in this process");

    let server = FaultServer::scripted(vec![Action::status(503), Action::json(200, "{}")]).await;
    let c = Client::builder(&server.url)
        .auth(Auth::bearer("TOPSECRETTOKEN"))
        .default_header("X-Session", "SESSIONSECRET")
        .redact_header("x-session")
        .retry(fast_retry(3))
        .build()
        .unwrap();
    let mut r = Request::new("getWidget", Method::GET, "/widgets/{id}");
    r.path_param("id", "7");
    r.query("password", "PWSECRET");
    r.header("Cookie", "sid=COOKIESECRET");
    c.execute(r).await.unwrap();

    let log = capture.0.lock().unwrap().clone();
    assert!(log.contains("SPAN connector.operation"), "{log}");
    assert!(log.contains("operation=\"getWidget\""));
    assert!(log.contains("path=\"/widgets/{id}\""));
    assert!(log.contains("SPAN connector.attempt"));
    assert!(log.contains("attempt=2"));
    assert!(log.contains("retry_count=1"));
    assert!(log.contains("status=503"));
    assert!(log.contains("status=200"));
    assert!(log.contains("correlation_id="));
    assert!(
        log.contains("[redacted]"),
        "debug request logs are present and redacted"
    );
    for secret in [
        "TOPSECRETTOKEN",
        "SESSIONSECRET",
        "PWSECRET",
        "COOKIESECRET",
    ] {
        assert!(!log.contains(secret), "{secret} leaked: {log}");
    }
}
