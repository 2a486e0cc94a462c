//! The full FastEdge client on a local mock server: what the committed seed
//! (one PATCH) cannot show. Retries by method, auto-paging, uploads, and the
//! FastEdge error bodies (`{error}`, `conflictError`, text/plain, empty).

use bytes::Bytes;
use fastedge_api::operations::{
    DelAppError, DelBinaryError, DeleteSecretError, GetApp, GetAppError, PatchAppError,
};
use fastedge_api::types::{AppInput, AppShort, KvStoreInput};
use fastedge_api::{
    AttemptInfo, AttemptOutcome, BinaryBody, Client, ClientBuilder, Error, Hook, HookFuture, Page,
};
use futures_util::{StreamExt, TryStreamExt, stream};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder().api_key("test-key").base_url(server.uri())
}

fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client")
}

/// A status that asks for an immediate retry.
fn status_now(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"error": "try again"}))
        .insert_header("retry-after-ms", "0")
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

fn app_json(id: i64) -> Value {
    json!({
        "id": id, "name": format!("app-{id}"), "status": 1, "binary": 12,
        "api_type": "wasi-http", "plan_id": 1
    })
}

fn store_json() -> Value {
    json!({"name": "sessions"})
}

// Retries by method.

#[tokio::test]
async fn get_put_and_delete_are_retried_on_408_429_and_5xx() {
    for status in [408, 429, 500, 502, 503, 504] {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(status_now(status))
            .mount(&server)
            .await;
        let client = client(&server);
        let get = client.get_app(42).await.unwrap_err();
        let put = client
            .update_store(7)
            .body(KvStoreInput {
                name: "sessions".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        let delete = client.del_app(42).await.unwrap_err();
        for err in [get.status(), put.status(), delete.status()] {
            assert_eq!(err.map(|s| s.as_u16()), Some(status));
        }
        let sent = requests(&server).await;
        for verb in ["GET", "PUT", "DELETE"] {
            let n = sent.iter().filter(|r| r.method.as_str() == verb).count();
            assert_eq!(n, 3, "{verb} on {status}: 1 attempt and 2 retries");
        }
    }
}

#[tokio::test]
async fn get_is_not_retried_on_a_client_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let err = client(&server).get_app(42).await.unwrap_err();
    assert!(matches!(err.api_error(), Some(GetAppError::NotFound)));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn post_is_retried_only_when_the_server_did_not_act() {
    for (status, attempts) in [(500, 1), (502, 1), (408, 1), (429, 3), (503, 3)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(status_now(status))
            .mount(&server)
            .await;
        client(&server)
            .add_store(KvStoreInput {
                name: "sessions".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(requests(&server).await.len(), attempts, "status {status}");
    }
}

#[tokio::test]
async fn a_get_that_times_out_is_retried_and_a_post_is_not() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(150))
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.get_app(42).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    let err = client
        .add_app()
        .body(AppInput::default())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    let sent = requests(&server).await;
    let count = |verb: &str| sent.iter().filter(|r| r.method.as_str() == verb).count();
    assert_eq!((count("GET"), count("POST")), (2, 1));
}

// Pagination.

/// Matches a request for the page at `offset`: the first page is asked for
/// without one, as the caller did not set it.
fn at_offset(offset: i64) -> MockBuilder {
    if offset == 0 {
        Mock::given(query_param_is_missing("offset"))
    } else {
        Mock::given(query_param("offset", offset.to_string()))
    }
}

/// Serves `total` apps in pages of two.
async fn serve_apps(server: &MockServer, total: i64, with_count: bool) {
    for offset in (0..=total).step_by(2) {
        let apps: Vec<Value> = (offset..(offset + 2).min(total)).map(app_json).collect();
        let mut body = json!({ "apps": apps });
        if with_count {
            body["count"] = json!(total);
        }
        at_offset(offset)
            .and(method("GET"))
            .and(path("/fastedge/v1/apps"))
            .and(query_param("limit", "2"))
            .and(query_param("name", "app"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn into_stream_walks_every_page_with_the_same_filters() {
    let server = MockServer::start().await;
    serve_apps(&server, 5, true).await;
    let client = client(&server);
    let ids: Vec<i64> = client
        .list_apps()
        .name("app")
        .limit(2)
        .into_stream()
        .map_ok(|app| app.id)
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(ids, [0, 1, 2, 3, 4]);
    // Pages 0, 2 and 4; the count says there is no fourth.
    assert_eq!(requests(&server).await.len(), 3);

    let from_two: Vec<i64> = client
        .list_apps()
        .name("app")
        .limit(2)
        .offset(2)
        .into_stream()
        .map_ok(|app| app.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(from_two, [2, 3, 4]);
}

#[tokio::test]
async fn into_pages_yields_whole_pages_with_the_total_and_resumes_from_an_offset() {
    let server = MockServer::start().await;
    serve_apps(&server, 5, true).await;
    let client = client(&server);
    let pages: Vec<Page<AppShort>> = client
        .list_apps()
        .name("app")
        .limit(2)
        .into_pages()
        .try_collect()
        .await
        .expect("all pages");
    let summary: Vec<(u64, usize, Option<u64>, Option<u64>)> = pages
        .iter()
        .map(|p| (p.offset, p.items.len(), p.total, p.next_offset()))
        .collect();
    assert_eq!(
        summary,
        [
            (0, 2, Some(5), Some(2)),
            (2, 2, Some(5), Some(4)),
            (4, 1, Some(5), None)
        ]
    );

    // Resume a walk where an earlier one stopped: at the first page's next offset.
    let resumed: Vec<u64> = client
        .list_apps()
        .name("app")
        .limit(2)
        .offset(pages[0].next_offset().unwrap() as i64)
        .into_pages()
        .map_ok(|page| page.offset)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(resumed, [2, 4]);
}

#[tokio::test]
async fn a_request_and_a_paging_stream_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/fastedge/v1/apps/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(app_json(7)))
        .mount(&server)
        .await;
    serve_apps(&server, 3, true).await;
    let client = client(&server);
    // Both own what they need: the client may go before they run.
    let app = tokio::spawn(client.get_app(7).send());
    let stream = client.list_apps().name("app").limit(2).into_stream();
    let listed =
        tokio::spawn(async move { stream.map_ok(|app| app.id).try_collect::<Vec<_>>().await });
    let stored: Vec<fastedge_api::Request<GetApp>> = vec![client.get_app(7), client.get_app(7)];
    drop(client);
    assert_eq!(app.await.unwrap().unwrap().name.as_deref(), Some("app-7"));
    assert_eq!(listed.await.unwrap().unwrap(), [0, 1, 2]);
    let joined = futures_util::future::try_join_all(stored.into_iter().map(|r| r.send()))
        .await
        .unwrap();
    assert_eq!(joined.len(), 2);
}

#[tokio::test]
async fn without_a_count_the_stream_ends_at_an_empty_page() {
    let server = MockServer::start().await;
    serve_apps(&server, 4, false).await;
    let ids: Vec<i64> = client(&server)
        .list_apps()
        .name("app")
        .limit(2)
        .into_stream()
        .map_ok(|app| app.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [0, 1, 2, 3]);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_items_before_it() {
    let server = MockServer::start().await;
    at_offset(0)
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"apps": [app_json(0), app_json(1)], "count": 9})),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "bad offset"})))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server)
        .list_apps()
        .limit(2)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_ok());
    assert_eq!(
        items[2].as_ref().unwrap_err().status().map(|s| s.as_u16()),
        Some(400)
    );
}

/// Two pages of one item each, for a list operation at `route`.
async fn two_pages(server: &MockServer, route: &str, field: &str, item: Value) {
    for offset in [0, 1] {
        at_offset(offset)
            .and(path(route))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ field: [item.clone()], "count": 2 })),
            )
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn every_fastedge_list_pages_stores_templates_entries_and_logs_too() {
    let server = MockServer::start().await;
    two_pages(
        &server,
        "/fastedge/v1/kv",
        "stores",
        json!({"id": 7, "name": "sessions", "app_count": 1}),
    )
    .await;
    two_pages(
        &server,
        "/fastedge/v1/template",
        "templates",
        json!({"id": 3, "name": "hello", "api_type": "wasi-http", "owned": true}),
    )
    .await;
    two_pages(
        &server,
        "/fastedge/v1/kv/7/data",
        "entries",
        json!({"key": "user:1", "datatype": "kv"}),
    )
    .await;
    two_pages(
        &server,
        "/fastedge/v1/apps/42/logs",
        "logs",
        json!({"id": "l1", "log": "started"}),
    )
    .await;
    let client = client(&server);
    let stores: Vec<_> = client
        .list_stores()
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let templates: Vec<_> = client
        .list_templates()
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let entries: Vec<_> = client
        .get_store_data(7)
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let logs: Vec<_> = client
        .list_logs(42)
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        (stores.len(), templates.len(), entries.len(), logs.len()),
        (2, 2, 2, 2)
    );
    assert_eq!(stores[1].name, "sessions");
    assert_eq!(templates[1].name, "hello");
    assert_eq!(entries[1].key, "user:1");
    assert_eq!(logs[1].log.as_deref(), Some("started"));
}

// Uploads.

const WASM: &[u8] = b"\0asm\x01\0\0\0 a small module";

fn binary_json() -> Value {
    json!({"id": 12, "status": 1, "api_type": "wasi-http"})
}

/// Answers 503 (retry now) once, then the stored binary.
async fn flaky_upload_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/fastedge/v1/binaries/raw"))
        .respond_with(status_now(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/fastedge/v1/binaries/raw"))
        .respond_with(ResponseTemplate::new(200).set_body_json(binary_json()))
        .mount(&server)
        .await;
    server
}

/// Both attempts carried the whole binary as `application/octet-stream`.
async fn assert_sent_twice(server: &MockServer) {
    let sent = requests(server).await;
    assert_eq!(sent.len(), 2);
    for request in sent {
        assert_eq!(request.body, WASM);
        assert_eq!(
            request.headers.get("content-type").unwrap(),
            "application/octet-stream"
        );
    }
}

#[tokio::test]
async fn uploads_from_bytes_are_sent_again_on_a_retry() {
    let server = flaky_upload_server().await;
    let binary = client(&server)
        .store_binary(BinaryBody::from_bytes(WASM))
        .await
        .expect("stored");
    assert_eq!(binary.id, 12);
    assert_sent_twice(&server).await;
}

#[tokio::test]
async fn uploads_from_a_file_reopen_it_for_a_retry() {
    let server = flaky_upload_server().await;
    let file = std::env::temp_dir().join(format!("upload-test-{}.wasm", std::process::id()));
    std::fs::write(&file, WASM).unwrap();
    let result = client(&server)
        .store_binary(BinaryBody::from_file(&file))
        .await;
    std::fs::remove_file(&file).unwrap();
    assert_eq!(result.expect("stored").id, 12);
    assert_sent_twice(&server).await;
    let sent = requests(&server).await;
    let length = WASM.len().to_string();
    assert_eq!(
        sent[1].headers.get("content-length").unwrap(),
        length.as_str()
    );
}

#[tokio::test]
async fn a_missing_file_fails_before_anything_is_sent() {
    let server = MockServer::start().await;
    let err = client(&server)
        .store_binary(BinaryBody::from_file("/no/such/app.wasm"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Build(_)), "{err}");
    assert!(err.to_string().contains("/no/such/app.wasm"), "{err}");
    assert!(requests(&server).await.is_empty());
}

fn chunks() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    stream::iter(
        WASM.chunks(5)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect::<Vec<_>>(),
    )
}

#[tokio::test]
async fn uploads_from_a_replayable_stream_are_streamed_again_on_a_retry() {
    let server = flaky_upload_server().await;
    let body = BinaryBody::from_replayable_stream(chunks);
    assert!(body.is_replayable());
    client(&server).store_binary(body).await.expect("stored");
    assert_sent_twice(&server).await;
}

#[tokio::test]
async fn uploads_from_a_one_shot_stream_are_never_retried() {
    let server = flaky_upload_server().await;
    let body = BinaryBody::from_stream(chunks());
    assert!(!body.is_replayable());
    let err = client(&server).store_binary(body).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body, WASM);
}

// FastEdge's error bodies.

#[tokio::test]
async fn every_kind_of_documented_error_body_decodes() {
    let server = MockServer::start().await;
    let routes = [
        (
            "GET",
            "/fastedge/v1/apps/1",
            ResponseTemplate::new(400).set_body_json(json!({"error": "bad id"})),
        ),
        ("GET", "/fastedge/v1/apps/2", ResponseTemplate::new(404)),
        (
            "PATCH",
            "/fastedge/v1/apps/3",
            ResponseTemplate::new(500).set_body_raw("database down", "text/plain"),
        ),
        (
            "DELETE",
            "/fastedge/v1/apps/4",
            ResponseTemplate::new(503).set_body_raw("maintenance", "text/plain"),
        ),
        (
            "DELETE",
            "/fastedge/v1/secrets/5",
            ResponseTemplate::new(409)
                .set_body_json(json!({"error": "in use", "conflicting_ids": [42, 43]})),
        ),
        (
            "DELETE",
            "/fastedge/v1/binaries/6",
            ResponseTemplate::new(409),
        ),
    ];
    for (verb, route, response) in routes {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(response.insert_header("x-request-id", "req-9"))
            .mount(&server)
            .await;
    }
    let client = builder(&server).max_retries(0).build().unwrap();

    let err = client.get_app(1).await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-9"));
    assert!(matches!(err.api_error(), Some(GetAppError::BadRequest(e)) if e.error == "bad id"));
    let err = client.get_app(2).await.unwrap_err();
    assert!(matches!(err.api_error(), Some(GetAppError::NotFound)));
    assert!(!err.is_retryable());
    let err = client.patch_app(3).await.unwrap_err();
    assert!(
        matches!(err.api_error(), Some(PatchAppError::InternalServerError(t)) if t == "database down"),
        "{err}"
    );
    assert!(err.is_retryable());
    let err = client.del_app(4).await.unwrap_err();
    assert!(
        matches!(err.api_error(), Some(DelAppError::ServiceUnavailable(t)) if t == "maintenance")
    );
    assert!(err.to_string().contains("503"), "{err}");
    match client.delete_secret(5).force(false).await.unwrap_err() {
        Error::Api(e) => match &e.body {
            DeleteSecretError::Conflict(c) => {
                assert_eq!(c.conflicting_ids, [42, 43]);
                assert_eq!(c.error, "in use");
            }
            other => panic!("expected Conflict, got {other:?}"),
        },
        other => panic!("expected an API error, got {other}"),
    }
    let err = client.del_binary(6).await.unwrap_err();
    assert!(matches!(err.api_error(), Some(DelBinaryError::Conflict)));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
}

#[tokio::test]
async fn undocumented_statuses_and_bodies_that_do_not_match_are_reported() {
    let server = MockServer::start().await;
    Mock::given(path("/fastedge/v1/apps/1"))
        .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
        .mount(&server)
        .await;
    Mock::given(path("/fastedge/v1/apps/2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"name": ["not", "a", "name"]})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/fastedge/v1/apps/3"))
        .respond_with(ResponseTemplate::new(400).set_body_string("<html>proxy error</html>"))
        .mount(&server)
        .await;
    let client = client(&server);
    match client.get_app(1).await.unwrap_err() {
        Error::UnexpectedStatus(e) => {
            assert_eq!(e.status.as_u16(), 418);
            assert_eq!(&e.body[..], b"teapot");
        }
        other => panic!("expected UnexpectedStatus, got {other}"),
    }
    match client.get_app(2).await.unwrap_err() {
        Error::Decode(e) => {
            assert_eq!(e.status.as_u16(), 200);
            assert_eq!(&e.body[..], br#"{"name":["not","a","name"]}"#);
            assert_eq!((e.path.as_str(), e.expected.as_str()), ("name", "App"));
        }
        other => panic!("expected Decode, got {other}"),
    }
    // A documented error status with a body that does not match its schema.
    let err = client.get_app(3).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode(e) if e.status.as_u16() == 400),
        "{err}"
    );
    assert!(err.to_string().contains("proxy error"), "{err}");
}

#[tokio::test]
async fn a_store_answer_decodes_with_its_metadata() {
    let server = MockServer::start().await;
    Mock::given(path("/fastedge/v1/kv/7"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(store_json())
                .insert_header("x-request-id", "req-1"),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .get_store(7)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id(), Some("req-1"));
    assert_eq!(response.body.name, "sessions");
}

// Hooks.

/// Signs every attempt with a header that names the attempt.
struct Signer;

impl Hook for Signer {
    fn before_attempt<'a>(
        &'a self,
        attempt: &'a AttemptInfo,
        request: &'a mut fastedge_api::reqwest::Request,
    ) -> HookFuture<'a> {
        Box::pin(async move {
            let value = format!(
                "{} {} #{}",
                attempt.operation_id,
                request.url().path(),
                attempt.number
            );
            request.headers_mut().insert("x-signature", value.parse()?);
            Ok(())
        })
    }
}

/// An attempt (`GET /path 1`) and its status, if the server answered.
type Seen = (String, Option<u16>);

/// Counts attempts and the statuses they ended with.
#[derive(Clone, Default)]
struct Metrics(Arc<Mutex<Vec<Seen>>>);

impl Hook for Metrics {
    fn after_attempt(&self, attempt: &AttemptInfo, outcome: &AttemptOutcome<'_>) {
        let status = match outcome {
            AttemptOutcome::Response { status, .. } => Some(status.as_u16()),
            _ => None,
        };
        let label = format!(
            "{} {} {}",
            attempt.method, attempt.path_template, attempt.number
        );
        self.0.lock().unwrap().push((label, status));
    }
}

#[tokio::test]
async fn hooks_run_in_order_around_every_attempt_retries_included() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/fastedge/v1/apps/3"))
        .respond_with(status_now(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/fastedge/v1/apps/3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(app_json(3)))
        .mount(&server)
        .await;
    let metrics = Metrics::default();
    let client = builder(&server)
        .hook(Signer)
        .hook(metrics.clone())
        .build()
        .unwrap();
    client.get_app(3).await.expect("the third attempt succeeds");

    let signatures: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.headers["x-signature"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(
        signatures,
        [
            "getApp /fastedge/v1/apps/3 #1",
            "getApp /fastedge/v1/apps/3 #2",
            "getApp /fastedge/v1/apps/3 #3"
        ]
    );
    let seen = metrics.0.lock().unwrap().clone();
    let expected: Vec<Seen> = [(1, 503), (2, 503), (3, 200)]
        .iter()
        .map(|(n, s)| (format!("GET /fastedge/v1/apps/{{app_id}} {n}"), Some(*s)))
        .collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn a_transport_failure_reaches_the_hooks_and_a_failing_hook_stops_the_request() {
    // Nothing listens here: every attempt fails to connect.
    let metrics = Metrics::default();
    let client = Client::builder()
        .api_key("test-key")
        .base_url("http://127.0.0.1:9")
        .max_retries(1)
        .hook(metrics.clone())
        .build()
        .unwrap();
    assert!(matches!(client.get_app(3).await, Err(Error::Transport(_))));
    assert_eq!(
        metrics
            .0
            .lock()
            .unwrap()
            .iter()
            .map(|(_, s)| *s)
            .collect::<Vec<_>>(),
        [None, None]
    );

    struct Refuse;
    impl Hook for Refuse {
        fn before_attempt<'a>(
            &'a self,
            _attempt: &'a AttemptInfo,
            _request: &'a mut fastedge_api::reqwest::Request,
        ) -> HookFuture<'a> {
            Box::pin(async { Err("the token could not be refreshed".into()) })
        }
    }
    let server = MockServer::start().await;
    let err = builder(&server)
        .hook(Refuse)
        .build()
        .unwrap()
        .get_app(3)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Hook(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "a hook stopped the request: the token could not be refreshed"
    );
    assert!(!err.is_retryable());
    assert!(requests(&server).await.is_empty(), "nothing is sent");
}
