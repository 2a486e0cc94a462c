//! Random valid OpenAPI documents, generated and compiled: every document
//! either generates a crate that passes `cargo clippy -D warnings`, or is
//! refused with a located error. Never a panic, never a crate that does not
//! compile.
//!
//! Documents are drawn from a seeded generator (below) with adversarial
//! names (keywords, prelude, std, serde and runtime items, names equal after
//! case conversion, digits first, symbols only, non-ASCII, very long, the
//! empty property name) and shapes (nested and recursive objects, arrays of
//! arrays, maps, unions with and without discriminators, odd enums, `allOf`
//! chains, nullable in each spelling, readOnly/writeOnly, every parameter
//! location and style, every body and response kind, defaults and examples),
//! in OpenAPI 3.0 and 3.1. All crates of a run are members of one cargo
//! workspace, checked by one clippy run.
//!
//! `RANDOM_SPECS_COUNT` (default 200) documents from seed `RANDOM_SPECS_SEED`
//! (default 1) on: document `i` is drawn from seed `SEED + i`. A failing
//! document is written to `target/random-specs/<seed>.json` and its seed
//! printed; `RANDOM_SPECS_SEED=<seed> RANDOM_SPECS_COUNT=1 cargo test -p
//! xtask --test random_specs` reproduces it.

use serde_json::{Map, Value, json};
use std::path::PathBuf;
use xtask::{cargo, repo_root};

/// Names a spec may give anything: the hard cases for a generator.
const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "match",
    "async",
    "await",
    "dyn",
    "union",
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "Default",
    "Some",
    "None",
    "Ok",
    "Err",
    "Client",
    "Request",
    "Response",
    "Error",
    "Page",
    "Paginated",
    "Download",
    "BinaryBody",
    "Nullable",
    "Operation",
    "Build",
    "BuildError",
    "QueryStyle",
    "RawResponse",
    "DateTime",
    "Date",
    "UntaggedShape",
    "untagged",
    "types",
    "operations",
    "serde",
    "serde_json",
    "reqwest",
    "Serialize",
    "Deserialize",
    "ID",
    "id",
    "Id",
    "user-name",
    "user_name",
    "userName",
    "UserName",
    "123abc",
    "9",
    "$$$",
    "-",
    "名前",
    "x-y.z",
    "page",
    "build",
    "download",
    "queryStyle",
    "send",
    "into_stream",
    "new",
    "value",
    "index",
    "deserializer",
    "Unknown",
    "Variant1",
    "a_very_long_name_that_goes_on_and_on_and_on_well_past_any_reasonable_length_for_an_identifier",
];

/// What a valid document may be refused for: schemas that include
/// themselves through `$ref` or `allOf` without ever reaching a schema of
/// their own, or through an `allOf` inside their own properties (README,
/// "Errors in a spec").
const LIMITATIONS: &[&str] = &[
    "cycle",
    "schemas nest deeper than 200 levels",
    // The count of errors beyond the 50 shown.
    "more errors not shown",
];

struct Gen {
    rng: fastrand::Rng,
    v31: bool,
    /// Names of the component schemas, for `$ref`s.
    components: Vec<String>,
    /// Components usable as discriminated alternatives: objects with a
    /// required string `kind`.
    tagged: Vec<String>,
    /// The component being drawn: near its top it does not refer to itself
    /// (a schema that is its own `$ref` or `allOf` has no meaning).
    current: Option<String>,
}

impl Gen {
    /// A component to refer to at `depth`.
    fn component(&mut self, depth: usize) -> Option<String> {
        let current = self.current.clone();
        let usable: Vec<String> = self
            .components
            .iter()
            .filter(|c| depth > 2 || Some(*c) != current.as_ref())
            .cloned()
            .collect();
        (!usable.is_empty()).then(|| self.pick(&usable).clone())
    }
}

impl Gen {
    fn name(&mut self) -> String {
        if self.rng.u8(..4) == 0 {
            format!("f{}", self.rng.u16(..1000))
        } else {
            NAMES[self.rng.usize(..NAMES.len())].to_string()
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    fn nullable(&mut self, mut schema: Value) -> Value {
        if self.v31 {
            match self.rng.u8(..2) {
                0 => json!({"anyOf": [schema, {"type": "null"}]}),
                _ => {
                    if let Some(t) = schema.get("type").and_then(Value::as_str).map(String::from) {
                        schema["type"] = json!([t, "null"]);
                        schema
                    } else {
                        json!({"anyOf": [schema, {"type": "null"}]})
                    }
                }
            }
        } else {
            if schema.get("$ref").is_some() {
                return json!({"allOf": [schema], "nullable": true});
            }
            schema["nullable"] = json!(true);
            schema
        }
    }

    fn scalar(&mut self) -> Value {
        match self.rng.u8(..12) {
            0 => json!({"type": "string"}),
            1 => {
                let f = *self.pick(&[
                    "date-time",
                    "date",
                    "uuid",
                    "email",
                    "byte",
                    "ipv4",
                    "uri",
                    "hostname",
                    "odd-format",
                ]);
                json!({"type": "string", "format": f})
            }
            2 => {
                let f = *self.pick(&["int32", "int64", "uint8", "uint64", "int12"]);
                json!({"type": "integer", "format": f, "minimum": 0})
            }
            3 => json!({"type": "number", "format": *self.pick(&["float", "double"])}),
            4 => json!({"type": "boolean", "default": true}),
            5 => {
                let values: Vec<&str> = (0..self.rng.usize(1..5))
                    .map(|_| {
                        *self.pick(&[
                            "", "null", "A", "a", "a-b", "a_b", "A_B", "1x", "é", "type", "Self",
                        ])
                    })
                    .collect();
                let mut unique: Vec<&str> = Vec::new();
                for v in values {
                    if !unique.contains(&v) {
                        unique.push(v);
                    }
                }
                json!({"type": "string", "enum": unique, "example": unique[0]})
            }
            6 => {
                let mut values: Vec<i64> = (0..self.rng.usize(1..4))
                    .map(|_| self.rng.i64(-3..4))
                    .collect();
                values.sort();
                values.dedup();
                json!({"type": "integer", "enum": values})
            }
            7 => {
                json!({"type": "string", "minLength": 1, "maxLength": 8, "pattern": "^[a-z]+$", "example": "abc"})
            }
            8 => json!({"type": "integer", "default": 3, "example": 4}),
            9 => json!({}),
            10 => json!({"type": "string", "format": "binary"}),
            _ => json!({"type": "string", "deprecated": true}),
        }
    }

    fn schema(&mut self, depth: usize) -> Value {
        let leaf = depth >= 3;
        match self.rng.u8(..if leaf { 4 } else { 14 }) {
            0 | 1 => self.scalar(),
            2 | 3 => match self.component(depth) {
                Some(c) => json!({"$ref": format!("#/components/schemas/{c}")}),
                None => self.scalar(),
            },
            4 => json!({"type": "array", "items": self.schema(depth + 1)}),
            5 => {
                json!({"type": "array", "items": {"type": "array", "items": self.schema(depth + 1)}})
            }
            6 => json!({"type": "object", "additionalProperties": self.schema(depth + 1)}),
            7 | 8 => self.object(depth + 1),
            9 => {
                let key = *self.pick(&["oneOf", "anyOf"]);
                let alternatives: Vec<Value> = (0..self.rng.usize(2..4))
                    .map(|_| self.schema(depth + 1))
                    .collect();
                entry(key, Value::Array(alternatives))
            }
            10 if self.tagged.len() >= 2 => {
                let tagged = self.tagged.clone();
                let refs: Vec<Value> = tagged
                    .iter()
                    .map(|t| json!({"$ref": format!("#/components/schemas/{t}")}))
                    .collect();
                json!({"oneOf": refs, "discriminator": {"propertyName": "kind"}})
            }
            11 => match self.component(depth) {
                Some(c) => json!({"allOf": [
                    {"$ref": format!("#/components/schemas/{c}")},
                    self.object(depth + 1)
                ]}),
                None => self.object(depth + 1),
            },
            12 => {
                let inner = self.schema(depth + 1);
                self.nullable(inner)
            }
            _ => self.object(depth + 1),
        }
    }

    fn object(&mut self, depth: usize) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for _ in 0..self.rng.usize(0..5) {
            let name = if self.rng.u8(..12) == 0 {
                String::new()
            } else {
                self.name()
            };
            let mut schema = self.schema(depth);
            match self.rng.u8(..8) {
                0 => {
                    schema = json!({"allOf": [schema], "readOnly": true});
                }
                1 => {
                    schema = json!({"allOf": [schema], "writeOnly": true});
                }
                _ => {}
            }
            if self.rng.bool() && !required.contains(&json!(name)) {
                required.push(json!(name.clone()));
            }
            properties.insert(name, schema);
        }
        let mut object = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            object["required"] = Value::Array(required);
        }
        if self.rng.u8(..6) == 0 {
            object["additionalProperties"] = json!(true);
        }
        object
    }

    fn parameter(&mut self, location: &str, used: &mut Vec<(String, String)>) -> Option<Value> {
        let name = self.name();
        if used.contains(&(location.to_string(), name.clone()))
            || (location == "header"
                && ["accept", "content-type", "authorization"]
                    .contains(&name.to_ascii_lowercase().as_str()))
        {
            return None;
        }
        used.push((location.to_string(), name.clone()));
        let schema = if location == "query" && self.rng.u8(..3) == 0 {
            json!({"type": "array", "items": self.scalar()})
        } else {
            self.scalar()
        };
        let mut p =
            json!({"name": name, "in": location, "schema": schema, "required": self.rng.bool()});
        if location == "query" {
            match self.rng.u8(..4) {
                0 => p["explode"] = json!(false),
                1 => {
                    p["style"] = json!("deepObject");
                    p["schema"] = json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}});
                }
                _ => {}
            }
        }
        Some(p)
    }

    fn operation(&mut self, id: &str, path_params: &[String]) -> Value {
        let mut used: Vec<(String, String)> = Vec::new();
        let mut parameters: Vec<Value> = path_params
            .iter()
            .map(|p| {
                used.push(("path".into(), p.clone()));
                json!({"name": p, "in": "path", "required": true, "schema": self.scalar_for_path()})
            })
            .collect();
        for _ in 0..self.rng.usize(0..4) {
            let location = *self.pick(&["query", "query", "header", "cookie"]);
            if let Some(p) = self.parameter(location, &mut used) {
                parameters.push(p);
            }
        }
        let mut op =
            json!({"operationId": id, "parameters": parameters, "responses": self.responses()});
        if self.rng.u8(..3) == 0 {
            let schema = self.object(1);
            let content = match self.rng.u8(..5) {
                0 => json!({"application/x-www-form-urlencoded": {"schema": schema}}),
                1 => {
                    json!({"multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}}}})
                }
                2 => {
                    json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
                }
                3 => json!({"text/plain": {"schema": {"type": "string"}}}),
                _ => json!({"application/json": {"schema": self.schema(1)}}),
            };
            op["requestBody"] = json!({"required": self.rng.bool(), "content": content});
        }
        if self.rng.u8(..8) == 0 {
            op["deprecated"] = json!(true);
        }
        op
    }

    fn scalar_for_path(&mut self) -> Value {
        match self.rng.u8(..3) {
            0 => json!({"type": "integer", "format": "int64"}),
            1 => json!({"type": "string", "format": "uuid"}),
            _ => json!({"type": "string"}),
        }
    }

    fn responses(&mut self) -> Value {
        let mut responses = Map::new();
        let success = *self.pick(&["200", "201", "204"]);
        let body = |g: &mut Gen| -> Value {
            match g.rng.u8(..6) {
                0 => {
                    json!({"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}})
                }
                1 => {
                    json!({"description": "bytes", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}})
                }
                _ => {
                    json!({"description": "json", "content": {"application/json": {"schema": g.schema(1)}}})
                }
            }
        };
        if success == "204" {
            responses.insert(success.into(), json!({"description": "no content"}));
        } else {
            responses.insert(success.into(), body(self));
            if self.rng.u8(..4) == 0 {
                responses.insert("202".into(), body(self));
            }
        }
        for status in ["400", "404", "default"] {
            if self.rng.u8(..3) == 0 {
                responses.insert(status.into(), json!({"description": "error", "content": {"application/json": {"schema": self.schema(2)}}}));
            }
        }
        Value::Object(responses)
    }

    fn document(seed: u64) -> Value {
        let rng = fastrand::Rng::with_seed(seed);
        let mut g = Gen {
            v31: rng.clone().bool(),
            rng,
            components: Vec::new(),
            tagged: Vec::new(),
            current: None,
        };
        // Component names first, so that schemas can refer to any of them
        // (recursion included).
        let mut names: Vec<String> = Vec::new();
        for _ in 0..g.rng.usize(1..6) {
            let n = g.name();
            if !names.contains(&n) && !n.is_empty() {
                names.push(n);
            }
        }
        let tagged: Vec<String> = if g.rng.bool() {
            vec![format!("{}Cat", names[0]), format!("{}Dog", names[0])]
        } else {
            Vec::new()
        };
        g.components = names.clone();
        g.components.extend(tagged.iter().cloned());
        g.tagged = tagged.clone();
        let mut schemas = Map::new();
        for n in &names {
            g.current = Some(n.clone());
            let s = g.schema(1);
            schemas.insert(n.clone(), s);
        }
        for t in &tagged {
            g.current = Some(t.clone());
            let mut object = g.object(2);
            object["properties"]["kind"] = json!({"type": "string"});
            object["required"] = json!(["kind"]);
            schemas.insert(t.clone(), object);
        }
        let mut paths = Map::new();
        let mut ids: Vec<String> = Vec::new();
        for i in 0..g.rng.usize(1..5) {
            let mut id = g.name();
            if ids.contains(&id) || id.is_empty() {
                id = format!("{id}{i}");
            }
            ids.push(id.clone());
            let param = g.name();
            let (path, params) =
                if g.rng.bool() && !param.is_empty() && !param.contains(['/', '{', '}']) {
                    (format!("/r{i}/{{{param}}}"), vec![param])
                } else {
                    (format!("/r{i}"), Vec::new())
                };
            let method = *g.pick(&["get", "post", "put", "patch", "delete"]);
            let op = g.operation(&id, &params);
            paths.insert(path, entry(method, op));
        }
        json!({
            "openapi": if g.v31 { "3.1.0" } else { "3.0.3" },
            "info": {"title": "Random", "version": "1"},
            "servers": [{"url": "https://api.example.com"}],
            "components": {
                "schemas": schemas,
                "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "Authorization"}}
            },
            "security": [{"key": []}],
            "paths": paths,
        })
    }
}

/// `{key: value}`.
fn entry(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_string(), value);
    Value::Object(map)
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn failure_dir() -> PathBuf {
    repo_root().join("target").join("random-specs")
}

#[test]
fn random_valid_specs_generate_crates_that_pass_clippy() {
    let seed = env("RANDOM_SPECS_SEED", 1);
    let count = env("RANDOM_SPECS_COUNT", 200);
    let mut crates = Vec::new();
    let mut refused = Vec::new();
    let mut limited = 0;
    for s in seed..seed + count {
        let doc = Gen::document(s);
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let keep = || {
            std::fs::create_dir_all(failure_dir()).unwrap();
            let path = failure_dir().join(format!("{s}.json"));
            std::fs::write(&path, &text).unwrap();
            path
        };
        let options = generator::Options {
            crate_name: format!("random-{s}"),
            test_dependencies: false,
            source: format!("{s}.json"),
            env_prefix: "GCORE".into(),
        };
        // A stack overflow aborts the process: the document being generated
        // is left here.
        std::fs::create_dir_all(failure_dir()).unwrap();
        std::fs::write(failure_dir().join("current.json"), &text).unwrap();
        let generated = std::panic::catch_unwind(|| generator::generate(&text, &options));
        match generated {
            Ok(Ok(generated)) => crates.push((format!("random-{s}"), generated.files)),
            Ok(Err(failure)) => {
                // Refused: it must say where, and why, in words the README's
                // list of limitations uses.
                let documented = failure.errors().all(|d| {
                    d.pointer.starts_with('#') && LIMITATIONS.iter().any(|l| d.message.contains(l))
                });
                if documented {
                    limited += 1;
                } else {
                    refused.push(format!("seed {s} ({}): {failure}", keep().display()));
                }
            }
            Err(_) => panic!("seed {s}: the generator panicked ({})", keep().display()),
        }
    }
    assert!(
        refused.is_empty(),
        "valid documents refused:\n{}",
        refused.join("\n")
    );
    eprintln!(
        "{count} random documents from seed {seed}: {} generated, {limited} refused as documented limitations; compiling",
        crates.len()
    );
    // Each crate is built once: what an earlier run left, and this run's
    // artifacts once checked, are removed (a long run would fill the disk).
    cargo::forget_crates("random-");
    let checked = std::panic::catch_unwind(|| cargo::clippy_all(&crates));
    cargo::forget_crates("random-");
    if let Err(panic) = checked {
        // The failing crates are named `random-<seed>` in cargo's output.
        std::fs::create_dir_all(failure_dir()).unwrap();
        for s in seed..seed + count {
            let text = serde_json::to_string_pretty(&Gen::document(s)).unwrap();
            std::fs::write(failure_dir().join(format!("{s}.json")), text).unwrap();
        }
        eprintln!(
            "a crate does not compile: its seed is in its name (random-<seed>); the documents are in {}",
            failure_dir().display()
        );
        std::panic::resume_unwind(panic);
    }
}
