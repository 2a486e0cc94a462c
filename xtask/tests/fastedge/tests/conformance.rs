//! Every operation of the full FastEdge client against Prism, a mock server
//! that validates each request against the spec (answering 400 or 422 with
//! the violation when one breaks it) and answers with schema-valid responses.
//!
//! Run by `xtask/tests/client_crates.rs`, which starts Prism and passes its
//! URL in `PRISM_URL` and the spec's operation ids in `EXPECTED_OPERATIONS`.

use chrono::{DateTime, TimeZone, Utc};
use fastedge_api::reqwest::header::{HeaderName, HeaderValue};
use fastedge_api::types::{
    AddSecretRequest, ApiType, AppInput, AppSecretShortInput, Byod, DataType, EncodedValue,
    Encoding, KvDatatype, KvStoreInput, ModifyStoreDataEntry, Ordering, Payload, SecretInput,
    SecretSlotInput, Sort, StoreEntryOp, StoreKvPairValue, StoreSortedSetItem, TemplateInput,
    TemplateParam, UpdateAppRequest, UpdateSecretRequest,
};
use fastedge_api::{BinaryBody, Client, Operation, Request};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

/// Rounds of random responses for each read operation.
const DYNAMIC_ROUNDS: usize = 40;

fn client() -> Client {
    let url = std::env::var("PRISM_URL")
        .expect("PRISM_URL is unset: run this through xtask/tests/client_crates.rs");
    Client::builder()
        .api_key("conformance-test-key")
        .base_url(url)
        // A failure must show at once, not after retries.
        .max_retries(0)
        .build()
        .expect("client")
}

/// The calls made and what went wrong.
#[derive(Default)]
struct Calls {
    called: BTreeSet<&'static str>,
    sent: usize,
    failures: Vec<String>,
}

impl Calls {
    /// Sends a request; it must get a 2xx whose body decodes.
    async fn check<Op>(&mut self, request: Request<Op>)
    where
        Op: Operation + 'static,
        Op::Output: Debug,
    {
        self.called.insert(Op::ID);
        self.sent += 1;
        match request.send_with_response().await {
            Ok(response) if response.status.is_success() => {}
            Ok(response) => self
                .failures
                .push(format!("{}: status {}", Op::ID, response.status)),
            Err(e) => {
                // Prism names what broke the spec in a header.
                let violations = e
                    .headers()
                    .and_then(|h| h.get("sl-violations"))
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                self.failures.push(format!("{}: {e} {violations}", Op::ID));
            }
        }
    }

    fn assert_no_failures(&self) {
        assert!(
            self.failures.is_empty(),
            "{} of {} requests failed:\n{}",
            self.failures.len(),
            self.sent,
            self.failures.join("\n")
        );
    }
}

/// Asks Prism for a random schema-valid response instead of the examples.
fn dynamic<Op: Operation>(request: Request<Op>, on: bool) -> Request<Op> {
    if on {
        request.header(
            HeaderName::from_static("prefer"),
            HeaderValue::from_static("dynamic=true"),
        )
    } else {
        request
    }
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0).unwrap()
}

/// Every GET operation, with realistic arguments.
async fn reads(c: &Client, calls: &mut Calls, random: bool) {
    let d = random;
    calls
        .check(dynamic(
            c.list_apps()
                .name("image-resizer")
                .api_type(ApiType::WasiHttp)
                .status(1)
                .template(3)
                .binary(12)
                .plan(1)
                .limit(50)
                .offset(100)
                .ordering(Ordering::MinusName),
            d,
        ))
        .await;
    calls.check(dynamic(c.get_app(42), d)).await;
    calls
        .check(dynamic(
            c.list_logs(42)
                .from(at(1))
                .to(at(31))
                .edge("ams")
                .search("timeout")
                .client_ip("203.0.113.7")
                .request_id("5f1c2d")
                .sort(Sort::Desc)
                .limit(100)
                .offset(0),
            d,
        ))
        .await;
    // Deprecated by the spec, yet still served: every operation is checked.
    #[allow(deprecated)]
    let by_name = c.get_app_id_by_name("image-resizer");
    calls.check(dynamic(by_name, d)).await;
    calls.check(dynamic(c.list_binaries(), d)).await;
    calls.check(dynamic(c.get_binary(12), d)).await;
    calls
        .check(dynamic(c.list_stores().app_id(42).limit(50).offset(0), d))
        .await;
    calls.check(dynamic(c.get_store(7), d)).await;
    calls
        .check(dynamic(
            c.get_store_data(7)
                .data_type(vec![KvDatatype::Kv, KvDatatype::SortedSet])
                .search("user:*")
                .min_score(0.0)
                .max_score(100.0)
                .limit(50)
                .offset(0),
            d,
        ))
        .await;
    calls
        .check(dynamic(
            c.get_store_data_key(7, "leaderboard")
                .min_score(10.0)
                .max_score(99.5)
                .limit(20)
                .offset(0),
            d,
        ))
        .await;
    calls.check(dynamic(c.get_client_me(), d)).await;
    calls
        .check(dynamic(
            c.list_secrets().app_id(42).secret_name("db-password"),
            d,
        ))
        .await;
    calls.check(dynamic(c.get_secret(5), d)).await;
    calls
        .check(dynamic(
            c.stats_duration(at(1), at(2), 3600).id(42).network("gcore"),
            d,
        ))
        .await;
    calls
        .check(dynamic(
            c.stats_calls(at(1), at(2), 300).id(42).network("gcore"),
            d,
        ))
        .await;
    calls
        .check(dynamic(c.stats_kv_store(at(1), at(31)), d))
        .await;
    calls
        .check(dynamic(
            c.list_templates()
                .api_type(ApiType::ProxyWasm)
                .only_mine(true)
                .limit(50)
                .offset(0),
            d,
        ))
        .await;
    calls.check(dynamic(c.get_template(3), d)).await;
}

fn app() -> AppInput {
    AppInput {
        name: Some("image-resizer".into()),
        binary: Some(12),
        status: Some(1),
        env: Some(BTreeMap::from([("LOG_LEVEL".into(), "info".into())])),
        rsp_headers: Some(BTreeMap::from([(
            "Cache-Control".into(),
            "max-age=60".into(),
        )])),
        debug: Some(false),
        comment: Some("Resizes images at the edge".into()),
        secrets: Some(BTreeMap::from([(
            "DB_PASSWORD".into(),
            AppSecretShortInput { id: 5 },
        )])),
        // `app_store` lists its readOnly `name` as required. The client
        // follows OpenAPI 3.0 (required readOnly properties are required in
        // responses only) and cannot send it; Prism reads the 3.1 document
        // as plain JSON Schema and rejects a store without a name. Left out
        // until the generator decides how to read that case.
        stores: None,
        ..Default::default()
    }
}

fn slots() -> Option<Vec<SecretSlotInput>> {
    Some(vec![
        SecretSlotInput {
            slot: 0,
            value: Some("old-P@ssw0rd".into()),
        },
        SecretSlotInput {
            slot: 1_767_225_600,
            value: Some("new-P@ssw0rd".into()),
        },
    ])
}

fn template() -> TemplateInput {
    TemplateInput {
        binary_id: 12,
        name: "Image resizer".into(),
        short_descr: Some("Resizes images".into()),
        long_descr: Some("Resizes images to the width given in the query".into()),
        owned: true,
        params: vec![TemplateParam {
            name: "MAX_WIDTH".into(),
            data_type: DataType::Number,
            mandatory: true,
            descr: Some("Largest width served".into()),
            metadata: None,
        }],
    }
}

fn store() -> KvStoreInput {
    KvStoreInput {
        name: "sessions".into(),
        comment: Some("User sessions".into()),
        byod: Some(Byod {
            url: "https://redis.example.com:6379".into(),
            prefix: "edge".into(),
        }),
    }
}

/// Every operation that changes something, with realistic arguments.
async fn writes(c: &Client, calls: &mut Calls) {
    calls.check(c.add_app().body(app())).await;
    let update = UpdateAppRequest {
        name: Some("image-resizer".into()),
        binary: 12,
        status: 1,
        comment: Some("v2".into()),
        ..Default::default()
    };
    calls.check(c.update_app(42).body(update)).await;
    calls
        .check(c.patch_app(42).body(AppInput {
            status: Some(2),
            ..Default::default()
        }))
        .await;
    calls.check(c.del_app(42)).await;
    calls
        .check(c.store_binary(BinaryBody::from_bytes(&b"\0asm\x01\0\0\0"[..])))
        .await;
    calls.check(c.del_binary(12)).await;
    calls.check(c.add_store(store())).await;
    calls.check(c.update_store(7).body(store())).await;
    let entries = vec![
        ModifyStoreDataEntry {
            key: "user:1".into(),
            datatype: KvDatatype::Kv,
            payload: Some(Payload::StoreKvPairValue(Box::new(StoreKvPairValue {
                value: "John Doe".into(),
                encoding: Some(Encoding::Plain),
                expiry: Some("2026-12-31T23:59:59Z".into()),
            }))),
            op: StoreEntryOp::Add,
        },
        ModifyStoreDataEntry {
            key: "leaderboard".into(),
            datatype: KvDatatype::SortedSet,
            payload: Some(Payload::StoreSortedSet(vec![StoreSortedSetItem {
                value: "player-1".into(),
                encoding: None,
                score: Some(42.5),
            }])),
            op: StoreEntryOp::Add,
        },
        ModifyStoreDataEntry {
            key: "seen".into(),
            datatype: KvDatatype::BloomFilter,
            payload: Some(Payload::StoreBloomFilter(vec![EncodedValue {
                value: "203.0.113.7".into(),
                encoding: None,
            }])),
            op: StoreEntryOp::Add,
        },
        ModifyStoreDataEntry {
            key: "user:2".into(),
            datatype: KvDatatype::Kv,
            payload: None,
            op: StoreEntryOp::DelKey,
        },
    ];
    calls
        .check(c.modify_store_data(7, entries).force(false))
        .await;
    calls.check(c.del_store(7)).await;
    calls
        .check(c.add_secret(AddSecretRequest {
            name: "db-password".into(),
            comment: Some("Primary database".into()),
            secret_slots: slots(),
        }))
        .await;
    calls
        .check(c.update_secret(
            5,
            UpdateSecretRequest {
                name: "db-password".into(),
                comment: Some("Rotated".into()),
                secret_slots: slots(),
            },
        ))
        .await;
    calls
        .check(c.patch_secret(
            5,
            SecretInput {
                secret_slots: slots(),
                ..Default::default()
            },
        ))
        .await;
    calls.check(c.delete_secret(5).force(true)).await;
    calls.check(c.add_template(template())).await;
    calls.check(c.update_template(3, template())).await;
    calls.check(c.del_template(3).force(true)).await;
}

#[tokio::test]
async fn every_operation_is_accepted_and_its_example_response_decodes() {
    let client = client();
    let mut calls = Calls::default();
    reads(&client, &mut calls, false).await;
    writes(&client, &mut calls).await;
    calls.assert_no_failures();

    let ids = std::env::var("EXPECTED_OPERATIONS")
        .expect("EXPECTED_OPERATIONS is unset: run this through xtask/tests/client_crates.rs");
    let expected: BTreeSet<&str> = ids.split(',').collect();
    let missing: Vec<_> = expected.difference(&calls.called).collect();
    let unknown: Vec<_> = calls.called.difference(&expected).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "operations not called: {missing:?}; called but not in the spec: {unknown:?}"
    );
}

#[tokio::test]
async fn random_schema_valid_responses_decode() {
    let client = client();
    let mut calls = Calls::default();
    for _ in 0..DYNAMIC_ROUNDS {
        reads(&client, &mut calls, true).await;
    }
    calls.assert_no_failures();
}
