//! Every name of `generator/tests/fixtures/names.yaml` (runtime, std,
//! prelude, serde and keyword names, and names equal after case
//! conversion) is reachable in Rust and exact on the wire.

use futures_util::StreamExt;
use names::types::*;
use names::{BinaryBody, Client, Nullable};
use serde_json::json;
use wiremock::matchers::{body_json, body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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

/// A value for every property of `Names`, each under its wire name.
fn every_name() -> serde_json::Value {
    // (Too many properties for `json!`'s recursion limit.)
    serde_json::from_str(
        r#"{
    "type": "t",
    "self": {"type": "x"},
    "Self": {"self": {"Self": 2}, "Self": 1},
    "crate": "c",
    "super": "s",
    "new": "n",
    "default": {"count": 5, "Option": "a-b"},
    "Option": "Unknown",
    "Some": [{"ok": true}],
    "None": null,
    "value": [[], [[]]],
    "as_str": "a",
    "ID": {"upper": "U"},
    "id": {"lower": "l"},
    "Id": {"camel": "C"},
    "user-name": {"kebab": "k"},
    "user_name": {"snake": "s"},
    "userName": {"camel": "c"},
    "": "empty",
    "1st": "first",
    "-": "minus",
    "_": "underscore",
    "名前": "name",
    "Result": -1,
    "Box": "text",
    "Vec": {"items": [{"Self": 3}]},
    "String": "string",
    "Serialize": {"type": "request", "send": true},
    "Response": {"additional_properties": "a", "extra": 1},
    "Error": {"message": "m"},
    "Page": {"id": 1},
    "Paginated": {"next": "n"},
    "Nullable": {"None": "none", "Some": null},
    "types": {"operations": "o"},
    "operations": {"types": "t"},
    "crate_": {"super": "s"},
    "BuildError": {"message": "b"},
    "Download": {"url": "u"},
    "BinaryBody": "Ynl0ZXM=",
    "Method": "PATCH",
    "QueryStyle": "deepObject",
    "Ok": {"ok": false},
    "Err": {"err": "e"},
    "Clone": {"of": "o"},
    "Into": 7,
    "Unknown": {"known": true}
}"#,
    )
    .unwrap()
}

#[test]
fn every_property_decodes_into_its_field_and_encodes_under_its_wire_name() {
    let json = every_name();
    let names: Names = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(names.r#type, "t");
    assert_eq!(names.self_.r#type.as_deref(), Some("x"));
    let recursive = names.self_2.as_ref().unwrap();
    assert_eq!(recursive.self_2, Some(1));
    assert_eq!(recursive.self_.as_ref().unwrap().self_2, Some(2));
    assert_eq!(names.crate_.as_deref(), Some("c"));
    assert_eq!(names.super_.as_deref(), Some("s"));
    assert_eq!(names.new.as_deref(), Some("n"));
    assert_eq!(
        names.default,
        Some(DefaultModel::new(5, OptionModel::AMinusB))
    );
    assert_eq!(names.option, Some(OptionModel::UnknownValue));
    assert_eq!(names.some, Some(vec![OkModel { ok: Some(true) }]));
    assert!(names.none.is_null());
    assert_eq!(
        names.value,
        Some(ValueModel(vec![
            ValueModel(vec![]),
            ValueModel(vec![ValueModel(vec![])])
        ]))
    );
    assert_eq!(names.as_str.as_deref(), Some("a"));
    assert_eq!(names.id.as_ref().unwrap().upper.as_deref(), Some("U"));
    assert_eq!(names.id_2.as_ref().unwrap().lower.as_deref(), Some("l"));
    assert_eq!(names.id_3.as_ref().unwrap().camel.as_deref(), Some("C"));
    assert_eq!(
        names.user_minus_name.as_ref().unwrap().kebab.as_deref(),
        Some("k")
    );
    assert_eq!(
        names.user_name.as_ref().unwrap().snake.as_deref(),
        Some("s")
    );
    assert_eq!(
        names.user_name_2.as_ref().unwrap().camel.as_deref(),
        Some("c")
    );
    assert_eq!(names.empty.as_deref(), Some("empty"));
    assert_eq!(names.v1st.as_deref(), Some("first"));
    assert_eq!(names.minus.as_deref(), Some("minus"));
    assert_eq!(names.value_2.as_deref(), Some("underscore"));
    assert_eq!(names.u540d_u524d.as_deref(), Some("name"));
    assert_eq!(names.result, Some(ResultModel::Minus1));
    assert_eq!(names.r#box, Some(BoxModel::String("text".into())));
    assert_eq!(names.string.as_deref(), Some("string"));
    match names.serialize.as_ref().unwrap() {
        SerializeModel::Request(request) => assert_eq!(request.send, Some(true)),
        other => panic!("{other:?}"),
    }
    let response = names.response.as_ref().unwrap();
    assert_eq!(response.additional_properties_field.as_deref(), Some("a"));
    assert_eq!(response.additional_properties["extra"], 1);
    assert_eq!(
        names.nullable,
        Some(NullableModel {
            none: Nullable::Value("none".into()),
            some: None
        })
    );
    assert_eq!(names.crate_2.as_ref().unwrap().super_.as_deref(), Some("s"));
    assert_eq!(names.binary_body.as_deref(), Some("Ynl0ZXM="));
    assert_eq!(names.method, Some(Method::Unknown("PATCH".into())));
    assert_eq!(names.query_style, Some(QueryStyleModel::DeepObject));
    assert_eq!(names.into, Some(7));
    assert_eq!(names.unknown.as_ref().unwrap().known, Some(true));
    assert_eq!(serde_json::to_value(&names).unwrap(), json);
}

#[test]
fn enum_values_that_clash_keep_their_wire_value() {
    let values = [
        ("Some", OptionModel::Some),
        ("None", OptionModel::None),
        ("", OptionModel::Empty),
        ("null", OptionModel::Null),
        ("Unknown", OptionModel::UnknownValue),
        ("unknown", OptionModel::UnknownValue2),
        ("a-b", OptionModel::AMinusB),
        ("a_b", OptionModel::AB),
        ("aB", OptionModel::AB2),
        ("self", OptionModel::SelfValue),
        ("Self", OptionModel::SelfValue2),
        ("type", OptionModel::Type),
        ("Option", OptionModel::Option),
        ("other", OptionModel::Unknown("other".into())),
    ];
    for (wire, value) in values {
        assert_eq!(OptionModel::from(wire), value);
        assert_eq!(serde_json::to_value(&value).unwrap(), json!(wire));
        assert_eq!(
            serde_json::from_value::<OptionModel>(json!(wire)).unwrap(),
            value
        );
    }
    for (wire, value) in [
        (-1, ResultModel::Minus1),
        (0, ResultModel::V0),
        (1, ResultModel::V1),
        (2, ResultModel::V2),
        (-7, ResultModel::Unknown(-7)),
    ] {
        assert_eq!(serde_json::to_value(value).unwrap(), json!(wire));
        assert_eq!(
            serde_json::from_value::<ResultModel>(json!(wire)).unwrap(),
            value
        );
    }
}

#[tokio::test]
async fn parameters_named_like_builder_members_and_keywords_are_sent_by_their_names() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/builds"))
        .and(header("Self", "in a header"))
        .and(header("cookie", "crate=baked"))
        .and(body_json(json!("type")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"type": "t", "self": {}})))
        .mount(&server)
        .await;
    let names = client
        .build()
        .send_param("1")
        .timeout_param(2)
        .header_param("3")
        .new_param("4")
        .client_param("5")
        .options_param("6")
        .operation_mut_param("7")
        .into_future_param("8")
        .into_stream_param("9")
        .fmt_param("10")
        .body_2("11")
        .self_("12")
        .self_2("13")
        .r#type("14")
        .crate_("15")
        .option("16")
        .user_minus_name("17")
        .user_name("18")
        .user_name_2("19")
        .self_3("in a header")
        .crate_2("baked")
        .body(OptionModel::Type)
        .await
        .unwrap();
    assert_eq!(names.r#type, "t");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query().unwrap(),
        "send=1&timeout=2&header=3&new=4&client=5&options=6&operation_mut=7&into_future=8\
         &into_stream=9&fmt=10&body=11&self=12&Self=13&type=14&crate=15&Option=16\
         &user-name=17&user_name=18&userName=19"
    );
}

#[tokio::test]
async fn operations_named_like_runtime_items_send_their_requests() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/files/a%20b"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"data".to_vec()))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/files/x/5"))
        .and(body_string("raw"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/query-style"))
        .respond_with(ResponseTemplate::new(201).set_body_string("made"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/new"))
        .and(body_json(json!({"count": 3, "Option": "Some"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"items": []})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/form"))
        .and(body_string("type=request&send=false"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pages"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"count": 2, "results": [{"id": 1}, {"id": 2}]})),
        )
        .mount(&server)
        .await;

    assert_eq!(&client.download("a b").await.unwrap()[..], b"data");
    client
        .send("x", 5, BinaryBody::from_bytes("raw"))
        .await
        .unwrap();
    let out = client
        .query_style()
        .error(ResultModel::Minus1)
        .result(ClientModel::new("t"))
        .await
        .unwrap();
    assert_eq!(
        out,
        names::operations::QueryStyleOutput::Created("made".into())
    );
    let created = client
        .new_operation(DefaultModel::new(3, OptionModel::Some))
        .await
        .unwrap();
    assert_eq!(
        created,
        BoxModel::Vec(Box::new(VecModel {
            items: Some(vec![])
        }))
    );
    client
        .client(RequestModel {
            r#type: "request".into(),
            send: Some(false),
        })
        .await
        .unwrap();
    let pages: Vec<PageModel> = client
        .page()
        .into_stream()
        .map(|item| item.unwrap())
        .collect()
        .await;
    assert_eq!(pages.len(), 2);

    let requests = server.received_requests().await.unwrap();
    let query_style = requests
        .iter()
        .find(|r| r.url.path() == "/query-style")
        .unwrap();
    assert_eq!(query_style.url.query(), Some("Error=-1&Result%5Btype%5D=t"));
    // A default decodes where the server leaves the value out.
    let default: DefaultModel = serde_json::from_value(json!({"Option": "None"})).unwrap();
    assert_eq!(default, DefaultModel::new(3, OptionModel::None));
}
