//! Broken and unusual specs: every problem is a located error (or, for
//! constructs with a documented fallback, a located warning), never a panic.
//!
//! One fixture per kind of problem in `tests/fixtures/broken/`, each with the
//! message, JSON pointer and line it must be reported with.

mod common;

use generator::diagnostics::{Diagnostic, MAX_ERRORS, Severity};
use generator::{Generated, Options};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn options() -> Options {
    Options {
        crate_name: "broken".into(),
        test_dependencies: false,
        source: "broken.yaml".into(),
        env_prefix: "GCORE".into(),
    }
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken")
}

fn run(file: &str) -> Result<Generated, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(fixture_dir().join(file)).unwrap();
    generator::generate(&text, &options()).map_err(|f| f.diagnostics)
}

use Severity::{Assumed, Error, Warning};

/// (fixture, severity, pointer, line, part of the message)
const EXPECTED: &[(&str, Severity, &str, Option<usize>, &str)] = &[
    (
        "malformed_yaml.yaml",
        Error,
        "#",
        Some(6),
        "malformed YAML: did not find expected ',' or ']', while parsing a flow sequence at line 5 column 16",
    ),
    ("empty.yaml", Error, "#", None, "the document is empty"),
    (
        "binary.yaml",
        Error,
        "#",
        Some(3),
        "NUL byte at offset 51; it is binary, not YAML",
    ),
    (
        "not_openapi.yaml",
        Error,
        "#",
        None,
        "the document is a list, not an OpenAPI object",
    ),
    (
        "two_documents.yaml",
        Error,
        "#",
        Some(6),
        "the file holds more than one YAML document",
    ),
    (
        "swagger2.yaml",
        Error,
        "#/swagger",
        Some(1),
        "Swagger 2.0 documents are not supported; convert to OpenAPI 3 (supported: 3.0.x and 3.1.x)",
    ),
    (
        "unsupported_version.yaml",
        Error,
        "#/openapi",
        Some(1),
        "OpenAPI version 3.2.0 is not supported (supported: 3.0.x and 3.1.x)",
    ),
    (
        "dangling_ref.yaml",
        Error,
        "#/paths/~1apps/get/responses/200/content/application~1json/schema",
        Some(14),
        "`$ref: #/components/schemas/Missing` points to no schema (there is no component schema `Missing`)",
    ),
    (
        "external_ref.yaml",
        Error,
        "#/components/schemas/App/properties/owner",
        Some(11),
        "`$ref: common.yaml#/components/schemas/Owner` points to another document; only references inside the same document (`#/...`) are supported",
    ),
    (
        "url_ref.yaml",
        Error,
        "#/paths/~1apps/post/requestBody",
        Some(9),
        "`$ref: https://example.com/specs/common.yaml#/components/requestBodies/App` points to another document",
    ),
    (
        "ref_cycle.yaml",
        Error,
        "#/components/schemas/First",
        Some(8),
        "`$ref` cycle that never reaches a concrete schema",
    ),
    (
        "ref_cycle.yaml",
        Error,
        "#/components/schemas/Third",
        Some(12),
        "`$ref` cycle that never reaches a concrete schema",
    ),
    (
        "duplicate_operation_id.yaml",
        Error,
        "#/paths/~1apps~1list/get",
        Some(13),
        "operationId `getApps` is used twice (first at #/paths/~1apps/get)",
    ),
    (
        "undeclared_path_parameter.yaml",
        Assumed,
        "#/paths/~1apps~1{app_id}~1logs/get",
        Some(7),
        "path template parameter `{app_id}` is not declared as a path parameter",
    ),
    (
        "parameter_declared_twice.yaml",
        Assumed,
        "#/paths/~1apps/get/parameters/1",
        Some(14),
        "parameter `limit` in query is declared twice; the first declaration (at #/paths/~1apps/get/parameters/0) is used",
    ),
    (
        "invalid_structure.yaml",
        Error,
        "#/paths/~1apps/get/parameters/0/in",
        Some(11),
        "unknown parameter location `body`",
    ),
    (
        "invalid_structure.yaml",
        Error,
        "#/components/schemas/App/type",
        Some(18),
        "unknown type `obect`",
    ),
    (
        "invalid_structure.yaml",
        Error,
        "#/components/schemas/App/required",
        Some(19),
        "`required` must be a list of property names, found a string",
    ),
    // Path item references are followed; problems in what they name are
    // reported there.
    (
        "path_item_ref_dangling.yaml",
        Error,
        "#/paths/~1gone/$ref",
        Some(9),
        "`$ref: #/components/pathItems/Gone` points to nothing in this document",
    ),
    (
        "path_item_refs.yaml",
        Assumed,
        "#/components/pathItems/Copy/post",
        Some(19),
        "path template parameter `{id}` is not declared",
    ),
    // Several problems in one run.
    (
        "several_errors.yaml",
        Assumed,
        "#/paths/~1apps~1{id}/get",
        Some(7),
        "`{id}` is not declared",
    ),
    (
        "several_errors.yaml",
        Error,
        "#/paths/~1apps~1{id}/get/responses/200/content/application~1json/schema",
        Some(14),
        "points to no schema",
    ),
    (
        "several_errors.yaml",
        Error,
        "#/paths/~1apps/get",
        Some(17),
        "operationId `getApp` is used twice",
    ),
    // JSON and flow-style YAML are located too.
    (
        "broken.json",
        Error,
        "#/paths/~1apps/get/responses/200/content/application~1json/schema",
        Some(13),
        "`$ref: #/components/schemas/Gone` points to no schema",
    ),
    (
        "broken_flow.yaml",
        Assumed,
        "#/paths/~1apps/get/parameters/1",
        Some(4),
        "parameter `limit` in query is declared twice",
    ),
    // Invalid, with one obvious meaning: generated, with what was assumed.
    (
        "enum_value_of_wrong_type.yaml",
        Assumed,
        "#/components/schemas/Plan",
        Some(18),
        "`enum` value 1 is not of the declared type `string`; the values are used as written",
    ),
    // Patterns only document a field: a broken one is a warning.
    (
        "invalid_pattern.yaml",
        Warning,
        "#/components/schemas/Name/pattern",
        Some(10),
        "`^[a-z+$` is not a valid regular expression (unclosed character class at offset 1)",
    ),
    (
        "invalid_pattern.yaml",
        Warning,
        "#/components/schemas/Labels/patternProperties/^(x-[a-z]+$",
        Some(18),
        "`^(x-[a-z]+$` is not a valid regular expression (unclosed group",
    ),
    // Constructs with a documented fallback: a warning at the construct.
    (
        "fallbacks.yaml",
        Warning,
        "#/paths/~1files/post/requestBody/content/multipart~1form-data/schema",
        Some(17),
        "a multipart/form-data body whose schema is not an object is sent as raw bytes",
    ),
    (
        "fallbacks.yaml",
        Warning,
        "#/paths/~1files/post/parameters/0",
        Some(10),
        "query style PipeDelimited is sent as comma-separated form style",
    ),
    (
        "fallbacks.yaml",
        Warning,
        "#/components/schemas/Mixed",
        Some(28),
        "`enum` mixes value types; the value is typed as serde_json::Value",
    ),
    (
        "fallbacks.yaml",
        Warning,
        "#/components/schemas/Negated",
        Some(30),
        "`not` is not supported; the value is typed as serde_json::Value",
    ),
    (
        "fallbacks.yaml",
        Warning,
        "#/components/schemas/Tagged/patternProperties",
        Some(36),
        "`patternProperties` is not supported: properties matching these patterns are not fields of the type",
    ),
    (
        "fallbacks.yaml",
        Warning,
        "#/components/schemas/Pair/prefixItems",
        Some(40),
        "`prefixItems` is not supported",
    ),
    (
        "fallbacks.yaml",
        Warning,
        "#/components/schemas/Twins",
        Some(42),
        "alternatives `Left`, `Right` have the same shape, so no payload tells them apart; `Left` is chosen whenever they decode",
    ),
];

#[test]
fn each_broken_spec_is_reported_with_message_pointer_and_line() {
    let mut failures = Vec::new();
    for (file, severity, pointer, line, message) in EXPECTED {
        // A warning or an assumption in a fixture that also has errors is
        // reported beside them.
        let diagnostics = match (run(file), severity) {
            (Err(diagnostics), _) => diagnostics,
            (Ok(generated), Warning | Assumed) => generated.warnings,
            (Ok(_), Error) => {
                failures.push(format!("{file}: generated, expected an error"));
                continue;
            }
        };
        let found = diagnostics.iter().any(|d| {
            d.severity == *severity
                && d.pointer == *pointer
                && d.line == *line
                && d.message.contains(message)
        });
        if !found {
            let shown: Vec<String> = diagnostics
                .iter()
                .map(|d| d.display_in(file).to_string())
                .collect();
            failures.push(format!(
                "{file}: no {severity:?} at {pointer} (line {line:?}) containing {message:?}; got:\n  {}",
                shown.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_has_expectations() {
    let listed: BTreeSet<&str> = EXPECTED.iter().map(|e| e.0).collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let unlisted: Vec<&String> = on_disk
        .iter()
        .filter(|f| !listed.contains(f.as_str()) && f.as_str() != "unusable_names.yaml")
        .collect();
    assert!(
        unlisted.is_empty(),
        "fixtures without expectations: {unlisted:?}"
    );
    for file in listed {
        assert!(on_disk.contains(file), "{file} is missing");
    }
}

#[test]
fn an_error_report_has_no_warning_before_its_errors() {
    let diagnostics = run("several_errors.yaml").unwrap_err();
    assert_eq!(diagnostics.len(), 3, "{diagnostics:#?}");
    let found: Vec<(Severity, Option<usize>)> =
        diagnostics.iter().map(|d| (d.severity, d.line)).collect();
    assert_eq!(
        found,
        [(Error, Some(14)), (Error, Some(17)), (Assumed, Some(7))]
    );
}

#[test]
fn an_undeclared_path_parameter_becomes_a_required_string_argument() {
    let generated = run("undeclared_path_parameter.yaml").unwrap_or_else(|d| panic!("{d:#?}"));
    let operations = generated
        .files
        .iter()
        .find(|f| f.path == "src/operations.rs")
        .expect("operations.rs");
    assert!(
        operations.contents.contains("pub app_id: String"),
        "{}",
        operations.contents
    );
    assert!(
        operations
            .contents
            .contains("Not declared in the spec: sent as a string path segment."),
        "{}",
        operations.contents
    );
    // `--strict` refuses it, at the same place.
    let failure = generator::diagnostics::refuse_assumptions(&generated.warnings).unwrap_err();
    let d = failure.errors().next().expect("an error");
    assert_eq!(d.pointer, "#/paths/~1apps~1{app_id}~1logs/get");
    assert_eq!(d.line, Some(7));
}

#[test]
fn valid_ecma_patterns_are_not_flagged() {
    let generated = run("invalid_pattern.yaml").unwrap();
    assert_eq!(generated.warnings.len(), 3, "{:#?}", generated.warnings);
    assert!(
        !generated
            .warnings
            .iter()
            .any(|w| w.pointer.contains("Password")),
        "{:#?}",
        generated.warnings
    );
}

/// Names with no letters, non-ASCII names, keywords and names that collide
/// after conversion all become distinct identifiers.
#[test]
fn names_that_convert_to_nothing_or_to_each_other_stay_distinct() {
    let text = std::fs::read_to_string(fixture_dir().join("unusable_names.yaml")).unwrap();
    let (api, warnings) = generator::model(&text).unwrap();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let thing = common::fields(&api, "Thing");
    let names: Vec<&str> = thing.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "empty",
            "value",
            "value_3",
            "minus",
            "plus",
            "ue9",
            "udf",
            "u540d_u524d",
            "self_",
            "self_2",
            "r_type",
            "r#type",
            "value_4",
            "value_2",
            "v1",
            "v1_2"
        ]
    );
    let types: BTreeSet<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(types.len(), api.types.len(), "{types:?}");
    let params: Vec<&str> = api.operations[0]
        .params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(params, ["empty", "minus", "u540d_u524d", "r#type"]);
    let methods: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    assert_eq!(methods, ["not_not_not", "question_question_question"]);
    // And the crate's code parses (the emitter checks every file with syn).
    generator::generate(&text, &options()).unwrap();
}

/// A spec made by a test, `depth` schemas deep through `wrap`.
fn nested_spec(depth: usize, wrap: impl Fn(&str) -> String) -> String {
    let mut schema = "{type: string}".to_string();
    for _ in 0..depth {
        schema = wrap(&schema);
    }
    format!(
        "openapi: 3.1.0\ninfo: {{title: Deep, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
    )
}

/// As deep as the YAML reader allows, through each kind of sub-schema: the
/// whole pipeline runs on a test thread's small stack.
#[test]
fn the_deepest_readable_nesting_is_generated_without_overflow() {
    type Wrap = fn(&str) -> String;
    let kinds: [(&str, usize, Wrap); 5] = [
        ("items", 118, |s| format!("{{type: array, items: {s}}}")),
        ("additionalProperties", 118, |s| {
            format!("{{type: object, additionalProperties: {s}}}")
        }),
        ("properties", 59, |s| {
            format!("{{type: object, properties: {{a: {s}}}}}")
        }),
        ("allOf", 59, |s| format!("{{allOf: [{s}]}}")),
        ("oneOf", 59, |s| {
            format!("{{oneOf: [{s}, {{type: integer}}]}}")
        }),
    ];
    for (kind, depth, wrap) in kinds {
        let text = nested_spec(depth, wrap);
        if let Err(f) = generator::generate(&text, &options()) {
            panic!("{kind} x{depth}:\n{f}");
        }
        // One level more than the reader allows is refused, with a line.
        let text = nested_spec(depth + 8, wrap);
        let failure = generator::generate(&text, &options()).unwrap_err();
        let d = &failure.diagnostics[0];
        assert!(d.message.contains("deeper than 128 levels"), "{kind}: {d}");
        assert_eq!(d.line, Some(11), "{kind}: {d}");
    }
}

#[test]
fn thousands_of_levels_are_refused_without_overflow() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let text = format!(
            "openapi: 3.1.0\nx: {}1{}\n",
            open.repeat(50_000),
            close.repeat(50_000)
        );
        let failure = generator::generate(&text, &options()).unwrap_err();
        assert!(
            failure.diagnostics[0]
                .message
                .contains("deeper than 128 levels"),
            "{failure}"
        );
    }
    let mut block = String::from("openapi: 3.1.0\nx:\n");
    for level in 1..3000 {
        block.push_str(&"  ".repeat(level));
        block.push_str("k:\n");
    }
    let failure = generator::generate(&block, &options()).unwrap_err();
    assert!(failure.to_string().contains("deeper than 128"), "{failure}");
}

#[test]
fn alias_bombs_are_refused_before_they_expand() {
    // Ten levels of ten aliases: 10^10 nodes from under 1 kB.
    let mut text = String::from(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx-0: &a0 [1,1,1,1,1,1,1,1,1,1]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(",");
        text.push_str(&format!("x-{i}: &a{i} [{refs}]\n"));
    }
    let failure = generator::generate(&text, &options()).unwrap_err();
    let d = &failure.diagnostics[0];
    assert!(d.message.contains("repetition limit exceeded"), "{d}");
    // Wide instead of deep: 3000 aliases of a 3000-item list, 9 million
    // nodes from 18 kB.
    let items = vec!["1"; 3000].join(",");
    let aliases = vec!["*a"; 3000].join(",");
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nx-a: &a [{items}]\nx-b: [{aliases}]\n"
    );
    let failure = generator::generate(&text, &options()).unwrap_err();
    let d = &failure.diagnostics[0];
    assert!(
        d.message
            .contains("once its aliases (`*name`) are expanded"),
        "{d}"
    );
    assert!(d.line.is_some(), "{d:?}");
}

#[test]
fn a_large_document_is_generated() {
    // About 12 MB: 400 schemas with a 30 kB description each.
    let mut text = String::from(
        "openapi: 3.1.0\ninfo: {title: Large, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    let description = "word ".repeat(6_000);
    for i in 0..400 {
        text.push_str(&format!(
            "    S{i}:\n      type: object\n      description: {description}\n      properties:\n        a: {{type: string}}\n"
        ));
    }
    assert!(text.len() > 12_000_000);
    let generated = generator::generate(&text, &options()).unwrap();
    assert_eq!(generated.types, 400);
}

#[test]
fn errors_beyond_the_limit_are_counted() {
    let mut text =
        String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n");
    for i in 0..MAX_ERRORS + 7 {
        text.push_str(&format!("    S{i}: {{type: strin}}\n"));
    }
    let failure = generator::generate(&text, &options()).unwrap_err();
    assert_eq!(failure.diagnostics.len(), MAX_ERRORS + 1);
    assert_eq!(failure.diagnostics[0].line, Some(5));
    assert_eq!(
        failure.diagnostics[MAX_ERRORS - 1].line,
        Some(4 + MAX_ERRORS)
    );
    assert!(
        failure.diagnostics[MAX_ERRORS]
            .message
            .contains("7 more errors not shown"),
        "{failure}"
    );
}

/// `S0` uses `S1` uses `S2`...: aliases (`S{i}: {$ref: S{i+1}}`) or objects
/// with a property of the next type.
fn chain_spec(length: usize, aliases: bool) -> String {
    let mut text = String::from(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\ncomponents:\n  schemas:\n",
    );
    for i in 0..length {
        let next = format!("{{$ref: '#/components/schemas/S{}'}}", i + 1);
        if aliases {
            text.push_str(&format!("    S{i}: {next}\n"));
        } else {
            text.push_str(&format!(
                "    S{i}:\n      type: object\n      properties:\n        next: {next}\n"
            ));
        }
    }
    text.push_str(&format!("    S{length}: {{type: string}}\n"));
    text
}

#[test]
fn long_reference_chains_are_generated_or_refused_with_a_location() {
    let generated = generator::generate(&chain_spec(3000, true), &options()).unwrap();
    assert_eq!(generated.types, 3001);
    generator::generate(&chain_spec(150, false), &options()).unwrap();
    // Lowering follows references recursively, up to 200 levels.
    let failure = generator::generate(&chain_spec(250, false), &options()).unwrap_err();
    let d = &failure.diagnostics[0];
    assert_eq!(d.pointer, "#/components/schemas/S200/properties/next");
    assert!(d.message.contains("deeper than 200 levels"), "{d}");
    assert_eq!(d.line, Some(14 + 200 * 4 + 3));
}

#[test]
fn a_byte_order_mark_changes_nothing() {
    let text = std::fs::read_to_string(fixture_dir().join("dangling_ref.yaml")).unwrap();
    let plain = generator::generate(&text, &options()).unwrap_err();
    let marked = generator::generate(&format!("\u{feff}{text}"), &options()).unwrap_err();
    assert_eq!(plain, marked);
    assert_eq!(plain.diagnostics[0].line, Some(14));
}

#[test]
fn path_item_references_are_followed() {
    let text = std::fs::read_to_string(fixture_dir().join("path_item_refs.yaml")).unwrap();
    let text = text.replace("/apps/{id}/copy", "/apps/copy");
    let (api, _) = generator::model(&text).unwrap_or_else(|f| panic!("{f}"));
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["listApps", "copyApp"]);
    // A second path naming the same item (through the first) repeats its
    // operationId; the error is shown at the item.
    let text = text.replace(
        "components:",
        "  /again:\n    $ref: \"#/paths/~1apps~1copy\"\n    summary: twice\ncomponents:",
    );
    let failure = generator::model(&text).unwrap_err();
    let d = &failure.diagnostics[0];
    assert_eq!(d.pointer, "#/components/pathItems/Copy/post", "{d}");
    assert!(
        d.message.contains("operationId `copyApp` is used twice"),
        "{d}"
    );
    assert_eq!(d.line, Some(22), "{d}");
}
