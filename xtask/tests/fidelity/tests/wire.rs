//! Parameters and bodies of every kind on the wire, for the crate generated
//! from `generator/tests/fixtures/fidelity.yaml`.

use fidelity::operations::{CreateThingError, PatchThingError, PatchThingOutput};
use fidelity::types::*;
use fidelity::{BinaryBody, Client};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    (server, client)
}

fn thing_json() -> serde_json::Value {
    json!({"id": "3f2b8c1e-9d4a-4b6f-8e2a-1c5d7f9a0b3e", "name": "box", "status": "active"})
}

#[tokio::test]
async fn query_styles_headers_and_keyword_parameters() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(header("x-request-tag", "t1"))
        .and(header("authorization", "APIKey k"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"results": [thing_json()], "count": 1})),
        )
        .mount(&server)
        .await;
    let list = client
        .list_things()
        .tags(vec!["a".into(), "b c".into()])
        .ids(vec![1, 2])
        .filter(Filter {
            name: Some("n".into()),
            min_size: Some(3),
        })
        .r#type("big")
        .x_request_tag("t1")
        .sort(Sort::MinusName)
        .limit(10)
        .await
        .unwrap();
    assert_eq!(list.count, 1);
    let requests = server.received_requests().await.unwrap();
    let query = requests[0].url.query().unwrap().to_string();
    assert_eq!(
        query,
        "tags=a&tags=b+c&ids=1%2C2&filter%5Bmin_size%5D=3&filter%5Bname%5D=n&type=big&sort=-name&limit=10"
    );
    // What the client can read: the media types of the documented success
    // and error responses.
    assert_eq!(
        requests[0].headers.get("accept").unwrap(),
        "application/json, application/problem+json"
    );
}

#[tokio::test]
async fn path_parameters_are_encoded_and_statuses_pick_their_variant() {
    let (server, client) = setup().await;
    let id: uuid::Uuid = "3f2b8c1e-9d4a-4b6f-8e2a-1c5d7f9a0b3e".parse().unwrap();
    Mock::given(method("PATCH"))
        .and(path(format!("/things/{id}")))
        .and(wiremock::matchers::body_json(
            json!({"name": "box", "status": "active"}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let out = client
        .patch_thing(id)
        .body(ThingInput::new("box", Status::Active))
        .await
        .unwrap();
    assert_eq!(out, PatchThingOutput::NoContent);

    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(thing_json()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    match client.patch_thing(id).await.unwrap() {
        PatchThingOutput::Ok(thing) => assert_eq!(thing.name, "box"),
        other => panic!("{other:?}"),
    }

    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503).set_body_string("maintenance"))
        .mount(&server)
        .await;
    let err = client.patch_thing(id).await.unwrap_err();
    assert!(
        matches!(err.api_error(), Some(PatchThingError::ServiceUnavailable(text)) if text == "maintenance")
    );
}

#[tokio::test]
async fn problem_json_errors_decode() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(
            ResponseTemplate::new(422)
                .insert_header("content-type", "application/problem+json")
                .set_body_json(json!({"type": "about:blank", "title": "Invalid", "status": 422, "detail": "name"})),
        )
        .mount(&server)
        .await;
    let body = ThingInput::new("x", Status::Active);
    let err = client.create_thing(body).await.unwrap_err();
    match err.api_error() {
        Some(CreateThingError::UnprocessableEntity(p)) => {
            assert_eq!(p.detail.as_deref(), Some("name"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn binary_downloads_and_uploads() {
    let (server, client) = setup().await;
    let id = uuid::Uuid::nil();
    Mock::given(method("GET"))
        .and(path(format!("/things/{id}/export")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/csv")
                .set_body_bytes(b"a,b\n1,2\n".to_vec()),
        )
        .mount(&server)
        .await;
    let csv = client.get_things_thing_id_export(id).await.unwrap();
    assert_eq!(&csv[..], b"a,b\n1,2\n");

    Mock::given(method("PUT"))
        .and(path("/raw"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_string("\u{0}raw\u{1}"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client
        .put_raw(BinaryBody::from(b"\x00raw\x01".to_vec()))
        .await
        .unwrap();
}

#[tokio::test]
async fn multipart_and_form_bodies() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "u1"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("username=me&password=p%40ss+word"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "t", "expires_in": 60})),
        )
        .mount(&server)
        .await;
    let uploaded = client
        .upload_file(UploadFileRequest {
            file: b"wasm bytes".to_vec(),
            description: Some("demo".into()),
            tags: Some(vec!["x".into()]),
        })
        .await
        .unwrap();
    assert_eq!(uploaded.id.as_deref(), Some("u1"));
    let token = client
        .login()
        .body(LoginRequest {
            username: "me".into(),
            password: "p@ss word".into(),
        })
        .await
        .unwrap();
    assert_eq!(token.expires_in, Some(60));

    let requests: Vec<Request> = server.received_requests().await.unwrap();
    let upload = &requests[0];
    let content_type = upload
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&upload.body);
    assert!(body.contains("name=\"file\"; filename=\"file\""), "{body}");
    assert!(body.contains("wasm bytes"), "{body}");
    assert!(body.contains("name=\"description\"\r\n\r\ndemo"), "{body}");
    assert!(body.contains("name=\"tags\"\r\n\r\n[\"x\"]"), "{body}");
    // `security: []`: no credentials on the login request.
    assert!(requests[1].headers.get("authorization").is_none());
    // The password stays out of Debug output.
    let shown = format!(
        "{:?}",
        LoginRequest {
            username: "me".into(),
            password: "p@ss word".into()
        }
    );
    assert!(!shown.contains("p@ss"), "{shown}");
}

#[tokio::test]
async fn tagged_union_bodies_and_deprecated_operations() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/shapes"))
        .and(wiremock::matchers::body_json(
            json!({"shape_type": "circle", "radius": 2.0}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"shape_type": "square", "side": 1.0})),
        )
        .mount(&server)
        .await;
    let shape = Shape::Circle(Box::new(Circle {
        shape_type: CircleShapeType::Circle,
        radius: 2.0,
    }));
    let back = client.add_shape(shape).await.unwrap();
    assert!(matches!(back, Shape::Square(_)));

    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    #[allow(deprecated)] // calls a deprecated operation on purpose
    client.delete_thing(uuid::Uuid::nil()).await.unwrap();
}
