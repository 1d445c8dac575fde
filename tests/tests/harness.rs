//! `connector-gen harness` end to end: the harness crate generated for
//! specs/contoso-sales builds on its own, calls every operation against a wiremock
//! server, and reports each outcome exactly: conforming responses pass, a body that
//! breaks the declared schema is `nonconformant` with the JSON pointer in `detail`, a
//! 422 is `request_rejected` with the violations the validator names, an unreachable
//! server is `transport_error`; the exit code is 1 only for the outcomes that mean a
//! contract failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use connector_codegen::Generator;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Generates and builds the contoso-sales harness; the binary's path.
fn build_harness(dir: &Path) -> PathBuf {
    let root = common::root();
    let loaded = connector_spec::load(&root.join("specs/contoso-sales")).expect("spec loads");
    let runtime = root.join("crates/connector-runtime");
    let harness = Generator::new()
        .crate_name("contoso-sales")
        .runtime_path(runtime.to_string_lossy())
        .generate_harness(&loaded.connector)
        .expect("harness generates");
    assert_eq!(harness.name, "contoso-sales-harness");
    for f in [
        "Cargo.toml",
        "src/main.rs",
        "src/runner.rs",
        "schemas.json",
        "client/src/lib.rs",
    ] {
        assert!(harness.file(f).is_some(), "the harness crate has {f}");
    }
    let out = dir.join("harness");
    harness.write_to(&out).expect("writes");
    // Pin dependency versions to the workspace's; the harness's own resolve offline.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("copies the lockfile");
    let target = root.join("target/contract/target");
    let (ok, output) = common::cargo(&out, &target, &["build", "--offline", "--quiet"]);
    assert!(ok, "the harness crate builds:\n{output}");
    target.join("debug/contoso-sales-harness")
}

fn invoice(amount: Value) -> Value {
    json!({ "id": "INV-1", "amount": amount, "currency": "EUR", "status": "Open" })
}

async fn mount(server: &MockServer, verb: &str, at: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(at))
        .and(header("x-api-key", "harness-placeholder"))
        .respond_with(response)
        .mount(server)
        .await;
}

/// Runs the harness; (exit code, report).
fn run(bin: &Path, base_url: &str, report: &Path, extra: &[&str]) -> (i32, Value) {
    let out = Command::new(bin)
        .args(["--base-url", base_url, "--timeout-ms", "5000", "--report"])
        .arg(report)
        .args(extra)
        .output()
        .expect("the harness runs");
    let text = std::fs::read_to_string(report).unwrap_or_else(|_| {
        panic!(
            "the harness writes its report:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&text).expect("the report is JSON");
    let ops = report["operations"].as_array().expect("operations").len();
    assert_eq!(
        stdout.lines().filter(|l| l.contains(" /")).count(),
        ops,
        "one printed line per operation:\n{stdout}"
    );
    (out.status.code().unwrap_or(-1), report)
}

fn outcome<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["operations"]
        .as_array()
        .and_then(|ops| ops.iter().find(|o| o["operation_id"] == id))
        .unwrap_or_else(|| panic!("{id} is in the report: {report}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harness_classifies_every_operation_and_exits_1_on_contract_failures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = tokio::task::spawn_blocking({
        let dir = dir.path().to_path_buf();
        move || build_harness(&dir)
    })
    .await
    .expect("build finishes");

    let server = MockServer::start().await;
    let ok = |status: u16, body: Value| ResponseTemplate::new(status).set_body_json(body);
    mount(
        &server,
        "GET",
        "/invoices",
        ok(
            200,
            json!({ "items": [invoice(json!(10.5))], "continuationToken": null }),
        ),
    )
    .await;
    mount(&server, "POST", "/invoices", ok(201, invoice(json!(120.5)))).await;
    // A string where the schema declares a number: the server breaks the contract.
    mount(
        &server,
        "GET",
        "/invoices/INV-0",
        ok(200, invoice(json!("ten"))),
    )
    .await;
    mount(
        &server,
        "DELETE",
        "/invoices/INV-0",
        ResponseTemplate::new(204),
    )
    .await;
    // The server's validator rejects the request the way Prism does: a 422
    // problem+json whose `validation` list, and its `sl-violations` header, name the
    // field and the rule it breaks.
    let violation = json!([{
        "location": ["request", "body", "status"],
        "severity": "Error",
        "code": "enum",
        "message": "Request body property status must be equal to one of the allowed values: Open, Paid"
    }]);
    let rejected = json!({
        "type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
        "title": "Invalid request",
        "status": 422,
        "detail": "Your request is not valid and no HTTP validation response was found in the spec, so Prism is generating this error for you.",
        "validation": violation,
    });
    mount(
        &server,
        "PATCH",
        "/invoices/INV-0/status",
        ok(422, rejected).insert_header("sl-violations", violation.to_string().as_str()),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ok(200, json!({ "status": "Healthy", "version": "1.2.3" })))
        .mount(&server)
        .await;

    let report_path = dir.path().join("report.json");
    let uri = server.uri();
    let (code, report) = tokio::task::spawn_blocking({
        let (bin, report_path, uri) = (bin.clone(), report_path.clone(), uri.clone());
        move || run(&bin, &uri, &report_path, &[])
    })
    .await
    .expect("runs");
    assert_eq!(
        code, 1,
        "a nonconformant or rejected operation fails the run: {report}"
    );
    assert_eq!(
        report["totals"],
        json!({
            "operations": 6, "pass": 4, "decode_error": 0, "request_rejected": 1,
            "nonconformant": 1, "transport_error": 0, "skipped": 0
        })
    );
    let broken = outcome(&report, "GetInvoice");
    assert_eq!(broken["outcome"], "nonconformant");
    assert_eq!(broken["status"], 200);
    let detail = broken["detail"].as_str().unwrap_or_default();
    assert!(
        detail.starts_with("schema: /amount:"),
        "the detail names the check and the pointer: {detail}"
    );
    let rejected = outcome(&report, "UpdateInvoiceStatus");
    assert_eq!(rejected["outcome"], "request_rejected");
    assert_eq!(rejected["status"], 422);
    assert_eq!(
        rejected["detail"],
        "422: violations: request.body.status: Request body property status must be equal to one of the allowed values: Open, Paid",
        "the detail names the violated field and the rule, untruncated"
    );
    let created = outcome(&report, "CreateInvoice");
    assert_eq!(
        (
            created["method"].as_str(),
            created["path"].as_str(),
            created["status"].as_u64()
        ),
        (Some("POST"), Some("/invoices"), Some(201))
    );
    assert_eq!(created["fallbacks"], 0);

    // --only: just the named operations, all passing: exit 0.
    let (code, report) = tokio::task::spawn_blocking({
        let (bin, report_path, uri) = (bin.clone(), report_path.clone(), uri.clone());
        move || {
            run(
                &bin,
                &uri,
                &report_path,
                &["--only", "ListInvoices,GetServiceHealth"],
            )
        }
    })
    .await
    .expect("runs");
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["totals"]["operations"], 2);
    assert_eq!(report["totals"]["pass"], 2);

    // Nobody listening: a transport error, which is not a contract failure.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        format!("http://{}", l.local_addr().expect("addr"))
    };
    let (code, report) = tokio::task::spawn_blocking(move || {
        run(
            &bin,
            &closed,
            &report_path,
            &["--only", "GetServiceHealth", "--timeout-ms", "2000"],
        )
    })
    .await
    .expect("runs");
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        outcome(&report, "GetServiceHealth")["outcome"],
        "transport_error"
    );
}
