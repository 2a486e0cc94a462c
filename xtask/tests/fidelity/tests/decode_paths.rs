//! A decode error names the place that serde's path tracking names, found
//! from serde_json's error position without decoding the body again:
//! compared with `serde_path_to_error` over thousands of broken bodies
//! (values of the wrong type, missing fields, truncation, stray bytes), in
//! compact and indented JSON with non-ASCII text.

use fidelity::reqwest::StatusCode;
use fidelity::reqwest::header::HeaderMap;
use fidelity::types::ThingList;
use fidelity::{Error, RawResponse};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The path `serde_path_to_error` gives, as the client writes it: a last
/// segment that is an unreadable map key is left out, and text after the
/// value is the body's fault.
fn tracked(body: &[u8]) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, ThingList>(&mut deserializer) {
        Err(e) => {
            let text = e.path().to_string();
            let unknown = matches!(
                e.path().iter().next_back(),
                Some(serde_path_to_error::Segment::Unknown)
            );
            if !unknown {
                return text;
            }
            match text.trim_end_matches('?').strip_suffix('.') {
                Some(parent) => parent.to_string(),
                None => ".".to_string(),
            }
        }
        Ok(_) => ".".to_string(),
    }
}

/// xorshift: the same bodies on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn thing(rng: &mut Rng, depth: usize) -> Value {
    let status = ["active", "Active"][rng.below(2)];
    let mut thing = json!({
        "name": format!("box é {}", rng.below(9)),
        "status": status,
    });
    let optional = [
        ("id", json!("3f2b8c1e-9d4a-4b6f-8e2a-1c5d7f9a0b3e")),
        ("size", json!(42)),
        ("small", json!(255)),
        ("yourwebsite.com:8000", json!("site")),
        ("created_at", json!("2026-05-27T10:00:00Z")),
        ("birthday", json!("2020-02-29")),
        ("comment", json!(null)),
        ("labels", json!({"env": "prod", "tier": "1"})),
        ("priority", json!(2)),
        ("value", json!(["a", "b"])),
        ("shape", json!({"shape_type": "circle", "radius": 1.5})),
        ("kind", json!("thing")),
        ("enabled", json!(false)),
    ];
    for (key, value) in optional {
        if rng.below(2) == 0 {
            thing[key] = value;
        }
    }
    if depth < 2 && rng.below(3) == 0 {
        thing["parent"] = self::thing(rng, depth + 1);
    }
    thing
}

const WRONG: [&str; 11] = [
    "\"x\"",
    "-1",
    "1.5",
    "true",
    "null",
    "{}",
    "[]",
    "[\"a\"]",
    "{\"a\": 1}",
    "70000",
    "\"c\"",
];

/// A valid body, then broken in one way.
fn broken(rng: &mut Rng) -> Vec<u8> {
    let results: Vec<Value> = (0..rng.below(4)).map(|_| thing(rng, 0)).collect();
    let list = json!({"results": results, "count": rng.below(5)});
    let mut body = if rng.below(2) == 0 {
        serde_json::to_vec(&list).unwrap()
    } else {
        serde_json::to_vec_pretty(&list).unwrap()
    };
    match rng.below(4) {
        // A value of the wrong type where a value starts.
        0 => {
            let starts: Vec<usize> = body
                .iter()
                .enumerate()
                .filter(|(_, b)| matches!(b, b':' | b'['))
                .map(|(i, _)| i + 1)
                .collect();
            let mut start = starts[rng.below(starts.len())];
            while body[start].is_ascii_whitespace() {
                start += 1;
            }
            let mut end = start;
            if body[start] == b'"' {
                end += 1;
                while body[end] != b'"' {
                    end += 1;
                }
                end += 1;
            } else if !b"{[]}".contains(&body[start]) {
                while !b",}] \n".contains(&body[end]) {
                    end += 1;
                }
            }
            body.splice(start..end, WRONG[rng.below(WRONG.len())].bytes());
        }
        // Cut short.
        1 => body.truncate(rng.below(body.len())),
        // A required field missing (renamed).
        2 => {
            let text = String::from_utf8(body).unwrap();
            let field = ["\"name\"", "\"status\"", "\"count\"", "\"shape_type\""][rng.below(4)];
            body = text.replacen(field, "\"renamed\"", 1).into_bytes();
        }
        // A stray byte.
        _ => {
            let at = rng.below(body.len());
            body.insert(at, b"x}],:\""[rng.below(6)]);
        }
    }
    body
}

/// The one place where the client's path is shorter by design: an error
/// inside a value that is read whole before it is decoded (a union, an
/// internally tagged object) and is the last of its object is placed at
/// that object, since serde_json reports it where a missing field of the
/// object is reported too, after the object's `}`.
fn ends_its_object(body: &[u8], error: &serde_json::Error, ours: &str, tracked: &str) -> bool {
    let line_start: usize = body
        .split(|&b| b == b'\n')
        .take(error.line() - 1)
        .map(|line| line.len() + 1)
        .sum();
    let read = &body[..(line_start + error.column()).min(body.len())];
    let closed = read.trim_ascii_end().ends_with(b"}");
    let one_key_more = match tracked.strip_prefix(ours) {
        Some(rest) if ours == "." => !rest.is_empty(),
        Some(rest) => rest.starts_with('.') && !rest[1..].contains(['.', '[']),
        None => ours == "." && !tracked.contains(['.', '[']),
    };
    closed && one_key_more && error.classify() == serde_json::error::Category::Data
}

#[test]
fn decode_errors_name_the_place_serde_path_tracking_names() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut compared: BTreeMap<String, usize> = BTreeMap::new();
    let mut differ = Vec::new();
    for _ in 0..20_000 {
        let body = broken(&mut rng);
        let raw = RawResponse::new(StatusCode::OK, HeaderMap::new(), body.clone());
        let Err(Error::Decode(e)) = raw.json::<ThingList, ()>() else {
            continue;
        };
        *compared
            .entry(format!("{:?}", e.source.classify()))
            .or_default() += 1;
        let want = tracked(&body);
        if e.path != want && ends_its_object(&body, &e.source, &e.path, &want) {
            *compared.entry("placed at the object".into()).or_default() += 1;
        } else if e.path != want && differ.len() < 10 {
            differ.push(format!(
                "{want} != {} ({}) in {}",
                e.path,
                e.source,
                String::from_utf8_lossy(&body)
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    eprintln!("decode error paths compared: {compared:?}");
    // Every kind of failure was tried, many times.
    for category in ["Data", "Eof", "Syntax"] {
        assert!(
            compared.get(category).is_some_and(|&n| n > 1000),
            "{compared:?}"
        );
    }
}
