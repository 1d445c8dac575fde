//! The generated contoso-sales client against a local mock server: typed data back,
//! parameters and credentials on the wire, and error statuses as structured errors.

use contoso_sales::types::{Invoice, InvoiceStatus, ListInvoicesStatus, NewInvoice};
use contoso_sales::{Client, ErrorCode};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key("secret-key")
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn list_invoices_sends_query_and_key_and_returns_typed_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .and(query_param("status", "Open"))
        .and(query_param("pageSize", "25"))
        .and(header("X-API-Key", "secret-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [
                {"id": "INV-10001", "amount": 2450.75, "status": "Open", "dueDate": "2026-12-01"},
                {"id": "INV-10002", "amount": 10.0, "status": "Disputed"}
            ],
            "continuationToken": "next-1"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .await
        .list_invoices()
        .status(ListInvoicesStatus::Open)
        .page_size(25)
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(response.status, 200);
    let page = response.data;
    assert_eq!(page.continuation_token.as_deref(), Some("next-1"));
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[0].id, "INV-10001");
    assert_eq!(page.items[0].amount, 2450.75);
    assert_eq!(page.items[0].status, InvoiceStatus::Open);
    assert_eq!(
        page.items[0].due_date.as_ref().map(|d| d.as_str()),
        Some("2026-12-01")
    );
    // A status the definition does not list is kept, not rejected.
    assert_eq!(
        page.items[1].status,
        InvoiceStatus::Other("Disputed".to_owned())
    );
    assert_eq!(page.items[1].status.as_str(), "Disputed");
}

#[tokio::test]
async fn awaiting_the_builder_returns_the_body_and_posts_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/invoices"))
        .and(header("Idempotency-Key", "create-1"))
        .and(body_json(
            json!({"amount": 99.5, "customer": {"id": "C-1"}}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "INV-2", "amount": 99.5, "status": "Open"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let body: NewInvoice =
        serde_json::from_value(json!({"amount": 99.5, "customer": {"id": "C-1"}}))
            .expect("valid body");
    let invoice: Invoice = client(&server)
        .await
        .create_invoice(body)
        .idempotency_key("create-1")
        .await
        .expect("created");
    assert_eq!(invoice.id, "INV-2");
}

#[tokio::test]
async fn not_found_becomes_a_structured_error_with_the_declared_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices/INV%2F404"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req-42")
                .set_body_json(json!({
                    "code": "NOT_FOUND", "message": "no such invoice", "correlationId": "corr-7"
                })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server)
        .await
        .get_invoice("INV/404")
        .await
        .expect_err("404 is an error");
    assert_eq!(error.code, ErrorCode::NotFound);
    assert_eq!(error.status, Some(404));
    assert!(!error.retryable);
    assert_eq!(error.request_id.as_deref(), Some("req-42"));
    assert_eq!(error.operation, Some("GetInvoice"));
    let body: contoso_sales::types::Error = error.decode_body().expect("declared error body");
    assert_eq!(body.code, "NOT_FOUND");
    assert_eq!(body.correlation_id.as_deref(), Some("corr-7"));
    assert!(
        !format!("{error:?}{error}").contains("secret-key"),
        "credentials never appear in errors"
    );
}

#[tokio::test]
async fn delete_with_no_content_returns_unit() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/invoices/INV-1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .await
        .delete_invoice("INV-1")
        .send()
        .await
        .expect("deleted");
    assert_eq!(response.status, 204);
    let () = response.data;
}
