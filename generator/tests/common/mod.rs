//! Helpers for the generator's fixture tests.
#![allow(dead_code)] // each test file uses some of them

use generator::ir::{Api, Field, Struct, TypeDef, TypeKind, TypeRef};
use std::path::PathBuf;

pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn model(name: &str) -> Api {
    match generator::model(&fixture(name)) {
        Ok((api, _)) => api,
        Err(failure) => panic!("{name} does not lower:\n{failure}"),
    }
}

pub fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}; types: {names:?}"))
}

pub fn has_type(api: &Api, name: &str) -> bool {
    api.types.iter().any(|t| t.name == name)
}

pub fn fields<'a>(api: &'a Api, name: &str) -> &'a Struct {
    match &ty(api, name).kind {
        TypeKind::Struct(s) => s,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

pub fn field_names(api: &Api, name: &str) -> Vec<String> {
    fields(api, name)
        .fields
        .iter()
        .map(|f| f.wire.clone())
        .collect()
}

pub fn field<'a>(api: &'a Api, ty_name: &str, wire: &str) -> &'a Field {
    fields(api, ty_name)
        .fields
        .iter()
        .find(|f| f.wire == wire)
        .unwrap_or_else(|| {
            panic!(
                "{ty_name} has no field {wire}: {:?}",
                field_names(api, ty_name)
            )
        })
}

/// The name of the type a reference points to, through arrays, maps and nulls.
pub fn named(api: &Api, t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => api.ty(*id).name.clone(),
        TypeRef::Array(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => named(api, i),
        other => format!("{other:?}"),
    }
}
