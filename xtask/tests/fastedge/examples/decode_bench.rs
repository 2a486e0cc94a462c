//! How fast the client decodes a large list response: 1,000 apps, each with
//! a date-time, decoded by plain `serde_json::from_slice` (the client's
//! decoding before decode errors named their place) and by the client
//! (`ListApps::decode`), which tracks the path only when decoding fails;
//! for scale, decoding with the path always tracked. Then date-times alone,
//! read by chrono's own `serde` support and by the client's `DateTime`.
//! Then a union-heavy list: store entries (`Payload`, an untagged
//! union of an object and two arrays of objects), decoded by the client,
//! which chooses the alternative by evidence, and by serde's `untagged`
//! derive, which tries the alternatives in order (the client's decoding
//! before).
//!
//! Run by `cargo xtask bench` in a release build; prints one line a measure.
//! `cargo run --release --example decode_bench [-- <rounds>]`

use fastedge_api::chrono::{self, FixedOffset, Utc};
use fastedge_api::operations::ListApps;
use fastedge_api::reqwest::StatusCode;
use fastedge_api::reqwest::header::HeaderMap;
use fastedge_api::types::{
    ListAppsResponse, Payload, StoreBloomFilter, StoreKvPairValue, StoreSortedSet,
};
use fastedge_api::{DateTime, Operation, RawResponse};
use serde::de::DeserializeOwned;
use serde_json::json;
use std::hint::black_box;
use std::time::{Duration, Instant};

const APPS: usize = 1_000;
const DATE_TIMES: usize = 10_000;
const STORE_ENTRIES: usize = 3_000;
/// Decodes per sample, so that a sample takes milliseconds.
const PER_SAMPLE: usize = 10;

/// A list of apps as the API sends it.
fn apps_body() -> Vec<u8> {
    let apps: Vec<_> = (0..APPS)
        .map(|i| {
            json!({
                "id": i + 1,
                "name": format!("app-{i}"),
                "url": format!("https://app-{i}.example.com"),
                "status": 1,
                "binary": 1000 + i,
                "comment": "An edge app that answers with a greeting",
                "api_type": "wasi-http",
                "debug_until": format!("2026-05-{:02}T{:02}:30:00.123456Z", 1 + i % 28, i % 24),
                "template": 7,
                "template_name": "hello",
                "networks": ["default", "eu"],
                "upgradeable_to": 2000 + i,
                "plan_id": 3,
                "plan": "basic"
            })
        })
        .collect();
    serde_json::to_vec(&json!({"apps": apps, "count": APPS})).unwrap()
}

/// What chrono's `serde` support does for `DateTime<Utc>`.
struct ChronoSerde(chrono::DateTime<Utc>);

impl<'de> serde::Deserialize<'de> for ChronoSerde {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <&str>::deserialize(deserializer)?;
        text.parse::<chrono::DateTime<FixedOffset>>()
            .map(|t| ChronoSerde(t.with_timezone(&Utc)))
            .map_err(serde::de::Error::custom)
    }
}

/// Store entries of each kind in turn: a value, a sorted set, a bloom filter.
fn store_entries_body() -> Vec<u8> {
    let entries: Vec<_> = (0..STORE_ENTRIES)
        .map(|i| match i % 3 {
            0 => json!({"value": format!("value {i}"), "encoding": "plain", "expiry": "2026-05-01T00:00:00Z"}),
            1 => json!([
                {"value": format!("member {i}"), "encoding": "plain", "score": i as f64 / 2.0},
                {"value": "b3RoZXI=", "encoding": "base64", "score": 1.5}
            ]),
            _ => json!([{"value": format!("item {i}"), "encoding": "plain"}, {"value": "x", "encoding": "plain"}]),
        })
        .collect();
    serde_json::to_vec(&entries).unwrap()
}

/// How the union decoded before: serde's `untagged` derive, alternatives in
/// document order (a bloom filter's items decode as a sorted set's).
#[derive(serde::Deserialize)]
#[serde(untagged)]
#[allow(dead_code, reason = "only decoded, to be timed")]
enum InOrder {
    KvPairValue(Box<StoreKvPairValue>),
    SortedSet(StoreSortedSet),
    BloomFilter(StoreBloomFilter),
}

fn from_slice<T: DeserializeOwned>(body: &[u8]) -> T {
    serde_json::from_slice(body).unwrap()
}

fn path_tracked<T: DeserializeOwned>(body: &[u8]) -> T {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).unwrap()
}

/// The median time of one decode by each of `ways`, sampled in turn (each
/// round starting with the next one, so none always runs first).
fn medians<const N: usize>(rounds: usize, ways: [&dyn Fn(); N]) -> [Duration; N] {
    let mut samples: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::new());
    for round in 0..rounds {
        for i in (0..N).map(|i| (i + round) % N) {
            let start = Instant::now();
            for _ in 0..PER_SAMPLE {
                ways[i]();
            }
            samples[i].push(start.elapsed() / PER_SAMPLE as u32);
        }
    }
    samples.map(|mut s| {
        s.sort();
        s[s.len() / 2]
    })
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn ratio(d: Duration, baseline: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() / baseline.as_secs_f64())
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map_or(31, |r| r.parse().expect("rounds"));
    let body = apps_body();
    let raw = RawResponse::new(StatusCode::OK, HeaderMap::new(), body.clone());
    let decoded = ListApps::decode(&raw).unwrap();
    assert_eq!(decoded, from_slice::<ListAppsResponse>(&body));
    assert_eq!(decoded.apps.len(), APPS);
    let [plain, client, tracked] = medians(
        rounds,
        [
            &|| drop(black_box(from_slice::<ListAppsResponse>(black_box(&body)))),
            &|| drop(black_box(ListApps::decode(black_box(&raw)).unwrap())),
            &|| {
                drop(black_box(path_tracked::<ListAppsResponse>(black_box(
                    &body,
                ))))
            },
        ],
    );
    println!(
        "decoding {APPS} apps ({} KB), median of {rounds}: serde_json::from_slice {}, client {} (ratio {}), path always tracked {} (ratio {})",
        body.len() / 1024,
        ms(plain),
        ms(client),
        ratio(client, plain),
        ms(tracked),
        ratio(tracked, plain)
    );

    let date_times: Vec<String> = (0..DATE_TIMES)
        .map(|i| format!("2026-05-{:02}T{:02}:30:00.123456Z", 1 + i % 28, i % 24))
        .collect();
    let body = serde_json::to_vec(&date_times).unwrap();
    let theirs = from_slice::<Vec<ChronoSerde>>(&body);
    let ours = from_slice::<Vec<DateTime>>(&body);
    assert!(theirs.iter().zip(&ours).all(|(t, o)| *o == t.0));
    let [chrono_serde, date_time] = medians(
        rounds,
        [
            &|| drop(black_box(from_slice::<Vec<ChronoSerde>>(black_box(&body)))),
            &|| drop(black_box(from_slice::<Vec<DateTime>>(black_box(&body)))),
        ],
    );
    println!(
        "decoding {DATE_TIMES} date-times, median of {rounds}: chrono's serde {}, DateTime {} (ratio {})",
        ms(chrono_serde),
        ms(date_time),
        ratio(date_time, chrono_serde)
    );

    let body = store_entries_body();
    let entries = from_slice::<Vec<Payload>>(&body);
    assert!(matches!(entries[2], Payload::StoreBloomFilter(_)));
    let sent = from_slice::<Vec<serde_json::Value>>(&body);
    for (i, (entry, sent)) in entries.iter().zip(&sent).enumerate() {
        let back = serde_json::to_value(entry).unwrap();
        assert!(back == *sent, "entry {i}: {sent} encodes back as {back}");
    }
    let [in_order, by_evidence] = medians(
        rounds,
        [
            &|| drop(black_box(from_slice::<Vec<InOrder>>(black_box(&body)))),
            &|| drop(black_box(from_slice::<Vec<Payload>>(black_box(&body)))),
        ],
    );
    println!(
        "decoding {STORE_ENTRIES} store entries, an untagged union ({} KB), median of {rounds}: in document order (serde untagged) {}, by evidence (client) {} (ratio {})",
        body.len() / 1024,
        ms(in_order),
        ms(by_evidence),
        ratio(by_evidence, in_order)
    );
}
