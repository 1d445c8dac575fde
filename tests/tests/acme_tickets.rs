//! The generated acme-tickets client (Swagger 2.0, shaped like the real corpus): paging,
//! multipart forms, double URL encoding, renamed properties, integer enums.

use acme_tickets::Client;
use acme_tickets::types::{Ticket, TicketPriority, TicketStatus};
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key("acme")
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn pageable_items_follow_next_links_across_pages() {
    let server = MockServer::start().await;
    let next = format!("{}/tickets?page=2", server.uri());
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"subject": "third"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .and(query_param("$top", "2"))
        .and(header("X-Acme-Key", "acme"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"subject": "first"}, {"subject": "second"}],
            "@odata.nextLink": next
        })))
        .expect(1)
        .mount(&server)
        .await;

    let tickets: Vec<Ticket> = client(&server)
        .list_tickets()
        .top(2)
        .items()
        .try_collect()
        .await
        .expect("all pages");
    let subjects: Vec<&str> = tickets.iter().map(|t| t.subject.as_str()).collect();
    assert_eq!(subjects, ["first", "second", "third"]);
}

#[tokio::test]
async fn renamed_and_keyword_properties_round_trip_with_their_wire_names() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets/T-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "subject": "printer", "type": "incident", "2fa_required": true,
            "sla-seconds": 3600, "status": "pending", "priority": 9,
            "customFields": {"team": "ops"}
        })))
        .mount(&server)
        .await;
    let ticket = client(&server).get_ticket("T-1").await.expect("ticket");
    assert_eq!(ticket.type_.as_deref(), Some("incident"));
    assert_eq!(ticket._2fa_required, Some(true));
    assert_eq!(ticket.sla_seconds, Some(3600));
    assert_eq!(ticket.status, Some(TicketStatus::Pending));
    // An integer enum keeps values the definition does not list.
    assert_eq!(ticket.priority, Some(TicketPriority(9)));
    let back = serde_json::to_value(&ticket).expect("serializes");
    assert_eq!(back["type"], "incident");
    assert_eq!(back["2fa_required"], true);
    assert_eq!(back["sla-seconds"], 3600);
}

#[tokio::test]
async fn attachment_is_sent_as_multipart_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tickets/T-1/attachments"))
        .respond_with(|req: &Request| {
            let ct = req
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let body = String::from_utf8_lossy(&req.body).into_owned();
            let ok = ct.starts_with("multipart/form-data")
                && body.contains("name=\"file\"")
                && body.contains("filename=\"log.txt\"")
                && body.contains("hello attachment")
                && body.contains("name=\"description\"")
                && body.contains("the log");
            if ok {
                ResponseTemplate::new(201).set_body_json(json!({"id": "A-1", "size": 16}))
            } else {
                ResponseTemplate::new(400)
            }
        })
        .expect(1)
        .mount(&server)
        .await;
    let file = connector_runtime::FilePart::new("hello attachment")
        .file_name("log.txt")
        .content_type("text/plain");
    let created = client(&server)
        .add_attachment("T-1", file)
        .description("the log")
        .await
        .expect("uploaded as multipart");
    assert_eq!(created.id.as_deref(), Some("A-1"));
}

#[tokio::test]
async fn double_encoded_path_parameter_is_encoded_twice() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/folders/a%252Fb/tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .list_folder_tickets("a/b")
        .send()
        .await
        .expect("double-encoded path matched");
}

/// The `mock` feature: list parameters are joined as the client joins them, integer
/// enums and renamed properties round-trip, and a mismatched parameter is not matched.
#[tokio::test]
async fn typed_mocks_match_list_parameters_and_serve_typed_pages() {
    use acme_tickets::mock;
    use acme_tickets::types::{ListTicketsStatus, TicketPage};

    let server = MockServer::start().await;
    let ticket: Ticket = serde_json::from_value(json!({
        "id": "T-1", "subject": "Imprimante en panne", "priority": 4, "status": "open"
    }))
    .expect("ticket");
    let page = TicketPage {
        value: Some(vec![ticket.clone()]),
        odata_next_link: None,
    };
    mock::list_tickets()
        .status(ListTicketsStatus::Open)
        .tag(vec!["printer".to_owned(), "paris".to_owned()])
        .top(10)
        .respond_with(&page)
        .expect(1)
        .mount(&server)
        .await;
    mock::get_ticket()
        .ticket_id("T-1")
        .respond_with(&ticket)
        .expect(1)
        .mount(&server)
        .await;
    mock::delete_ticket()
        .respond_empty()
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let got = client
        .list_tickets()
        .status(ListTicketsStatus::Open)
        .tag(vec!["printer".to_owned(), "paris".to_owned()])
        .top(10)
        .await
        .expect("mock matched");
    assert_eq!(got, page);
    assert_eq!(
        got.value.as_deref().and_then(|v| v[0].priority),
        Some(TicketPriority::URGENT)
    );
    assert_eq!(client.get_ticket("T-1").await.expect("matched"), ticket);
    // No ticket id given to the mock: any id matches.
    client
        .delete_ticket("anything")
        .await
        .expect("any id matches");

    let other_tags = client
        .list_tickets()
        .status(ListTicketsStatus::Open)
        .tag(vec!["paris".to_owned(), "printer".to_owned()])
        .top(10)
        .await
        .expect_err("tags in another order are another value");
    assert_eq!(other_tags.status, Some(404));
    let other_id = client.get_ticket("T-2").await.expect_err("not mocked");
    assert_eq!(other_id.status, Some(404));
}
