//! `Client::from_env`: `GCORE_API_KEY`, `GCORE_BASE_URL` and
//! `GCORE_CUSTOM_HEADERS`. The environment belongs to the whole process, so
//! this file holds a single test (its own process, one thread). Hand-written.

use fastedge_api::types::SecretInput;
use fastedge_api::{Client, ConfigError};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn set(name: &str, value: &str) {
    // SAFETY: this test binary runs one test, and the environment is
    // changed only before the mock server and the client start threads.
    unsafe { std::env::set_var(name, value) }
}

fn unset(name: &str) {
    // SAFETY: as in `set`.
    unsafe { std::env::remove_var(name) }
}

#[tokio::test(flavor = "current_thread")]
async fn configuration_comes_from_the_environment() {
    for name in ["GCORE_API_KEY", "GCORE_BASE_URL", "GCORE_CUSTOM_HEADERS"] {
        unset(name);
    }
    // No key: a clear error at construction, naming the variable.
    match Client::from_env() {
        Err(err @ ConfigError::MissingApiKey { .. }) => {
            assert!(err.to_string().contains("GCORE_API_KEY"), "{err}")
        }
        other => panic!("expected MissingApiKey, got {other:?}"),
    }
    // An empty key is no key.
    set("GCORE_API_KEY", "  ");
    assert!(matches!(
        Client::from_env(),
        Err(ConfigError::MissingApiKey { .. })
    ));
    set("GCORE_API_KEY", "env-key");
    set("GCORE_CUSTOM_HEADERS", "no colon here");
    let err = Client::from_env().unwrap_err();
    assert!(
        err.to_string().contains("GCORE_CUSTOM_HEADERS"),
        "the error names the variable: {err}"
    );
    unset("GCORE_CUSTOM_HEADERS");
    set("GCORE_BASE_URL", "not a url");
    assert!(matches!(
        Client::from_env(),
        Err(ConfigError::InvalidBaseUrl { .. })
    ));

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    set("GCORE_BASE_URL", &format!("{uri}/"));
    // One `Name: value` per line; blank lines are skipped, values keep
    // their own colons.
    set(
        "GCORE_CUSTOM_HEADERS",
        "X-Tenant: acme\r\n\nX-Env: staging: blue\n",
    );
    let server = MockServer::builder().listener(listener).start().await;
    Mock::given(method("PATCH"))
        .and(path("/fastedge/v1/secrets/3"))
        .and(header("authorization", "APIKey env-key"))
        .and(header("x-tenant", "acme"))
        .and(header("x-env", "staging: blue"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::from_env().expect("configured");
    assert_eq!(client.base_url(), uri);
    client
        .patch_secret(3, SecretInput::default())
        .await
        .expect("sent with the key and headers from the environment");
}
