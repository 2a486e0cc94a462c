//! Retries, timeouts, headers and logs of the committed client, on a local
//! mock server. `patchSecret` is a PATCH: it may be sent again only when the
//! server cannot have acted on it (429, 503, no connection). Hand-written.

use fastedge_api::operations::PatchSecretError;
use fastedge_api::reqwest::header::{HeaderName, HeaderValue};
use fastedge_api::types::{SecretInput, SecretSlotInput};
use fastedge_api::{Client, ClientBuilder, Error};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "key-3f9a1c77";
const SECRET_VALUE: &str = "s3cr3t-v4lue-81b2";

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder().api_key(KEY).base_url(server.uri())
}

fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client")
}

fn rotation() -> SecretInput {
    SecretInput {
        secret_slots: Some(vec![SecretSlotInput {
            slot: 1_767_225_600,
            value: Some(SECRET_VALUE.into()),
        }]),
        ..Default::default()
    }
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"name": "db-password"}))
}

/// A status that asks for an immediate retry.
fn status_now(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"error": "try again"}))
        .insert_header("retry-after-ms", "0")
}

/// Answers `first` once, then `then`.
async fn mount_sequence(server: &MockServer, first: ResponseTemplate, then: ResponseTemplate) {
    Mock::given(method("PATCH"))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(then)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

#[tokio::test]
async fn a_patch_the_server_received_is_not_sent_again() {
    for status in [500, 502, 504, 408] {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .respond_with(status_now(status))
            .mount(&server)
            .await;
        let err = client(&server)
            .patch_secret(1, rotation())
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(requests(&server).await, 1, "status {status} was retried");
    }
}

#[tokio::test]
async fn a_patch_is_retried_on_429_and_503_up_to_max_retries() {
    for status in [429, 503] {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .respond_with(status_now(status))
            .mount(&server)
            .await;
        // Default: two retries, then the last answer is decoded.
        let err = client(&server)
            .patch_secret(1, rotation())
            .await
            .unwrap_err();
        assert_eq!(requests(&server).await, 3, "status {status}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(err.is_retryable());
        if status == 503 {
            assert!(matches!(
                err.api_error(),
                Some(PatchSecretError::ServiceUnavailable(e)) if e.error == "try again"
            ));
        }
    }
}

#[tokio::test]
async fn max_retries_is_set_per_client_and_per_request() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(status_now(503))
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(4).build().unwrap();
    client.patch_secret(1, rotation()).await.unwrap_err();
    assert_eq!(requests(&server).await, 5);
    server.reset().await;
    Mock::given(method("PATCH"))
        .respond_with(status_now(503))
        .mount(&server)
        .await;
    client
        .patch_secret(1, rotation())
        .max_retries(0)
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_retry_that_succeeds_returns_the_success_and_resends_the_body() {
    let server = MockServer::start().await;
    mount_sequence(&server, status_now(429), ok()).await;
    let secret = client(&server)
        .patch_secret(1, rotation())
        .await
        .expect("second attempt succeeds");
    assert_eq!(secret.name.as_deref(), Some("db-password"));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body);
    assert!(!received[1].body.is_empty());
}

/// Time taken by a PATCH answered 503 with `headers` once, then 200.
async fn wait_before_retry(headers: &[(&str, String)]) -> Duration {
    let server = MockServer::start().await;
    let mut first = ResponseTemplate::new(503).set_body_json(json!({"error": "busy"}));
    for (name, value) in headers {
        first = first.insert_header(*name, value.as_str());
    }
    mount_sequence(&server, first, ok()).await;
    let started = Instant::now();
    client(&server)
        .patch_secret(1, rotation())
        .await
        .expect("retried");
    started.elapsed()
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    // Backoff alone would wait less than a second before the first retry.
    let waited = wait_before_retry(&[("retry-after", "2".into())]).await;
    assert!(waited >= Duration::from_secs(2), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let at = SystemTime::now() + Duration::from_secs(3);
    // HTTP dates have whole seconds: the wait is over two seconds.
    let waited = wait_before_retry(&[("retry-after", httpdate::fmt_http_date(at))]).await;
    assert!(waited >= Duration::from_millis(1900), "{waited:?}");
    assert!(waited < Duration::from_secs(6), "{waited:?}");
}

#[tokio::test]
async fn retry_after_ms_is_honoured_and_wins_over_retry_after() {
    let waited = wait_before_retry(&[
        ("retry-after-ms", "1500".into()),
        ("retry-after", "30".into()),
    ])
    .await;
    assert!(waited >= Duration::from_millis(1500), "{waited:?}");
    assert!(waited < Duration::from_secs(4), "{waited:?}");
}

#[tokio::test]
async fn without_retry_after_the_backoff_waits_between_half_a_second_and_a_second() {
    let waited = wait_before_retry(&[]).await;
    assert!(waited >= Duration::from_millis(500), "{waited:?}");
    assert!(waited < Duration::from_millis(2500), "{waited:?}");
}

#[tokio::test]
async fn a_slow_answer_times_out_and_a_patch_is_not_resent() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ok().set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.patch_secret(1, rotation()).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(err.is_retryable());
    assert!(matches!(err, Error::Transport(_)));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(requests(&server).await, 1);

    // The request's own timeout overrides the client's.
    let secret = client
        .patch_secret(1, rotation())
        .timeout(Duration::from_secs(10))
        .await
        .expect("waits long enough");
    assert_eq!(secret.name.as_deref(), Some("db-password"));
}

/// Log lines, captured from the `tracing` events of one test.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    /// Captures everything logged on this thread while the guard lives.
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let logs = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || logs.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn a_patch_that_could_not_connect_is_retried() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let logs = Logs::default();
    let err = {
        let _guard = logs.capture();
        client.patch_secret(1, rotation()).await.unwrap_err()
    };
    assert!(matches!(err, Error::Transport(_)), "{err}");
    assert!(err.is_retryable());
    assert!(!err.is_timeout());
    let text = logs.text();
    for attempt in 1..=3 {
        assert!(
            text.contains(&format!("attempt={attempt}")),
            "attempt {attempt} not logged:\n{text}"
        );
    }
    assert!(!text.contains("attempt=4"), "{text}");
    assert!(text.contains("could not connect"), "{text}");
    // Logs name the path template, never the URL.
    assert!(!text.contains(&format!(":{port}/")), "{text}");
    // The message names the cause, and carries no secret.
    let message = err.to_string();
    assert!(message.to_lowercase().contains("connect"), "{message}");
    assert!(!message.contains(KEY));
}

#[tokio::test]
async fn each_request_is_logged_with_its_operation_and_outcome_and_no_secret() {
    let server = MockServer::start().await;
    mount_sequence(&server, status_now(503), ok()).await;
    let logs = Logs::default();
    {
        let _guard = logs.capture();
        client(&server)
            .patch_secret(42, rotation())
            .await
            .expect("retried");
    }
    let text = logs.text();
    for expected in [
        "operation=\"patchSecret\"",
        "method=PATCH",
        "path=\"/fastedge/v1/secrets/{secret_id}\"",
        "attempt=1",
        "status=503",
        "attempt=2",
        "status=200",
        "elapsed_ms=",
        "retrying",
    ] {
        assert!(text.contains(expected), "no {expected} in:\n{text}");
    }
    assert!(!text.contains(KEY), "the key was logged:\n{text}");
    assert!(
        !text.contains(SECRET_VALUE),
        "a secret value was logged:\n{text}"
    );
}

#[tokio::test]
async fn default_per_client_and_per_request_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(header("user-agent", "ops-bot/1.0"))
        .and(header("x-team", "edge"))
        .and(header("x-trace", "abc"))
        .and(path("/fastedge/v1/secrets/1"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .user_agent("ops-bot/1.0")
        .header(
            HeaderName::from_static("x-team"),
            HeaderValue::from_static("edge"),
        )
        .build()
        .unwrap();
    client
        .patch_secret(1, rotation())
        .header(
            HeaderName::from_static("x-trace"),
            HeaderValue::from_static("abc"),
        )
        .await
        .expect("all headers sent");
}

#[tokio::test]
async fn status_headers_and_request_id_are_available_with_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ok().insert_header("x-request-id", "req-77"))
        .mount(&server)
        .await;
    let response = client(&server)
        .patch_secret(1, rotation())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id(), Some("req-77"));
    assert_eq!(response.body.name.as_deref(), Some("db-password"));
}

#[test]
fn the_key_and_secret_values_stay_out_of_errors_and_debug_output() {
    let err = Client::builder()
        .api_key("bad\nkey-with-newline")
        .build()
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("key-with-newline"), "{shown}");
    let request = Client::new(KEY).unwrap();
    let pending = request.patch_secret(1, rotation());
    let shown = format!("{pending:?}");
    assert!(!shown.contains(SECRET_VALUE), "{shown}");
    assert!(!shown.contains(KEY), "{shown}");
}
