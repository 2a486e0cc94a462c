//! What servers really send, on the wire: date-times and dates in the forms
//! Gcore's documents show, values that are not dates at all, and bodies that
//! do not match their schema, whose errors name the place.

use fidelity::chrono::{FixedOffset, NaiveDate, TimeDelta, TimeZone, Utc};
use fidelity::operations::ListThingsError;
use fidelity::{Client, Date, DateTime, Error};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::sync::Once;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    capture_logs();
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    (server, client)
}

/// Answers every request with `status` and the JSON text `body`.
async fn answer(server: &MockServer, status: u16, body: &str) {
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", "application/json")
                .set_body_string(body),
        )
        .mount(server)
        .await;
}

/// One thing per value, with that value as `field`.
fn things(field: &str, values: &[&str]) -> String {
    let results: Vec<Value> = values
        .iter()
        .map(|v| json!({"name": "box", "status": "active", field: v}))
        .collect();
    json!({"results": results, "count": values.len()}).to_string()
}

thread_local! {
    static LOGGED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Writes to the buffer of the thread that logs.
struct ThisThread;

impl std::io::Write for ThisThread {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGGED.with_borrow_mut(|logged| logged.extend_from_slice(buf));
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One subscriber for every test, installed before any logs, writing each
/// test's events (its thread's) apart: a subscriber per test would miss
/// events whose callsite another test's thread registered first.
fn capture_logs() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        tracing_subscriber::fmt().with_writer(|| ThisThread).init();
    });
}

/// What this test has logged so far.
fn logs() -> String {
    LOGGED.with_borrow(|logged| String::from_utf8(logged.clone()).unwrap())
}

#[tokio::test]
async fn date_times_decode_in_every_form_servers_send() {
    let (server, client) = setup().await;
    let ten = Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap();
    let ms = ten + TimeDelta::milliseconds(250);
    let cases: [(&str, _); 11] = [
        ("2024-05-01T10:00:00Z", ten),
        ("2024-05-01T12:00:00+02:00", ten),
        ("2024-05-01T12:00:00+0200", ten),
        ("2024-05-01T10:00:00+0000", ten),
        ("2024-05-01T07:30:00-0230", ten),
        // No offset at all: UTC.
        ("2024-05-01T10:00:00", ten),
        ("2024-05-01 10:00:00", ten),
        ("2024-05-01 10:00:00Z", ten),
        ("2024-05-01T10:00:00.25Z", ms),
        ("2024-05-01T10:00:00.250000", ms),
        // More digits than nanoseconds hold: the rest is dropped.
        ("2024-05-01T10:00:00.2500000000001+00:00", ms),
    ];
    let forms: Vec<&str> = cases.iter().map(|(form, _)| *form).collect();
    answer(&server, 200, &things("created_at", &forms)).await;
    let list = client.list_things().await.unwrap();
    for (thing, (form, expected)) in list.results.iter().zip(cases) {
        let decoded = thing.created_at.as_ref().unwrap();
        assert_eq!(decoded, &expected, "{form}");
        assert_eq!(decoded.value(), Some(expected), "{form}");
    }
    // Sent back (and printed) as RFC 3339 in UTC.
    let thing = &list.results[2];
    assert_eq!(
        serde_json::to_value(thing).unwrap()["created_at"],
        "2024-05-01T10:00:00Z"
    );
    assert_eq!(
        list.results[8].created_at.as_ref().unwrap().to_string(),
        "2024-05-01T10:00:00.250Z"
    );
}

#[tokio::test]
async fn unreadable_date_times_and_dates_in_optional_fields_keep_the_response() {
    let (server, client) = setup().await;
    let body = json!({"results": [
        {"name": "a", "status": "active", "created_at": "2024-01", "birthday": "2020-02-29"},
        {"name": "b", "status": "active", "created_at": "2024-05-01T10:00:00Z", "birthday": "2020-13-45"},
    ], "count": 2});
    answer(&server, 200, &body.to_string()).await;
    let list = client.list_things().await.unwrap();
    let first = list.results[0].created_at.as_ref().unwrap();
    assert_eq!(first, &DateTime::Unreadable("2024-01".into()));
    assert_eq!(first.unreadable(), Some("2024-01"));
    assert_eq!(first.value(), None);
    assert_eq!(first.to_string(), "2024-01");
    assert_eq!(
        list.results[0].birthday,
        Some(Date::Value(NaiveDate::from_ymd_opt(2020, 2, 29).unwrap()))
    );
    let second = list.results[1].birthday.as_ref().unwrap();
    assert_eq!(second.unreadable(), Some("2020-13-45"));
    assert!(
        list.results[1]
            .created_at
            .as_ref()
            .unwrap()
            .value()
            .is_some()
    );
    // Each is logged once, as a warning with the text.
    let text = logs();
    assert_eq!(text.matches("WARN").count(), 2, "{text}");
    assert!(
        text.contains("kept a date-time the client cannot read as text value=\"2024-01\""),
        "{text}"
    );
    assert!(text.contains("value=\"2020-13-45\""), "{text}");
    // Sent back unchanged.
    let encoded = serde_json::to_value(&list.results[0]).unwrap();
    assert_eq!(encoded["created_at"], "2024-01");
    let encoded = serde_json::to_value(&list.results[1]).unwrap();
    assert_eq!(encoded["birthday"], "2020-13-45");
}

#[tokio::test]
async fn a_date_time_that_is_not_a_string_is_a_decode_error() {
    let (server, client) = setup().await;
    answer(
        &server,
        200,
        r#"{"results": [{"name": "a", "status": "active", "created_at": 1714557600}], "count": 1}"#,
    )
    .await;
    match client.list_things().await.unwrap_err() {
        Error::Decode(e) => {
            assert_eq!(e.path, "results[0].created_at");
            assert!(
                e.source.to_string().contains("expected a date-time string"),
                "{e}"
            );
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn date_times_and_dates_are_sent_as_rfc3339() {
    let (server, client) = setup().await;
    answer(&server, 200, &things("created_at", &[])).await;
    // From chrono, in any zone; from a value the server sent without a colon.
    let plus_two = FixedOffset::east_opt(2 * 3600)
        .unwrap()
        .with_ymd_and_hms(2024, 5, 1, 12, 0, 0)
        .unwrap();
    client
        .list_things()
        .created_after(plus_two)
        .born_before(NaiveDate::from_ymd_opt(2020, 2, 29).unwrap())
        .await
        .unwrap();
    let received: DateTime = serde_json::from_str("\"2024-05-01 10:00:00.5+0000\"").unwrap();
    client.list_things().created_after(received).await.unwrap();
    let parsed: DateTime = "2024-05-01T10:00:00".parse().unwrap();
    client.list_things().created_after(parsed).await.unwrap();
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        queries,
        [
            "created_after=2024-05-01T10%3A00%3A00Z&born_before=2020-02-29",
            "created_after=2024-05-01T10%3A00%3A00.500Z",
            "created_after=2024-05-01T10%3A00%3A00Z",
        ]
    );
    // Text that is not a date-time does not parse.
    assert!("2024-01".parse::<DateTime>().is_err());
    assert!("2024-01".parse::<Date>().is_err());
}

#[tokio::test]
async fn a_decode_error_names_the_path_and_the_type_and_keeps_the_whole_body() {
    let (server, client) = setup().await;
    let mut results: Vec<Value> = (0..60)
        .map(|i| json!({"name": format!("thing{i}"), "status": "active", "size": i}))
        .collect();
    results[3]["size"] = json!("big");
    results[59]["comment"] = json!("the end of a long body");
    let body = json!({"results": results, "count": 60}).to_string();
    // Longer than the excerpt in the message.
    assert!(body.len() > 2000);
    answer(&server, 200, &body).await;
    let err = client.list_things().await.unwrap_err();
    let Error::Decode(e) = &err else {
        panic!("{err}")
    };
    assert_eq!(e.path, "results[3].size");
    assert_eq!(e.expected, "ThingList");
    assert_eq!(e.status, 200);
    assert_eq!(e.body, body.as_bytes());
    let message = err.to_string();
    assert!(
        message.starts_with(
            "could not decode the 200 OK response body as ThingList: results[3].size: invalid type: string \"big\", expected i32 at line 1 column "
        ),
        "{message}"
    );
    // The log says the same, without the body.
    let text = logs();
    assert!(text.contains("WARN"), "{text}");
    assert!(text.contains("the response body does not match its schema"));
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("path=results[3].size"), "{text}");
    assert!(text.contains("expected=ThingList"), "{text}");
    assert!(text.contains("expected i32"), "{text}");
    assert!(!text.contains("thing0"), "{text}");
}

#[tokio::test]
async fn decode_errors_in_error_bodies_lists_and_malformed_json() {
    let (server, client) = setup().await;
    // A documented error whose body breaks its schema.
    answer(
        &server,
        400,
        r#"{"title": "Bad", "status": "four hundred"}"#,
    )
    .await;
    let Error::Decode(e) = client.list_things().await.unwrap_err() else {
        panic!("not a decode error")
    };
    assert_eq!(
        (e.path.as_str(), e.expected.as_str()),
        ("status", "Problem")
    );

    // A list: the path names the item and the field at fault.
    answer(
        &server,
        200,
        r#"{"results": [{"name": "a", "status": "active"}, {"name": 5, "status": "active"}], "count": 2}"#,
    )
    .await;
    let Error::Decode(e) = client.list_things().await.unwrap_err() else {
        panic!("not a decode error")
    };
    assert_eq!(e.path, "results[1].name");

    // An untagged union keeps an item no alternative fits as sent.
    let sent = r#"[{"meows": true}, {"purrs": true}]"#;
    answer(&server, 200, sent).await;
    let pets = client.list_pets().await.unwrap();
    assert!(
        matches!(pets[1], fidelity::types::Pet::Unknown(_)),
        "{pets:?}"
    );
    assert_eq!(
        serde_json::to_value(&pets).unwrap(),
        serde_json::from_str::<Value>(sent).unwrap()
    );

    // Not JSON, and text after the value: the body itself is at fault.
    for body in [
        "<html>busy</html>",
        r#"{"results": [], "count": 0} trailing"#,
    ] {
        answer(&server, 200, body).await;
        let err = client.list_things().await.unwrap_err();
        let Error::Decode(e) = &err else {
            panic!("{err}")
        };
        assert_eq!(e.path, ".");
        assert_eq!(e.body, body.as_bytes());
        let message = err.to_string();
        assert!(
            message.starts_with("could not decode the 200 OK response body as ThingList: "),
            "{message}"
        );
        assert!(!message.contains(": .:"), "{message}");
    }
    // A key that is not JSON: the place is its object.
    answer(&server, 200, r#"{"results": [{name: "a"}], "count": 1}"#).await;
    let Error::Decode(e) = client.list_things().await.unwrap_err() else {
        panic!("not a decode error")
    };
    assert_eq!(e.path, "results[0]");
    assert!(
        e.source.to_string().starts_with("key must be a string"),
        "{}",
        e.source
    );
    // A documented error that decodes is not a decode error.
    answer(&server, 400, r#"{"title": "Bad"}"#).await;
    let err = client.list_things().await.unwrap_err();
    assert!(
        matches!(err.api_error(), Some(ListThingsError::BadRequest(p)) if p.title.as_deref() == Some("Bad"))
    );
}
