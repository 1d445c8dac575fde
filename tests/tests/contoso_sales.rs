//! The generated contoso-sales client against a local mock server: typed data back,
//! parameters and credentials on the wire, and error statuses as structured errors.

use contoso_sales::types::{BankTransfer, Invoice, InvoiceStatus, NewInvoice, PaymentMethod};
use contoso_sales::{Client, ErrorCode};
use futures::TryStreamExt;
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
        // The declared media type, not reqwest's `*/*`.
        .and(header("Accept", "application/json"))
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
        .status(InvoiceStatus::Open)
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
async fn list_invoices_items_follow_continuation_tokens_to_the_last_page() {
    let server = MockServer::start().await;
    // Second page: asked for with the token of the first, keeping the caller's filters.
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .and(query_param("continuationToken", "next-1"))
        .and(query_param("status", "Open"))
        .and(query_param("pageSize", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": "INV-3", "amount": 3.0, "status": "Open"}],
            "continuationToken": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .and(query_param("status", "Open"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [
                {"id": "INV-1", "amount": 1.0, "status": "Open"},
                {"id": "INV-2", "amount": 2.0, "status": "Open"}
            ],
            "continuationToken": "next-1"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let ids: Vec<String> = client(&server)
        .await
        .list_invoices()
        .status(InvoiceStatus::Open)
        .page_size(2)
        .items()
        .map_ok(|invoice: Invoice| invoice.id)
        .try_collect()
        .await
        .expect("every page succeeds");
    assert_eq!(ids, ["INV-1", "INV-2", "INV-3"]);
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert!(
        !requests[0]
            .url
            .query()
            .unwrap_or("")
            .contains("continuationToken")
    );
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
    let body: contoso_sales::types::ApiError = error.decode_body().expect("declared error body");
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
        // No success body declared: nothing narrower than `*/*` to ask for.
        .and(header("Accept", "*/*"))
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

#[tokio::test]
async fn bodies_decode_one_of_shapes_extra_fields_and_undeclared_keys() {
    let server = MockServer::start().await;
    let wire = json!({
        "id": "INV-9", "amount": 12.5, "status": "Paid", "currency": null,
        "payment": {"iban": "DE89370400440532013000"},
        "shipping": {"carrier": "DHL", "weightKg": 2.5, "signed": true},
        "notDeclared": {"nested": [1, 2, 3]}
    });
    Mock::given(method("GET"))
        .and(path("/invoices/INV-9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&wire))
        .mount(&server)
        .await;
    let invoice = client(&server)
        .await
        .get_invoice("INV-9")
        .await
        .expect("decodes");
    assert_eq!(invoice.currency, None, "null reads as absent");
    // The first declared shape that fits wins; a card needs `last4` and `brand`.
    assert_eq!(
        invoice.payment,
        Some(PaymentMethod::BankTransfer(BankTransfer {
            iban: "DE89370400440532013000".into()
        }))
    );
    let shipping = invoice.shipping.clone().expect("shipping");
    assert_eq!(shipping.carrier, "DHL");
    assert_eq!(shipping.tracking, None);
    // Undeclared properties of an open object are kept, declared ones are not repeated.
    assert_eq!(shipping.additional_properties.len(), 2);
    assert_eq!(shipping.additional_properties["weightKg"], json!(2.5));

    // Serializing and reading back gives the same value; the kept properties go back
    // to the top level of their object.
    let back = serde_json::to_value(&invoice).expect("serializes");
    assert_eq!(back["shipping"]["signed"], json!(true));
    assert!(back.get("notDeclared").is_none());
    assert!(
        back.get("currency").is_none(),
        "absent options are left out"
    );
    let again: Invoice = serde_json::from_value(back).expect("reads back");
    assert_eq!(again, invoice);

    // A shape matching no variant is kept as sent.
    let other: PaymentMethod = serde_json::from_value(json!({"voucher": "X"})).expect("kept");
    assert_eq!(other, PaymentMethod::Other(json!({"voucher": "X"})));
}

#[tokio::test]
async fn a_body_missing_a_required_field_is_a_parsing_error_naming_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices/INV-8"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"amount": 1.0, "status": "Open"})),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .await
        .get_invoice("INV-8")
        .await
        .expect_err("id is required");
    assert_eq!(error.code, ErrorCode::ParsingError);
    assert!(error.to_string().contains("missing field `id`"), "{error}");
    let error = serde_json::from_value::<Invoice>(json!([1, 2])).expect_err("not an object");
    assert!(error.to_string().contains("an object (Invoice)"), "{error}");
}

/// The `mock` feature: typed mocks match what the client sends (path, query, headers,
/// with the client's own encoding) and serve typed bodies the client decodes back.
#[tokio::test]
async fn typed_mocks_match_the_clients_requests_and_serve_typed_bodies() {
    use contoso_sales::mock;
    use contoso_sales::types::{ApiError, InvoiceList};

    let server = MockServer::start().await;
    let invoice: Invoice = serde_json::from_value(json!({
        "id": "INV/1 é", "amount": 12.5, "status": "Paid", "dueDate": "2026-12-01",
        "customer": {"id": "C-1", "vatNumber": "FR1"}
    }))
    .expect("invoice");
    mock::get_invoice()
        .invoice_id("INV/1 é")
        .respond_with(&invoice)
        .expect(1)
        .mount(&server)
        .await;
    let page = InvoiceList {
        items: vec![invoice.clone()],
        continuation_token: "next-1".to_owned().into(),
    };
    mock::list_invoices()
        .status(InvoiceStatus::Overdue)
        .page_size(25)
        .respond_with(&page)
        .expect(1)
        .mount(&server)
        .await;
    let not_found = ApiError {
        code: "NOT_FOUND".to_owned(),
        message: "no such invoice".to_owned(),
        correlation_id: Some("corr-1".to_owned()),
        details: None,
    };
    mock::delete_invoice()
        .invoice_id("INV-9")
        .respond_error(404, &not_found)
        .expect(1)
        .mount(&server)
        .await;
    mock::create_invoice()
        .idempotency_key("key-1")
        .respond_with(&invoice)
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server).await;
    let got = client.get_invoice("INV/1 é").await.expect("mock matched");
    assert_eq!(got, invoice);
    let listed = client
        .list_invoices()
        .status(InvoiceStatus::Overdue)
        .page_size(25)
        .send()
        .await
        .expect("mock matched");
    assert_eq!(listed.status, 200);
    assert_eq!(listed.data, page);
    let created = client
        .create_invoice(
            serde_json::from_value(json!({"amount": 12.5, "customer": {"id": "C-1"}}))
                .expect("new invoice"),
        )
        .idempotency_key("key-1")
        .send()
        .await
        .expect("mock matched");
    // The declared success status, not just 200.
    assert_eq!(created.status, 201);
    let error = client
        .delete_invoice("INV-9")
        .await
        .expect_err("mocked error status");
    assert_eq!(error.status, Some(404));
    assert_eq!(error.decode_body::<ApiError>(), Some(not_found));

    // A parameter the mock pins to another value does not match: wiremock answers 404.
    let other_id = client.get_invoice("INV-2").await.expect_err("not mocked");
    assert_eq!(other_id.status, Some(404));
    let other_status = client
        .list_invoices()
        .status(InvoiceStatus::Open)
        .page_size(25)
        .await
        .expect_err("status differs");
    assert_eq!(other_status.status, Some(404));
    let other_key = client
        .create_invoice(
            serde_json::from_value(json!({"amount": 1.0, "customer": {"id": "C-1"}}))
                .expect("new invoice"),
        )
        .idempotency_key("key-2")
        .await
        .expect_err("header differs");
    assert_eq!(other_key.status, Some(404));
}
