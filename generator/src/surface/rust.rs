//! The Rust type of each type reference, field, argument and result: decided
//! here once, rendered as tokens for the emitter (with the paths the
//! generated code writes) and as text for the change report and
//! `public-api.json` (short names, `Display`).

use crate::ir::{Api, Primitive, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::fmt;

/// Where a type is written from: inside `types.rs` named types are bare,
/// elsewhere in the crate they are `types::Name`, and in a program that
/// depends on the crate as `api` (`cargo xtask verify`'s) `api::types::Name`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Types,
    Outside,
    Dependent,
}

/// How a struct field holds its value: the one rule for `Option` and
/// `Nullable`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Presence {
    /// Required and not nullable: the value itself.
    Plain,
    /// Optional, or required but nullable: `Option<T>`.
    Option,
    /// Optional and nullable: `Nullable<T>`, which tells absent from null.
    Nullable,
}

impl Presence {
    pub fn of(required: bool, nullable: bool) -> Self {
        match (required, nullable) {
            (true, false) => Presence::Plain,
            (true, true) | (false, false) => Presence::Option,
            (false, true) => Presence::Nullable,
        }
    }

    /// The spelling of a type held this way, from its short spelling (the
    /// change report reads types back as text from `public-api.json`).
    pub fn spell(self, ty: &str) -> String {
        match self {
            Presence::Plain => ty.to_string(),
            Presence::Option => format!("Option<{ty}>"),
            Presence::Nullable => format!("Nullable<{ty}>"),
        }
    }

    /// `ty` held this way.
    pub fn wrap(self, ty: RustType) -> RustType {
        match self {
            Presence::Plain => ty,
            Presence::Option => RustType::Option(Box::new(ty)),
            Presence::Nullable => RustType::Nullable(Box::new(ty)),
        }
    }
}

/// A Rust type of the generated crate.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RustType {
    /// A generated type, by its Rust name.
    Named(String),
    Primitive(Primitive),
    Vec(Box<RustType>),
    /// `BTreeMap<String, T>`.
    Map(Box<RustType>),
    Option(Box<RustType>),
    /// The runtime's `Nullable<T>`.
    Nullable(Box<RustType>),
    Box(Box<RustType>),
    /// `serde_json::Value`.
    Json,
}

impl RustType {
    /// The Rust type of a type reference.
    pub fn of(api: &Api, ty: &TypeRef) -> RustType {
        match ty {
            TypeRef::Named(id) => RustType::Named(api.ty(*id).name.clone()),
            TypeRef::Primitive(p) => RustType::Primitive(*p),
            TypeRef::Array(inner) => RustType::Vec(Box::new(RustType::of(api, inner))),
            TypeRef::Map(inner) => RustType::Map(Box::new(RustType::of(api, inner))),
            TypeRef::Nullable(inner) => RustType::Option(Box::new(RustType::of(api, inner))),
            TypeRef::Any => RustType::Json,
        }
    }

    /// The type as the generated code writes it from `scope`.
    pub fn tokens(&self, scope: Scope) -> TokenStream {
        match self {
            RustType::Named(name) => {
                let name = ident(name);
                match scope {
                    Scope::Types => quote!(#name),
                    Scope::Outside => quote!(types::#name),
                    Scope::Dependent => quote!(api::types::#name),
                }
            }
            RustType::Primitive(Primitive::DateTime) if scope == Scope::Dependent => {
                quote!(api::DateTime)
            }
            RustType::Primitive(Primitive::Date) if scope == Scope::Dependent => quote!(api::Date),
            RustType::Primitive(p) => spelling(*p).0,
            RustType::Vec(inner) => {
                let inner = inner.tokens(scope);
                quote!(Vec<#inner>)
            }
            RustType::Map(inner) => {
                let inner = inner.tokens(scope);
                quote!(std::collections::BTreeMap<String, #inner>)
            }
            RustType::Option(inner) => {
                let inner = inner.tokens(scope);
                quote!(Option<#inner>)
            }
            RustType::Nullable(inner) => {
                let inner = inner.tokens(scope);
                match scope {
                    Scope::Dependent => quote!(api::Nullable<#inner>),
                    _ => quote!(Nullable<#inner>),
                }
            }
            RustType::Box(inner) => {
                let inner = inner.tokens(scope);
                quote!(Box<#inner>)
            }
            RustType::Json => quote!(serde_json::Value),
        }
    }
}

/// The short spelling: what the change report and `public-api.json` show.
impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::Named(name) => f.write_str(name),
            RustType::Primitive(p) => f.write_str(spelling(*p).1),
            RustType::Vec(inner) => write!(f, "Vec<{inner}>"),
            RustType::Map(inner) => write!(f, "BTreeMap<String, {inner}>"),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Nullable(inner) => write!(f, "Nullable<{inner}>"),
            RustType::Box(inner) => write!(f, "Box<{inner}>"),
            RustType::Json => f.write_str("serde_json::Value"),
        }
    }
}

/// A primitive as the generated code writes it, and its short name.
fn spelling(p: Primitive) -> (TokenStream, &'static str) {
    match p {
        Primitive::String => (quote!(String), "String"),
        Primitive::Bool => (quote!(bool), "bool"),
        Primitive::I8 => (quote!(i8), "i8"),
        Primitive::I16 => (quote!(i16), "i16"),
        Primitive::I32 => (quote!(i32), "i32"),
        Primitive::I64 => (quote!(i64), "i64"),
        Primitive::U8 => (quote!(u8), "u8"),
        Primitive::U16 => (quote!(u16), "u16"),
        Primitive::U32 => (quote!(u32), "u32"),
        Primitive::U64 => (quote!(u64), "u64"),
        Primitive::F32 => (quote!(f32), "f32"),
        Primitive::F64 => (quote!(f64), "f64"),
        Primitive::DateTime => (quote!(crate::DateTime), "DateTime"),
        Primitive::Date => (quote!(crate::Date), "Date"),
        Primitive::Uuid => (quote!(uuid::Uuid), "Uuid"),
        Primitive::Binary => (quote!(Vec<u8>), "Vec<u8>"),
    }
}

/// A name as an identifier (raw when it starts with `r#`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_text_spell_the_same_type() {
        let ty = Presence::of(false, true).wrap(RustType::Vec(Box::new(RustType::Map(Box::new(
            RustType::Primitive(Primitive::DateTime),
        )))));
        assert_eq!(ty.to_string(), "Nullable<Vec<BTreeMap<String, DateTime>>>");
        assert_eq!(
            ty.tokens(Scope::Types).to_string(),
            "Nullable < Vec < std :: collections :: BTreeMap < String , crate :: DateTime > > >"
        );
    }
}
