//! FastEdge payloads, written for the purpose in the shapes the API
//! documents, through the full client's types.

use fastedge_api::Nullable;
use fastedge_api::types::*;
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("decodes")
}

#[test]
fn store_entry_payloads_decode_in_each_documented_shape() {
    // A key-value pair.
    let kv: StoreEntry = decode(json!({
        "key": "greeting", "datatype": "kv",
        "payload": {"value": "aGVsbG8=", "encoding": "base64", "expiry": "2024-12-31T23:59:59Z"}
    }));
    match kv.payload {
        Some(Payload::StoreKvPairValue(v)) => {
            assert_eq!(v.value, "aGVsbG8=");
            assert_eq!(v.encoding, Some(Encoding::Base64));
            assert_eq!(v.expiry.as_deref(), Some("2024-12-31T23:59:59Z"));
        }
        other => panic!("expected a kv value, got {other:?}"),
    }
    // A sorted set: items with scores.
    let set: StoreEntry = decode(json!({
        "key": "leaders", "datatype": "sorted_set",
        "payload": [{"value": "alice", "score": 42.5}, {"value": "bob", "score": 7.0}]
    }));
    match set.payload {
        Some(Payload::StoreSortedSet(items)) => {
            assert_eq!(items.len(), 2);
            assert_eq!(items[0].score, Some(42.5));
        }
        other => panic!("expected a sorted set, got {other:?}"),
    }
    // A bloom filter: values without scores. Its items also fit a sorted set
    // (whose score is optional), but a bloom filter's item is the closer fit
    // (it names fewer properties), so it decodes as one.
    let bloom: StoreEntry = decode(json!({
        "key": "seen", "datatype": "bloom_filter",
        "payload": [{"value": "a"}, {"value": "b", "encoding": "plain"}]
    }));
    assert_eq!(bloom.datatype, KvDatatype::BloomFilter);
    match bloom.payload {
        Some(Payload::StoreBloomFilter(items)) => {
            let values: Vec<&str> = items.iter().map(|i| i.value.as_str()).collect();
            assert_eq!(values, ["a", "b"]);
        }
        other => panic!("expected a bloom filter, got {other:?}"),
    }
    // No payload at all.
    let bare: StoreEntry = decode(json!({"key": "k", "datatype": "kv"}));
    assert!(bare.payload.is_none());
}

#[test]
fn an_app_decodes_with_a_null_log_unknown_fields_and_new_enum_values() {
    let app: App = decode(json!({
        "name": "my-edge-app", "url": "my-edge-app.fastedge.gcore.dev", "binary": 12345,
        "status": 1, "plan_id": 3, "plan": "basic", "api_type": "wasi-http",
        "env": {"var1": "value1"}, "rsp_headers": {}, "log": null,
        "debug_until": "2026-05-27T10:30:00Z", "networks": ["gcore"],
        "secrets": {"DB": {"id": 7, "name": "db", "comment": "x"}},
        "stores": {"cache": {"id": 9, "name": "cache"}},
        "a_field_added_later": [1, 2, 3]
    }));
    #[allow(deprecated)] // `log` is deprecated in the API
    let log = app.log.clone();
    assert_eq!(log, Nullable::Null);
    assert_eq!(app.secrets.unwrap()["DB"].name.as_deref(), Some("db"));
    assert_eq!(
        app.debug_until.unwrap().value().unwrap().to_rfc3339(),
        "2026-05-27T10:30:00+00:00"
    );

    let datatype: KvDatatype = decode(json!("hyperloglog"));
    assert_eq!(datatype, KvDatatype::Unknown("hyperloglog".into()));
    assert_eq!(serde_json::to_value(&datatype).unwrap(), "hyperloglog");
}

#[test]
fn a_patch_of_an_app_sends_only_what_was_set_including_an_explicit_null() {
    let mut patch = AppInput::default();
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({}));
    patch.comment = Some("moved".into());
    #[allow(deprecated)] // clearing the deprecated `log` is still allowed
    {
        patch.log = Nullable::Null;
    }
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"comment": "moved", "log": null})
    );
}

#[test]
fn list_responses_and_stats_decode() {
    let page: ListAppsResponse = decode(json!({
        "apps": [{"id": 1, "name": "a", "status": 1, "binary": 2, "api_type": "wasi-http", "plan_id": 3}],
        "count": 1
    }));
    assert_eq!(page.apps[0].name, "a");
    let stats: StatsCallsResponse = decode(json!({
        "stats": [{"time": "2026-01-01T00:00:00Z", "count_by_status": [{"status": 200, "count": 10}]}]
    }));
    assert_eq!(stats.stats[0].count_by_status[0].count, 10);
    let conflict: ConflictError = decode(json!({"error": "in use", "conflicting_ids": [1, 2]}));
    assert_eq!(conflict.conflicting_ids, [1, 2]);
}
