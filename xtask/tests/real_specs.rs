//! The generator on Gcore's real documents in `../shared/specs`.

use generator::Options;
use generator::ir::{Api, TypeKind, TypeRef};
use std::fs;
use std::path::Path;
use xtask::{cargo, shared};

fn model(path: &Path) -> Api {
    let text = fs::read_to_string(path).unwrap();
    match generator::model(&text) {
        Ok((api, _)) => api,
        Err(f) => panic!("{}:\n{f}", path.display()),
    }
}

fn fields(api: &Api, name: &str) -> Vec<String> {
    let t = api
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"));
    match &t.kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| f.wire.clone()).collect(),
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn field_type(api: &Api, ty: &str, field: &str) -> String {
    let t = api.types.iter().find(|t| t.name == ty).unwrap();
    let TypeKind::Struct(s) = &t.kind else {
        panic!()
    };
    let f = s.fields.iter().find(|f| f.wire == field).unwrap();
    fn name(api: &Api, t: &TypeRef) -> String {
        match t {
            TypeRef::Named(id) => api.ty(*id).name.clone(),
            TypeRef::Array(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => name(api, i),
            other => format!("{other:?}"),
        }
    }
    name(api, &f.ty)
}

fn has(list: &[String], name: &str) -> bool {
    list.iter().any(|f| f == name)
}

/// The seed spec and the full spec agree on the secret views.
fn assert_secret_views(api: &Api) {
    let secret = fields(api, "Secret");
    let input = fields(api, "SecretInput");
    assert!(
        has(&secret, "app_count") && !has(&input, "app_count"),
        "{secret:?} / {input:?}"
    );
    assert_eq!(field_type(api, "Secret", "secret_slots"), "SecretSlot");
    assert_eq!(
        field_type(api, "SecretInput", "secret_slots"),
        "SecretSlotInput"
    );
    let slot = fields(api, "SecretSlot");
    let slot_input = fields(api, "SecretSlotInput");
    assert!(has(&slot, "checksum") && !has(&slot, "value"), "{slot:?}");
    assert!(
        has(&slot_input, "value") && !has(&slot_input, "checksum"),
        "{slot_input:?}"
    );
}

#[test]
fn seed_spec_views() {
    let (spec, _, _) = xtask::gen_crate::committed().unwrap();
    assert_secret_views(&model(&spec));
}

#[test]
fn full_fastedge_views() {
    let Some(dir) = shared::specs_dir() else {
        return;
    };
    let api = model(&dir.join("fastedge/latest.yaml"));
    assert_secret_views(&api);
    let app = fields(&api, "App");
    let app_input = fields(&api, "AppInput");
    for read_only in [
        "url",
        "plan",
        "plan_id",
        "api_type",
        "networks",
        "debug_until",
        "template_name",
    ] {
        assert!(!has(&app_input, read_only), "AppInput has {read_only}");
        assert!(has(&app, read_only), "App lacks {read_only}");
    }
    assert!(!has(&app, "debug") && has(&app_input, "debug"));
    let store = fields(&api, "KvStore");
    let store_input = fields(&api, "KvStoreInput");
    for read_only in ["app_count", "size", "revision", "updated_at"] {
        assert!(
            has(&store, read_only) && !has(&store_input, read_only),
            "{read_only}"
        );
    }
    // Received only: one type, without the write-only field.
    assert!(!has(&fields(&api, "AppShort"), "debug"));
    assert!(!api.types.iter().any(|t| t.name == "AppShortInput"));
}

#[test]
fn full_fastedge_crate_has_every_operation() {
    let Some(dir) = shared::specs_dir() else {
        return;
    };
    let spec = dir.join("fastedge/latest.yaml");
    let text = fs::read_to_string(&spec).unwrap();
    let generated = generator::generate(&text, &options("fastedge-full")).unwrap();
    assert_eq!(generated.operations, 35);
    // `operations.rs` and a module per tag.
    let operations: String = generated
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/operations"))
        .map(|f| f.contents.as_str())
        .collect();
    let ids: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("operationId: "))
        .map(|id| heck_snake(id.trim()))
        .collect();
    assert_eq!(ids.len(), 35);
    for method in &ids {
        assert!(
            operations.contains(&format!("pub fn {method}(")),
            "no method {method}"
        );
    }
    for method in [
        "patch_secret",
        "stats_kv_store",
        "stats_duration",
        "get_app_id_by_name",
        "list_apps",
    ] {
        assert!(ids.iter().any(|m| m == method), "{method} not derived");
    }
    // Clippy (warnings denied) runs on this crate, with its tests and
    // examples, in `client_crates.rs`.
}

/// `patchSecret` -> `patch_secret`, `StatsKVStore` -> `stats_kv_store`.
fn heck_snake(id: &str) -> String {
    generator::naming::ident(id, generator::naming::Case::Snake)
}

fn options(name: &str) -> Options {
    Options {
        crate_name: name.to_string(),
        test_dependencies: false,
        source: format!("{name}.yaml"),
        env_prefix: "GCORE".into(),
    }
}

/// The document without its `info.version` line, which changes with every
/// publication.
fn api_content(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("version:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_published_fastedge_version_generates() {
    let Some(dir) = shared::specs_dir() else {
        return;
    };
    let history = shared::yaml_files(&dir.join("fastedge/history"));
    assert_eq!(history.len(), 180);
    for path in &history {
        let text = fs::read_to_string(path).unwrap();
        match generator::generate(&text, &options("history")) {
            Ok(generated) => assert!(generated.operations > 0, "{}", path.display()),
            Err(f) => panic!("{}:\n{f}", path.display()),
        }
    }
}

#[test]
fn every_shared_spec_and_a_spread_of_history_passes_clippy() {
    let Some(dir) = shared::specs_dir() else {
        return;
    };
    let mut specs = shared::yaml_files(&dir.join("gcore"));
    specs.push(dir.join("fastedge/seed-version.yaml"));
    // A spread of the history: first, middle and last of the distinct API contents.
    let mut distinct: Vec<(String, std::path::PathBuf)> = Vec::new();
    for path in shared::yaml_files(&dir.join("fastedge/history")) {
        let content = api_content(&fs::read_to_string(&path).unwrap());
        if !distinct.iter().any(|(c, _)| *c == content) {
            distinct.push((content, path));
        }
    }
    assert!(distinct.len() >= 3, "{} distinct versions", distinct.len());
    for i in [0, distinct.len() / 2, distinct.len() - 1] {
        specs.push(distinct[i].1.clone());
    }
    let crates: Vec<(String, Vec<generator::File>)> = specs
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let name = format!("spec-{i}");
            let text = fs::read_to_string(path).unwrap();
            let generated = generator::generate(&text, &options(&name))
                .unwrap_or_else(|f| panic!("{}:\n{f}", path.display()));
            (name, generated.files)
        })
        .collect();
    cargo::clippy_all(&crates);
}
