//! The committed client against a local mock server: what goes on the wire
//! and how answers are decoded. Hand-written; the generator leaves `tests/`
//! alone.

use fastedge_api::operations::PatchSecretError;
use fastedge_api::types::{SecretInput, SecretSlotInput};
use fastedge_api::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("secret-key")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("client")
}

fn rotation() -> SecretInput {
    SecretInput {
        comment: Some("rotated".into()),
        secret_slots: Some(vec![SecretSlotInput {
            slot: 1_704_067_200,
            value: Some("P@ssw0rd123!".into()),
        }]),
        ..Default::default()
    }
}

#[tokio::test]
async fn patch_secret_sends_method_path_auth_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/fastedge/v1/secrets/42"))
        .and(header("authorization", "APIKey secret-key"))
        .and(header("content-type", "application/json"))
        .and(header(
            "user-agent",
            concat!("fastedge-api/", env!("CARGO_PKG_VERSION")),
        ))
        // Unset fields are not sent at all (no `name: null`).
        .and(body_json(json!({
            "comment": "rotated",
            "secret_slots": [{"slot": 1_704_067_200, "value": "P@ssw0rd123!"}]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "name": "db-password",
            "comment": "rotated",
            "app_count": 3,
            "secret_slots": [{"slot": 1_704_067_200, "checksum": "5e88"}],
            "added_later": true
        })))
        .expect(1)
        .mount(&server)
        .await;

    let secret = client(&server)
        .patch_secret(42, rotation())
        .await
        .expect("200");
    assert_eq!(secret.name.as_deref(), Some("db-password"));
    assert_eq!(secret.app_count, Some(3));
    let slots = secret.secret_slots.expect("slots");
    assert_eq!(slots[0].slot, 1_704_067_200);
    assert_eq!(slots[0].checksum.as_deref(), Some("5e88"));
}

#[tokio::test]
async fn a_bare_key_gets_the_scheme_prefix_and_a_prefixed_key_is_kept() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "apikey already-prefixed"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("apikey already-prefixed")
        .base_url(server.uri())
        .build()
        .unwrap();
    client
        .patch_secret(1, SecretInput::default())
        .await
        .expect("sent as given");
}

#[tokio::test]
async fn documented_errors_decode_into_their_variants() {
    let server = MockServer::start().await;
    let cases = [
        (400, json!({"error": "bad name"})),
        (409, json!({"error": "in use", "conflicting_ids": [7, 8]})),
        (503, json!({"error": "later"})),
    ];
    for (i, (status, body)) in cases.iter().enumerate() {
        Mock::given(path(format!("/fastedge/v1/secrets/{i}")))
            .respond_with(
                ResponseTemplate::new(*status)
                    .set_body_json(body)
                    .insert_header("x-request-id", "req-1"),
            )
            .mount(&server)
            .await;
    }
    Mock::given(path("/fastedge/v1/secrets/9"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = client(&server);

    let err = client
        .patch_secret(0, SecretInput::default())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.request_id(), Some("req-1"));
    match err.api_error() {
        Some(PatchSecretError::BadRequest(e)) => assert_eq!(e.error, "bad name"),
        other => panic!("expected BadRequest, got {other:?}"),
    }
    match client
        .patch_secret(1, SecretInput::default())
        .await
        .unwrap_err()
    {
        Error::Api(e) => match &e.body {
            PatchSecretError::Conflict(c) => assert_eq!(c.conflicting_ids, [7, 8]),
            other => panic!("expected Conflict, got {other:?}"),
        },
        other => panic!("expected an API error, got {other}"),
    }
    let err = client
        .patch_secret(2, SecretInput::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err.api_error(), Some(PatchSecretError::ServiceUnavailable(e)) if e.error == "later")
    );
    assert!(err.is_retryable());
    let err = client
        .patch_secret(9, SecretInput::default())
        .await
        .unwrap_err();
    assert!(matches!(err.api_error(), Some(PatchSecretError::NotFound)));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn undocumented_statuses_and_bad_bodies_are_reported() {
    let server = MockServer::start().await;
    Mock::given(path("/fastedge/v1/secrets/1"))
        .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
        .mount(&server)
        .await;
    Mock::given(path("/fastedge/v1/secrets/2"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{not json"))
        .mount(&server)
        .await;
    let client = client(&server);
    match client
        .patch_secret(1, SecretInput::default())
        .await
        .unwrap_err()
    {
        Error::UnexpectedStatus(e) => {
            assert_eq!(e.status.as_u16(), 418);
            assert_eq!(&e.body[..], b"teapot");
        }
        other => panic!("expected UnexpectedStatus, got {other}"),
    }
    match client
        .patch_secret(2, SecretInput::default())
        .await
        .unwrap_err()
    {
        Error::Decode(e) => {
            assert_eq!(e.status.as_u16(), 200);
            assert_eq!(&e.body[..], b"{not json");
            assert_eq!((e.path.as_str(), e.expected.as_str()), (".", "Secret"));
        }
        other => panic!("expected Decode, got {other}"),
    }
}

#[test]
fn path_parameters_are_percent_encoded() {
    assert_eq!(
        fastedge_api::path_segment("a b/c?d#e%").unwrap(),
        "a%20b%2Fc%3Fd%23e%25"
    );
    assert_eq!(fastedge_api::path_segment(&42_i64).unwrap(), "42");
}

#[test]
fn secret_values_and_the_key_stay_out_of_debug_output() {
    let shown = format!("{:?}", rotation());
    assert!(!shown.contains("P@ssw0rd123!"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    let client = Client::new("secret-key").unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("secret-key"), "{shown}");
    let builder = format!("{:?}", Client::builder().api_key("secret-key"));
    assert!(!builder.contains("secret-key"), "{builder}");
}

#[test]
fn a_missing_key_fails_at_construction() {
    let err = Client::builder().build().unwrap_err();
    assert!(err.to_string().contains("GCORE_API_KEY"), "{err}");
}
