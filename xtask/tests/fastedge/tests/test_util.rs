//! The `test-util` feature as a user's tests would use it: code of the
//! application tested against a typed mock of the API, and responses decoded
//! without a server. Run with `--features test-util`.
#![cfg(feature = "test-util")]

use fastedge_api::operations::{GetApp, GetAppError, ListApps};
use fastedge_api::reqwest::StatusCode;
use fastedge_api::reqwest::header::HeaderMap;
use fastedge_api::testing::MockApi;
use fastedge_api::types::{App, AppShort, ErrorModel, ListAppsResponse};
use fastedge_api::{Client, Error, Operation, RawResponse};
use serde_json::json;

/// Code of the application under test: the names of some apps, with a
/// missing app as `None`.
async fn app_names(
    client: &Client,
    ids: &[i64],
) -> Result<Vec<Option<String>>, Error<GetAppError>> {
    let mut names = Vec::new();
    for &id in ids {
        match client.get_app(id).await {
            Ok(app) => names.push(app.name),
            Err(Error::Api(e)) if matches!(e.body, GetAppError::NotFound) => names.push(None),
            Err(e) => return Err(e),
        }
    }
    Ok(names)
}

fn app(name: &str) -> App {
    serde_json::from_value(json!({
        "name": name, "status": 1, "binary": 12, "api_type": "wasi-http", "plan_id": 1
    }))
    .unwrap()
}

#[tokio::test]
async fn user_code_against_a_typed_mock() {
    let api = MockApi::start().await;
    api.on::<GetApp>()
        .respond_with(&app("first"))
        .times(1)
        .mount()
        .await;
    api.on::<GetApp>()
        .respond_with_json(404, &json!({"error": "not found"}))
        .mount()
        .await;
    let names = app_names(&api.client(), &[1, 2]).await.unwrap();
    assert_eq!(names, [Some("first".to_string()), None]);

    // The mock matched the operation's method and path template.
    let paths: Vec<String> = api
        .server()
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        paths,
        ["GET /fastedge/v1/apps/1", "GET /fastedge/v1/apps/2"]
    );
}

#[tokio::test]
async fn a_documented_error_reaches_user_code_typed() {
    let api = MockApi::start().await;
    api.on::<GetApp>()
        .respond_with_json(400, &json!({"error": "bad id"}))
        .mount()
        .await;
    let err = app_names(&api.client(), &[1]).await.unwrap_err();
    let Error::Api(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status, StatusCode::BAD_REQUEST);
    assert!(matches!(&e.body, GetAppError::BadRequest(m) if m.error == "bad id"));

    // A list answered with its typed response, through the paging stream.
    let list: ListAppsResponse = serde_json::from_value(json!({"apps": [], "count": 0})).unwrap();
    api.on::<ListApps>().respond_with(&list).mount().await;
    let none: Vec<AppShort> =
        futures_util::TryStreamExt::try_collect(api.client().list_apps().into_stream())
            .await
            .unwrap();
    assert!(none.is_empty());
}

#[test]
fn a_response_decodes_without_a_server_as_the_operation_does() {
    let body = serde_json::to_vec(&app("decoded")).unwrap();
    let ok = RawResponse::new(StatusCode::OK, HeaderMap::new(), body);
    assert_eq!(
        GetApp::decode(&ok).unwrap().name.as_deref(),
        Some("decoded")
    );

    let bad = serde_json::to_vec(&ErrorModel { error: "no".into() }).unwrap();
    let error = RawResponse::new(StatusCode::BAD_REQUEST, HeaderMap::new(), bad);
    match GetApp::decode(&error) {
        Err(Error::Api(e)) => assert!(matches!(e.body, GetAppError::BadRequest(_))),
        other => panic!("{other:?}"),
    }
    let missing = RawResponse::new(StatusCode::NOT_FOUND, HeaderMap::new(), "");
    assert!(matches!(
        GetApp::decode(&missing),
        Err(Error::Api(e)) if matches!(e.body, GetAppError::NotFound)
    ));
}
