//! The public API of a generated crate, as its users see it.
//!
//! Every name is the Rust name and every type is written as the Rust type a
//! user spells, so two surfaces compare the way code written against them
//! would. Maps are sorted by name, so the JSON form is deterministic; it is
//! written into every generated crate as [`SURFACE_FILE`].

use crate::ir::{
    Api, AuthLocation, BodyKind, Docs, Operation, ParamLocation, ResponseBody, Status, TypeId,
    TypeKind, TypeRef, View,
};
use crate::surface::docs;
use crate::surface::features::Features;
use crate::surface::graph::TypeGraph;
use crate::surface::rust::{Presence, RustType};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// File of a generated crate holding its [`Surface`] as JSON.
pub const SURFACE_FILE: &str = "public-api.json";

/// Version of the JSON form; a file of another version is not compared.
pub const FORMAT: u32 = 1;

fn is_false(b: &bool) -> bool {
    !*b
}

/// A crate's public API. `info.version` is deliberately absent: it changes
/// with every publication and lives in `API_VERSION` only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Surface {
    /// [`FORMAT`].
    pub format: u32,
    pub title: String,
    /// The crate documentation taken from the spec's `info.description`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthSurface>,
    /// By client method name.
    pub operations: BTreeMap<String, OperationSurface>,
    /// By type name.
    pub types: BTreeMap<String, TypeSurface>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthSurface {
    /// `header Authorization`, `query api_key`.
    pub sent_in: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// `operationId`.
    pub id: String,
    /// The cargo feature that compiles it (features per tag); `None`:
    /// always compiled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// `PATCH /fastedge/v1/secrets/{secret_id}`.
    pub endpoint: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
    /// In declaration order; required ones are the method's arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamSurface>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodySurface>,
    /// The type awaiting the request gives.
    pub output: String,
    /// `output` is an enum of the success responses (they have different
    /// bodies).
    #[serde(default, skip_serializing_if = "is_false")]
    pub output_enum: bool,
    /// Success responses (the variants of the output enum when there are
    /// several bodies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub successes: Vec<ResponseSurface>,
    /// The variants of the operation's error enum.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ResponseSurface>,
    /// Item type of `.into_stream()`, for auto-paging operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamSurface {
    pub name: String,
    /// `query page_size`.
    pub wire: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The Rust type of the value (without `Option`).
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodySurface {
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    pub content_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseSurface {
    pub variant: String,
    /// `404`, `4XX` or `default`.
    pub status: String,
    /// The body's Rust type; `None` when the response has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeSurface {
    /// JSON pointer of the schema the type was made from.
    pub origin: String,
    /// `neutral`, `input` (sent form) or `output` (received form).
    pub view: String,
    /// The cargo features any of which compiles it (features per tag);
    /// empty: always compiled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Reachable from a request (users build values of it).
    #[serde(default, skip_serializing_if = "is_false")]
    pub sent: bool,
    /// Reachable from a response (users read values of it).
    #[serde(default, skip_serializing_if = "is_false")]
    pub received: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
    #[serde(flatten)]
    pub kind: KindSurface,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KindSurface {
    Struct {
        /// Implements `Default`, so values can be built with
        /// `..Default::default()`.
        #[serde(default, skip_serializing_if = "is_false")]
        default: bool,
        fields: Vec<FieldSurface>,
        /// Value type of `additional_properties`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional: Option<String>,
    },
    Enum {
        #[serde(default, skip_serializing_if = "is_false")]
        integer: bool,
        values: Vec<ValueSurface>,
        unknown: String,
    },
    Union {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tag: Option<String>,
        variants: Vec<VariantSurface>,
    },
    Alias {
        ty: String,
        /// A newtype struct (`struct Name(pub T)`) rather than `type Name = T`.
        #[serde(default, skip_serializing_if = "is_false")]
        newtype: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldSurface {
    pub name: String,
    pub wire: String,
    /// The value's Rust type, without the `Option` or `Nullable` that
    /// `required` and `nullable` add.
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
}

impl FieldSurface {
    /// The field's declared Rust type.
    pub fn rust_type(&self) -> String {
        Presence::of(self.required, self.nullable).spell(&self.ty)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueSurface {
    pub name: String,
    /// The wire value.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantSurface {
    pub name: String,
    pub ty: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl Surface {
    /// The surface of the crate generated from `api`.
    pub fn of(api: &Api) -> Surface {
        let graph = TypeGraph::new(api);
        let features = Features::of(api);
        let (sent, received) = directions(api);
        let types = api
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let id = TypeId(i);
                let kind = match &t.kind {
                    TypeKind::Struct(s) => KindSurface::Struct {
                        default: graph.is_defaultable(id),
                        fields: s
                            .fields
                            .iter()
                            .map(|f| FieldSurface {
                                name: f.name.clone(),
                                wire: f.wire.clone(),
                                ty: rust_type(api, &f.ty),
                                required: f.required,
                                nullable: f.nullable,
                                deprecated: f.deprecated,
                                docs: doc_text(&f.docs),
                            })
                            .collect(),
                        additional: s.additional.as_ref().map(|a| rust_type(api, a)),
                    },
                    TypeKind::Enum(e) => KindSurface::Enum {
                        integer: e.is_integer(),
                        values: e
                            .variants
                            .iter()
                            .map(|v| ValueSurface {
                                name: v.name.clone(),
                                value: v.value.to_string(),
                            })
                            .collect(),
                        unknown: e.unknown.clone(),
                    },
                    TypeKind::Union(u) => KindSurface::Union {
                        tag: u.tag.clone(),
                        variants: u
                            .variants
                            .iter()
                            .map(|v| VariantSurface {
                                name: v.name.clone(),
                                ty: rust_type(api, &v.ty),
                                tags: v.tags.clone(),
                            })
                            .collect(),
                    },
                    TypeKind::Alias(target) => KindSurface::Alias {
                        ty: rust_type(api, target),
                        newtype: graph.is_newtype(id),
                    },
                };
                let surface = TypeSurface {
                    origin: t.origin.to_string(),
                    view: view_name(t.view).to_string(),
                    features: features
                        .of_types([id])
                        .map(|f| f.into_iter().map(String::from).collect())
                        .unwrap_or_default(),
                    sent: sent[i],
                    received: received[i],
                    deprecated: t.deprecated,
                    docs: doc_text(&t.docs),
                    kind,
                };
                (t.name.clone(), surface)
            })
            .collect();
        let operations = api
            .operations
            .iter()
            .enumerate()
            .map(|(i, op)| {
                let feature = features.operation(i).map(|g| g.feature.clone());
                (op.method_name.clone(), operation(api, op, feature))
            })
            .collect();
        Surface {
            format: FORMAT,
            title: api.title.clone(),
            docs: api
                .description
                .as_deref()
                .map(|d| docs::sanitize(d).join("\n"))
                .unwrap_or_default(),
            base_url: api.base_url.clone(),
            auth: api.auth.as_ref().map(|a| AuthSurface {
                sent_in: match a.location {
                    AuthLocation::Header => format!("header {}", a.name),
                    AuthLocation::Query => format!("query {}", a.name),
                },
                prefix: a.prefix.clone(),
                docs: a
                    .description
                    .as_deref()
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            }),
            operations,
            types,
        }
    }

    /// The JSON form written into generated crates: pretty-printed, one
    /// value per line, so that its own diff is readable too.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("a surface is plain data and serialises");
        text.push('\n');
        text
    }

    /// Reads [`Surface::to_json`] output; `Err` says why it cannot be used.
    pub fn from_json(text: &str) -> Result<Surface, String> {
        #[derive(Deserialize)]
        struct Format {
            format: u32,
        }
        let format: Format = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if format.format != FORMAT {
            return Err(format!(
                "format {} (this generator reads format {FORMAT})",
                format.format
            ));
        }
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

fn operation(api: &Api, op: &Operation, feature: Option<String>) -> OperationSurface {
    let params = op
        .params
        .iter()
        .map(|p| ParamSurface {
            name: p.name.clone(),
            wire: format!("{} {}", location_name(p.location), p.wire),
            required: p.required,
            ty: rust_type(api, &p.ty),
            deprecated: p.deprecated,
            docs: doc_text(&p.docs),
        })
        .collect();
    let body = op.body.as_ref().map(|b| BodySurface {
        ty: match &b.kind {
            BodyKind::Json(t) | BodyKind::Form(t) | BodyKind::Multipart(t) => rust_type(api, t),
            BodyKind::Binary => "BinaryBody".into(),
            BodyKind::Text => "String".into(),
        },
        required: b.required,
        content_type: b.content_type.clone(),
        docs: doc_text(&b.docs),
    });
    let response = |r: &crate::ir::Response| ResponseSurface {
        variant: r.variant.clone(),
        status: match r.status {
            Status::Code(c) => c.to_string(),
            Status::Range(d) => format!("{d}XX"),
            Status::Default => "default".into(),
        },
        ty: response_type(api, &r.body),
    };
    let successes: Vec<ResponseSurface> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(response)
        .collect();
    let errors = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .map(response)
        .collect();
    // One body type is the output itself, several make an enum.
    let distinct = crate::surface::success_bodies(op);
    let output = match distinct.as_slice() {
        [] => "()".to_string(),
        [one] => response_type(api, one).unwrap_or_else(|| "()".into()),
        _ => op.output_name.clone(),
    };
    let output_enum = crate::surface::has_output_enum(op);
    OperationSurface {
        id: op.id.clone(),
        feature,
        endpoint: format!("{} {}", op.method, op.path),
        deprecated: op.deprecated,
        docs: doc_text(&op.docs),
        params,
        body,
        output,
        output_enum,
        successes,
        errors,
        pages: op.pagination.as_ref().map(|p| rust_type(api, &p.item)),
    }
}

fn response_type(api: &Api, body: &ResponseBody) -> Option<String> {
    match body {
        ResponseBody::Empty => None,
        ResponseBody::Json(t) => Some(rust_type(api, t)),
        ResponseBody::Text => Some("String".into()),
        ResponseBody::Binary => Some("bytes::Bytes".into()),
    }
}

/// The doc comment text a user reads.
fn doc_text(d: &Docs) -> String {
    docs::lines(d).join("\n")
}

fn view_name(view: View) -> &'static str {
    match view {
        View::Neutral => "neutral",
        View::Input => "input",
        View::Output => "output",
    }
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The Rust type of a reference, spelled as in the generated crate.
pub fn rust_type(api: &Api, ty: &TypeRef) -> String {
    RustType::of(api, ty).to_string()
}

/// Which types are reachable from requests (sent) and from responses
/// (received), following fields, variants and alias targets.
fn directions(api: &Api) -> (Vec<bool>, Vec<bool>) {
    let roots = |refs: fn(&Operation) -> Vec<&TypeRef>| {
        api.operations
            .iter()
            .flat_map(refs)
            .filter_map(TypeRef::named)
            .collect::<Vec<_>>()
    };
    (
        api.reachable_from(roots(Operation::sent_refs)),
        api.reachable_from(roots(Operation::received_refs)),
    )
}
