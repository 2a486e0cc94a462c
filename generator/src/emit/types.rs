//! `src/types.rs`: one Rust type per IR type.

use super::NON_EXHAUSTIVE;
use super::format::{self, Piece, skip_rustfmt};
use crate::ir::{
    Api, Enum, EnumValue, Field, Primitive, Struct, TypeDef, TypeId, TypeKind, TypeRef, Union,
};
use crate::naming::unraw;
use crate::surface::docs;
use crate::surface::features::Features;
use crate::surface::graph::TypeGraph;
use crate::surface::names;
use crate::surface::rust::{Presence, RustType};
pub use crate::surface::rust::{Scope, ident};
use crate::surface::untagged::{WireShape, wire_shape};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The Rust type for a type reference (decided in [`RustType`]).
pub fn rust_type(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    RustType::of(api, ty).tokens(scope)
}

/// Whether an argument of this type is taken as `impl Into<T>`: strings (a
/// `&str`), date-times and dates (chrono's values).
pub fn taken_into(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Primitive(Primitive::String | Primitive::DateTime | Primitive::Date)
    )
}

/// `#[allow(deprecated)]` for items that mention deprecated types: the API
/// still uses them, and the crate must build without warnings.
pub fn allow_deprecated(mentions: bool) -> TokenStream {
    if mentions {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    }
}

/// `src/types.rs`: its head, then one piece per type, compiled with the
/// features of the operations that reach it.
pub(super) fn module<'a>(
    api: &'a Api,
    graph: &'a TypeGraph,
    features: &'a Features,
) -> format::Module<'a> {
    let mut pieces: Vec<Piece<'a>> = vec![Box::new(move || skip_rustfmt(head(api, features)))];
    let mut gates = vec![None];
    for (i, def) in api.types.iter().enumerate() {
        pieces.push(Box::new(move || type_def(api, graph, TypeId(i), def)));
        gates.push(
            features
                .of_types([TypeId(i)])
                .map(|f| f.into_iter().map(String::from).collect()),
        );
    }
    format::Module {
        path: "src/types.rs".into(),
        pieces,
        gates,
    }
}

fn head(api: &Api, features: &Features) -> TokenStream {
    let gate = |ids: Vec<TypeId>| {
        features
            .of_types(ids)
            .map(|f| f.into_iter().map(String::from).collect())
    };
    let imports = names::type_imports(api, gate)
        .into_iter()
        .map(|(line, gate)| {
            let cfg = gate.map(|features| format::cfg(&features));
            let line = use_line(&line);
            quote!(#cfg #line)
        });
    quote! {
        #![doc = " Request and response types."]
        #(#imports)*
    }
}

/// One `use` line, as [`crate::surface::names`] decides them.
pub fn use_line(line: &names::Use) -> TokenStream {
    let from = line.from.split("::").map(|s| format_ident!("{s}"));
    let names = line.names.iter().map(|n| format_ident!("{n}"));
    if line.names.len() == 1 {
        quote!(use #(#from)::* :: #(#names)*;)
    } else {
        quote!(use #(#from)::* :: { #(#names),* };)
    }
}

fn type_def(api: &Api, graph: &TypeGraph, id: TypeId, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::attrs(&def.docs);
    let deprecated = if def.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    let allow = allow_deprecated(graph.mentions_deprecated(api, id));
    match &def.kind {
        TypeKind::Struct(s) => {
            let body = struct_def(api, graph, id, def, s);
            quote! { #doc #deprecated #allow #body }
        }
        TypeKind::Enum(e) => enum_def(def, e, &doc, &deprecated, &allow),
        TypeKind::Union(u) => union_def(api, graph, id, def, u, &doc, &deprecated, &allow),
        TypeKind::Alias(target) if graph.is_newtype(id) => {
            // Boxed when it contains itself by value through other types.
            let ty = match target {
                _ if !graph.needs_box(id, target) => RustType::of(api, target),
                TypeRef::Nullable(inner) => {
                    RustType::Option(Box::new(RustType::Box(Box::new(RustType::of(api, inner)))))
                }
                _ => RustType::Box(Box::new(RustType::of(api, target))),
            }
            .tokens(Scope::Types);
            let default = if graph.is_defaultable(id) {
                quote!(Default,)
            } else {
                quote!()
            };
            quote! {
                #doc
                #deprecated
                #allow
                #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
        TypeKind::Alias(target) => {
            let ty = rust_type(api, target, Scope::Types);
            quote! { #doc #deprecated #allow pub type #name = #ty; }
        }
    }
}

/// The type of a struct field: held as [`Presence`] decides, boxed when
/// recursive.
fn field_type(api: &Api, graph: &TypeGraph, owner: TypeId, field: &Field) -> TokenStream {
    let mut ty = RustType::of(api, &field.ty);
    if graph.needs_box(owner, &field.ty) {
        ty = RustType::Box(Box::new(ty));
    }
    Presence::of(field.required, field.nullable)
        .wrap(ty)
        .tokens(Scope::Types)
}

fn struct_def(api: &Api, graph: &TypeGraph, id: TypeId, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let secret = s.fields.iter().any(|f| f.secret);
    let mut default_fns = Vec::new();
    let fields: Vec<TokenStream> =
        s.fields
            .iter()
            .map(|f| {
                let fname = ident(&f.name);
                let ty = field_type(api, graph, id, f);
                let doc = docs::attrs(&f.docs);
                let deprecated = if f.deprecated {
                    quote!(#[deprecated])
                } else {
                    quote!()
                };
                let mut serde_args = Vec::new();
                if f.flatten {
                    serde_args.push(quote!(flatten));
                } else if unraw(&f.name) != f.wire {
                    let wire = &f.wire;
                    serde_args.push(quote!(rename = #wire));
                }
                match (f.required, f.nullable) {
                    _ if f.flatten => {}
                    (true, false) => match f
                        .default
                        .as_ref()
                        .and_then(|d| default_value(api, &f.ty, d))
                    {
                        // A required field the server may leave out decodes to the
                        // spec's default.
                        Some(DefaultValue::Zero) => serde_args.push(quote!(default)),
                        Some(DefaultValue::Expr(value)) => {
                            let fn_name = format_ident!("default_{}", unraw(&f.name));
                            let path = format!("{}::{fn_name}", def.name);
                            let ty = rust_type(api, &f.ty, Scope::Types);
                            default_fns.push(quote!(fn #fn_name() -> #ty { #value }));
                            serde_args.push(quote!(default = #path));
                        }
                        None => {}
                    },
                    (false, false) => {
                        serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"))
                    }
                    (false, true) => serde_args
                        .push(quote!(default, skip_serializing_if = "Nullable::is_absent")),
                    (true, true) => {}
                }
                let serde = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
                quote! { #doc #deprecated #serde pub #fname: #ty, }
            })
            .collect();
    let defaults = (!default_fns.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#default_fns)*
            }
        }
    });
    let additional = s.additional.as_ref().map(|t| {
        let ty = rust_type(api, t, Scope::Types);
        quote! {
            /// Properties not listed above.
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let debug = if secret { quote!() } else { quote!(Debug,) };
    let default = if graph.is_defaultable(id) {
        quote!(Default,)
    } else {
        quote!()
    };
    let debug_impl = secret.then(|| redacted_debug(def, s, graph.mentions_deprecated(api, id)));
    let constructor = constructor(api, graph, id, def, s);
    quote! {
        #[derive(#debug Clone, PartialEq, #default Serialize, Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #constructor
        #defaults
        #debug_impl
    }
}

enum DefaultValue {
    /// The type's own `Default` (`false`, `0`, `""`, empty).
    Zero,
    Expr(TokenStream),
}

/// The spec's default as a Rust value of the field's type, when it has one.
fn default_value(api: &Api, ty: &TypeRef, value: &serde_json::Value) -> Option<DefaultValue> {
    use serde_json::Value as V;
    let zero = match value {
        V::Bool(b) => !b,
        V::Number(n) => n.as_f64() == Some(0.0),
        V::String(s) => s.is_empty() && matches!(ty, TypeRef::Primitive(Primitive::String)),
        V::Array(a) => a.is_empty() && matches!(ty, TypeRef::Array(_)),
        V::Object(o) => o.is_empty() && matches!(ty, TypeRef::Map(_)),
        V::Null => false,
    };
    if zero && !matches!(ty, TypeRef::Named(_)) {
        return Some(DefaultValue::Zero);
    }
    let expr = match (ty, value) {
        (TypeRef::Primitive(Primitive::Bool), V::Bool(b)) => quote!(#b),
        (TypeRef::Primitive(Primitive::String), V::String(s)) => quote!(#s.to_string()),
        (TypeRef::Primitive(Primitive::F32 | Primitive::F64), V::Number(n)) => {
            let f = proc_macro2::Literal::f64_unsuffixed(n.as_f64()?);
            quote!(#f)
        }
        (TypeRef::Primitive(p), V::Number(n))
            if !matches!(p, Primitive::String | Primitive::Bool) =>
        {
            let i = proc_macro2::Literal::i128_unsuffixed(
                n.as_i64().map(i128::from).or(n.as_u64().map(i128::from))?,
            );
            quote!(#i)
        }
        (TypeRef::Named(id), V::String(s)) if matches!(&api.ty(*id).kind, TypeKind::Enum(e) if !e.is_integer()) =>
        {
            let name = ident(&api.ty(*id).name);
            quote!(#name::from(#s))
        }
        _ => return None,
    };
    Some(DefaultValue::Expr(expr))
}

/// `new(required fields...)` for structs with required fields: the other
/// fields start absent, so a value can be built without naming them all
/// (and without a `Default` that would invent required values).
fn constructor(
    api: &Api,
    graph: &TypeGraph,
    id: TypeId,
    def: &TypeDef,
    s: &Struct,
) -> Option<TokenStream> {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    if required.is_empty() {
        return None;
    }
    let name = ident(&def.name);
    let params = required.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = field_type(api, graph, id, f);
        if taken_into(&f.ty) && !f.nullable {
            quote!(#fname: impl Into<#ty>)
        } else {
            quote!(#fname: #ty)
        }
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        match (f.required, f.nullable) {
            (true, _) if taken_into(&f.ty) && !f.nullable => {
                quote!(#fname: #fname.into())
            }
            (true, _) => quote!(#fname),
            (false, false) => quote!(#fname: None),
            (false, true) => quote!(#fname: Nullable::Absent),
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: Default::default(),));
    let too_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let allow = allow_deprecated(
        graph.mentions_deprecated(api, id)
            || def.deprecated
            || s.fields.iter().any(|f| f.deprecated),
    );
    Some(quote! {
        #allow
        impl #name {
            /// A value with the required fields; the optional ones are absent.
            #too_many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #additional }
            }
        }
    })
}

/// `Debug` that prints writeOnly (secret) fields as `<redacted>`.
fn redacted_debug(def: &TypeDef, s: &Struct, allow: bool) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    let allow = allow_deprecated(allow || def.deprecated || s.fields.iter().any(|f| f.deprecated));
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let label = unraw(&f.name);
        if !f.secret {
            return quote!(.field(#label, &self.#fname));
        }
        match (f.required, f.nullable) {
            (true, false) => quote!(.field(#label, &"<redacted>")),
            (false, true) => quote!(.field(#label, &self.#fname.as_ref().map(|_| "<redacted>"))),
            _ => quote!(.field(#label, &self.#fname.as_ref().map(|_| "<redacted>"))),
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(.field("additional_properties", &self.additional_properties)));
    quote! {
        #allow
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)
                    #(#fields)*
                    #additional
                    .finish()
            }
        }
    }
}

fn enum_def(
    def: &TypeDef,
    e: &Enum,
    doc: &TokenStream,
    deprecated: &TokenStream,
    allow: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(&e.unknown);
    let variants: Vec<Ident> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let docs = e.variants.iter().map(|v| {
        let text = format!(" `{}`", v.value);
        quote!(#[doc = #text])
    });
    let lint = variant_names_lint(
        &def.name,
        e.variants
            .iter()
            .map(|v| v.name.as_str())
            .chain([e.unknown.as_str()]),
    );
    let allow_impl = allow_deprecated(def.deprecated);
    let integers: Option<Vec<proc_macro2::Literal>> = e
        .variants
        .iter()
        .map(|v| match v.value {
            EnumValue::Integer(i) => Some(proc_macro2::Literal::i64_unsuffixed(i)),
            EnumValue::String(_) => None,
        })
        .collect();
    if let Some(values) = integers {
        return quote! {
            #doc
            #deprecated
            #allow
            #lint
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #NON_EXHAUSTIVE
        pub enum #name {
                #(#docs #variants,)*
                /// A value not known when this crate was generated.
                #unknown(i64),
            }
            #allow_impl
            impl #name {
                /// The value as sent on the wire.
                pub fn value(self) -> i64 {
                    match self {
                        #(Self::#variants => #values,)*
                        Self::#unknown(value) => value,
                    }
                }
            }
            #allow_impl
            impl From<i64> for #name {
                fn from(value: i64) -> Self {
                    match value {
                        #(#values => Self::#variants,)*
                        other => Self::#unknown(other),
                    }
                }
            }
            #allow_impl
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "{}", self.value())
                }
            }
            #allow_impl
            impl Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.value())
                }
            }
            #allow_impl
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    i64::deserialize(deserializer).map(Self::from)
                }
            }
        };
    }
    let values: Vec<String> = e.variants.iter().map(|v| v.value.to_string()).collect();
    quote! {
        #doc
        #deprecated
        #allow
        #lint
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #NON_EXHAUSTIVE
        pub enum #name {
            #(#docs #variants,)*
            /// A value not known when this crate was generated, kept as sent.
            #unknown(String),
        }
        #allow_impl
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#unknown(value) => value,
                }
            }
        }
        #allow_impl
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::#unknown(other.to_string()),
                }
            }
        }
        #allow_impl
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }
        #allow_impl
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #allow_impl
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        #allow_impl
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

/// clippy's `enum_variant_names` fires when a variant starts or ends with the
/// enum's name, or all variants share a first or last word. Variant names are
/// the API's values, so the lint is allowed exactly where it would fire.
fn variant_names_lint<'a>(
    enum_name: &str,
    variants: impl Iterator<Item = &'a str> + Clone,
) -> TokenStream {
    let words = |s: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in s.chars() {
            if c.is_uppercase() || out.is_empty() {
                out.push(String::new());
            }
            if let Some(last) = out.last_mut() {
                last.push(c);
            }
        }
        out
    };
    let enum_words = words(enum_name);
    let contains_name = variants.clone().any(|v| {
        let w = words(v);
        w.len() > enum_words.len() && (w.starts_with(&enum_words) || w.ends_with(&enum_words))
    });
    let all: Vec<Vec<String>> = variants.map(words).collect();
    let shared = |pick: fn(&Vec<String>) -> Option<&String>| {
        all.len() >= 3
            && all.iter().all(|w| w.len() > 1)
            && all.windows(2).all(|p| pick(&p[0]) == pick(&p[1]))
    };
    if contains_name || shared(|w| w.first()) || shared(|w| w.last()) {
        quote!(#[allow(clippy::enum_variant_names)])
    } else {
        quote!()
    }
}

#[allow(clippy::too_many_arguments)] // the shared attribute tokens of a type definition
fn union_def(
    api: &Api,
    graph: &TypeGraph,
    id: TypeId,
    def: &TypeDef,
    u: &Union,
    doc: &TokenStream,
    deprecated: &TokenStream,
    allow: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let lint = variant_names_lint(&def.name, u.variants.iter().map(|v| v.name.as_str()));
    let variant_type = |ty: &TypeRef| {
        let t = rust_type(api, ty, Scope::Types);
        if graph.boxed_variant(api, id, ty) {
            quote!(Box<#t>)
        } else {
            t
        }
    };
    let unknown = ident(&u.unknown);
    let Some(tag) = &u.tag else {
        let variants = u.variants.iter().map(|v| {
            let vname = ident(&v.name);
            let ty = variant_type(&v.ty);
            quote!(#vname(#ty),)
        });
        let shapes = u
            .variants
            .iter()
            .map(|v| shape_tokens(&wire_shape(api, &v.ty)));
        let arms = u.variants.iter().enumerate().map(|(i, v)| {
            let vname = ident(&v.name);
            let ty = variant_type(&v.ty);
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(#i => <#ty as Deserialize>::deserialize(value).map(Self::#vname).ok(),)
        });
        let allow_impl = allow_deprecated(graph.mentions_deprecated(api, id) || def.deprecated);
        return quote! {
            #doc
            #deprecated
            #allow
            #lint
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            #NON_EXHAUSTIVE
            pub enum #name {
                #(#variants)*
                /// A value no alternative fits, kept as sent.
                #unknown(serde_json::Value),
            }
            #allow_impl
            impl<'de> Deserialize<'de> for #name {
                /// Tries the alternatives the value fits, best first, else keeps the value as sent.
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::untagged::decode(
                        deserializer,
                        &[#(#shapes),*],
                        |index, value| match index {
                            #(#arms)*
                            _ => None,
                        },
                        Self::#unknown,
                    )
                }
            }
        };
    };
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = variant_type(&v.ty);
        let text = format!(" `{tag}: {}`", v.tags.join(" | "));
        quote!(#[doc = #text] #vname(#ty),)
    });
    let serialize_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        if struct_has_field(api, &v.ty, tag) {
            quote!(Self::#vname(value) => value.serialize(serializer),)
        } else {
            let first = v.tags.first().cloned().unwrap_or_default();
            quote! {
                Self::#vname(value) => {
                    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
                    if let serde_json::Value::Object(map) = &mut json {
                        map.insert(#tag.to_string(), serde_json::Value::from(#first));
                    }
                    json.serialize(serializer)
                }
            }
        }
    });
    let deserialize_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let tags = &v.tags;
        quote! {
            Some(#(#tags)|*) => serde_json::from_value(value).map(Self::#vname).map_err(serde::de::Error::custom),
        }
    });
    let allow_impl = allow_deprecated(graph.mentions_deprecated(api, id) || def.deprecated);
    quote! {
        #doc
        #deprecated
        #allow
        #lint
        #[derive(Debug, Clone, PartialEq)]
        #NON_EXHAUSTIVE
        pub enum #name {
            #(#variants)*
            /// A kind not known when this crate was generated, kept as sent.
            #unknown(serde_json::Value),
        }
        #allow_impl
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#unknown(value) => value.serialize(serializer),
                }
            }
        }
        #allow_impl
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#deserialize_arms)*
                    _ => Ok(Self::#unknown(value)),
                }
            }
        }
    }
}

/// The runtime's `untagged::UntaggedShape` for one alternative, by its full path
/// (a generated type may be named `UntaggedShape`).
fn shape_tokens(shape: &WireShape) -> TokenStream {
    match shape {
        WireShape::Object {
            fields,
            required,
            open,
        } => {
            let fields = fields.iter().map(|(name, shape)| {
                let shape = shape_tokens(shape);
                quote!((#name, #shape))
            });
            quote!(crate::untagged::UntaggedShape::Object { fields: &[#(#fields),*], required: &[#(#required),*], open: #open })
        }
        WireShape::Array(item) => {
            let item = shape_tokens(item);
            quote!(crate::untagged::UntaggedShape::Array(&#item))
        }
        WireShape::String => quote!(crate::untagged::UntaggedShape::String),
        WireShape::StringIn(values) => {
            quote!(crate::untagged::UntaggedShape::StringIn(&[#(#values),*]))
        }
        WireShape::Integer => quote!(crate::untagged::UntaggedShape::Integer),
        WireShape::Number => quote!(crate::untagged::UntaggedShape::Number),
        WireShape::Bool => quote!(crate::untagged::UntaggedShape::Bool),
        WireShape::Any => quote!(crate::untagged::UntaggedShape::Any),
    }
}

/// Whether `ty` is a struct with a field named `wire`.
fn struct_has_field(api: &Api, ty: &TypeRef, wire: &str) -> bool {
    match ty {
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| f.wire == wire),
            TypeKind::Alias(inner) => struct_has_field(api, inner, wire),
            _ => false,
        },
        _ => false,
    }
}
