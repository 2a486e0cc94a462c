//! Lowering paths and operations: parameters, request bodies, responses.

use super::flat::SchemaRef;
use super::schema::{Draft, Lowerer, Usage};
use crate::ir::{
    Body, BodyKind, Constraints, Docs, HttpMethod, Operation, Pagination, Param, ParamLocation,
    ParamStyle, Primitive, Response, ResponseBody, Status, TypeKind, TypeRef, View,
};
use crate::naming::{self, Case};
use crate::pointer::Pointer;
use crate::surface::names::{self as reserved, Module};
use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, StatusCode,
};
use std::collections::HashMap;

/// Header parameters OpenAPI says to ignore: the client sets them itself.
const IGNORED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

pub fn lower_operations<'a>(
    lowerer: &mut Lowerer<'a, '_>,
    api: &'a OpenAPI,
    auth_scheme: Option<&str>,
) -> Vec<Operation> {
    // Each operation is made once its Rust names are known (below).
    let mut unnamed: Vec<(String, Unnamed<OperationNames, Operation>)> = Vec::new();
    let mut ids: HashMap<String, Pointer> = HashMap::new();
    for (path, item) in &api.paths.paths {
        let path_pointer = Pointer::root().push("paths").push(path);
        // `$ref` path items are supported: `normalise` replaced each by a
        // copy of what it names (or reported why it could not), so none is
        // left here.
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                lowerer.diags.error(
                    &path_pointer,
                    "internal error: a `$ref` path item was left after normalising",
                );
                continue;
            }
        };
        for (method, op) in methods(item) {
            let pointer = path_pointer.push(method.key());
            let id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| derived_id(method, path));
            if let Some(first) = ids.get(&id) {
                lowerer.diags.error(
                    &pointer,
                    format!("operationId `{id}` is used twice (first at {first})"),
                );
                continue;
            }
            ids.insert(id.clone(), pointer.clone());
            let auth = requires_auth(op.security.as_ref().or(api.security.as_ref()), auth_scheme);
            let params = parameters(
                lowerer,
                &item.parameters,
                &op.parameters,
                path,
                &path_pointer,
                &pointer,
                &id,
            );
            let body = op
                .request_body
                .as_ref()
                .and_then(|b| request_body(lowerer, b, &pointer.push("requestBody"), &id));
            let responses = responses(lowerer, op, &pointer, &id);
            let mut notes = vec![format!("`{method} {path}`")];
            if op.deprecated {
                notes.push("Deprecated by the API.".into());
            }
            notes.extend(permission_note(op.extensions.get("x-permissions")));
            let docs = Docs {
                summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
                description: op.description.clone().filter(|s| !s.trim().is_empty()),
                notes,
            };
            let (path, deprecated) = (path.clone(), op.deprecated);
            let tag = op.tags.first().cloned();
            let made_id = id.clone();
            unnamed.push((
                id,
                Box::new(move |names: OperationNames| Operation {
                    id: made_id,
                    method_name: names.method,
                    type_name: names.operation,
                    error_name: names.error,
                    output_name: names.output,
                    method,
                    path,
                    origin: pointer,
                    tag,
                    docs,
                    deprecated,
                    auth,
                    params,
                    body,
                    responses,
                    pagination: None,
                }),
            ));
        }
    }
    let names = operation_names(unnamed.iter().map(|(id, _)| id.as_str()).collect());
    unnamed
        .into_iter()
        .zip(names)
        .map(|((_, make), names)| make(names))
        .collect()
}

/// The Rust names of one operation: its client method and its types.
struct OperationNames {
    method: String,
    operation: String,
    error: String,
    output: String,
}

/// Names for operations with these ids, in order: methods unique among the
/// client's members, types unique in `operations.rs`.
fn operation_names(ids: Vec<&str>) -> Vec<OperationNames> {
    let methods = naming::unique(&ids, Case::Snake, reserved::client_members(), "operation");
    let mut type_raws: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    type_raws.extend(ids.iter().map(|id| format!("{id} error")));
    type_raws.extend(ids.iter().map(|id| format!("{id} output")));
    let type_raws: Vec<&str> = type_raws.iter().map(String::as_str).collect();
    let types = naming::unique(
        &type_raws,
        Case::Type,
        reserved::reserved(Module::Operations),
        "Operation",
    );
    let n = ids.len();
    methods
        .into_iter()
        .enumerate()
        .map(|(i, method)| OperationNames {
            method,
            operation: types[i].clone(),
            error: types[n + i].clone(),
            output: types[2 * n + i].clone(),
        })
        .collect()
}

/// The permission an API key needs for an operation, from Gcore's
/// `x-permissions: {action, resource, domain: [..]}`; `None` when absent or
/// not in that shape.
fn permission_note(value: Option<&serde_json::Value>) -> Option<String> {
    let value = value?;
    let action = value.get("action")?.as_str()?;
    let resource = value.get("resource")?.as_str()?;
    let domains: Vec<&str> = value
        .get("domain")
        .and_then(|d| d.as_array())
        .map(|d| d.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let mut note = format!("Needs the `{action}` permission on `{resource}`");
    if !domains.is_empty() {
        note.push_str(&format!(" ({} accounts)", domains.join(", ")));
    }
    note.push('.');
    Some(note)
}

/// The operations of a path item, in the order of its fields.
fn methods(
    item: &openapiv3::PathItem,
) -> impl Iterator<Item = (HttpMethod, &openapiv3::Operation)> {
    [
        (HttpMethod::Get, &item.get),
        (HttpMethod::Put, &item.put),
        (HttpMethod::Post, &item.post),
        (HttpMethod::Delete, &item.delete),
        (HttpMethod::Options, &item.options),
        (HttpMethod::Head, &item.head),
        (HttpMethod::Patch, &item.patch),
        (HttpMethod::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, op)| Some((method, op.as_ref()?)))
}

/// `get /apps/{id}/logs` -> `get apps id logs`, for operations without an id.
fn derived_id(method: HttpMethod, path: &str) -> String {
    let mut words = vec![method.key().to_string()];
    words.extend(
        path.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(String::from),
    );
    words.join("_")
}

fn requires_auth(
    requirements: Option<&Vec<openapiv3::SecurityRequirement>>,
    scheme: Option<&str>,
) -> bool {
    match (requirements, scheme) {
        (Some(reqs), Some(scheme)) => reqs.iter().any(|r| r.contains_key(scheme)),
        _ => false,
    }
}

#[allow(clippy::too_many_arguments)] // the two parameter lists and the places they came from
fn parameters<'a>(
    lowerer: &mut Lowerer<'a, '_>,
    path_level: &'a [ReferenceOr<Parameter>],
    op_level: &'a [ReferenceOr<Parameter>],
    path: &str,
    path_pointer: &Pointer,
    pointer: &Pointer,
    id: &str,
) -> Vec<Param> {
    let resolved = declared_parameters(lowerer, [(path_level, path_pointer), (op_level, pointer)]);
    let template: Vec<&str> = path_template_names(path);
    let undeclared = undeclared_path_parameters(lowerer, &resolved, &template, pointer);
    // Each parameter is made once its Rust name is known (below).
    let mut unnamed: Vec<(String, Unnamed<String, Param>)> = Vec::new();
    for (param, at) in resolved {
        if let Some(made) = parameter(lowerer, param, &at, path, &template, id) {
            unnamed.push(made);
        }
    }
    for wire in undeclared {
        unnamed.push(undeclared_parameter(wire));
    }
    // `body` first so it keeps its name; parameters named like members of
    // the request builder get a suffix.
    let mut raws: Vec<&str> = vec!["body"];
    raws.extend(unnamed.iter().map(|(wire, _)| wire.as_str()));
    let names = naming::unique(&raws, Case::Snake, reserved::request_members(), "param");
    unnamed
        .into_iter()
        .zip(names.into_iter().skip(1))
        .map(|((_, make), name)| make(name))
        .collect()
}

/// The path item's parameters, then the operation's, resolved: an
/// operation parameter replaces a path-item one with the same name and
/// location; a name declared twice in one list keeps the first.
fn declared_parameters<'a>(
    lowerer: &mut Lowerer<'a, '_>,
    lists: [(&'a [ReferenceOr<Parameter>], &Pointer); 2],
) -> Vec<(&'a Parameter, Pointer)> {
    let mut resolved: Vec<(&'a Parameter, Pointer)> = Vec::new();
    for (list, base) in lists {
        let mut seen: HashMap<(String, &'static str), Pointer> = HashMap::new();
        for (i, p) in list.iter().enumerate() {
            let at = base.push("parameters").push(&i.to_string());
            let (param, at) = match p {
                ReferenceOr::Item(param) => (param, at),
                ReferenceOr::Reference { reference } => {
                    match lowerer
                        .resolver
                        .component("parameters", |c| &c.parameters, reference)
                    {
                        Ok((param, _)) => (param, at),
                        Err(message) => {
                            lowerer.diags.error(&at, message);
                            continue;
                        }
                    }
                }
            };
            let key = (
                param.parameter_data_ref().name.clone(),
                location_name(param),
            );
            if let Some(first) = seen.get(&key) {
                lowerer.diags.assumed(
                    &at,
                    format!(
                        "parameter `{}` in {} is declared twice; the first declaration (at {first}) is used and this one ignored",
                        key.0, key.1
                    ),
                );
                continue;
            }
            seen.insert(key.clone(), at.clone());
            resolved
                .retain(|(p, _)| (p.parameter_data_ref().name.clone(), location_name(p)) != key);
            resolved.push((param, at));
        }
    }
    resolved
}

/// Every `{name}` in the template needs a path parameter. One that is not
/// declared can only be a required path segment: it becomes a string.
fn undeclared_path_parameters<'t>(
    lowerer: &mut Lowerer<'_, '_>,
    resolved: &[(&Parameter, Pointer)],
    template: &[&'t str],
    pointer: &Pointer,
) -> Vec<&'t str> {
    let mut undeclared = Vec::new();
    for name in template {
        let declared = resolved.iter().any(|(p, _)| {
            matches!(p, Parameter::Path { .. }) && p.parameter_data_ref().name == *name
        });
        if !declared && !undeclared.contains(name) {
            lowerer.diags.assumed(
                pointer,
                format!("path template parameter `{{{name}}}` is not declared as a path parameter; it is taken as a required string"),
            );
            undeclared.push(*name);
        }
    }
    undeclared
}

/// One declared parameter, waiting for its name; `None` for one that is not
/// sent (a header the client sets itself, a path parameter not in the
/// template).
fn parameter<'a>(
    lowerer: &mut Lowerer<'a, '_>,
    param: &'a Parameter,
    at: &Pointer,
    path: &str,
    template: &[&str],
    id: &str,
) -> Option<(String, Unnamed<String, Param>)> {
    let data = param.parameter_data_ref();
    let location = match param {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    };
    if location == ParamLocation::Header
        && IGNORED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
    {
        return None;
    }
    if location == ParamLocation::Path && !template.contains(&data.name.as_str()) {
        lowerer.diags.warning(
            at,
            format!(
                "path parameter `{}` does not appear in the path template `{path}`; it is not sent",
                data.name
            ),
        );
        return None;
    }
    let style = match param {
        Parameter::Query {
            style: QueryStyle::DeepObject,
            ..
        } => ParamStyle::DeepObject,
        Parameter::Query {
            style: QueryStyle::Form,
            ..
        }
        | Parameter::Cookie { .. } => ParamStyle::Form {
            explode: data.explode.unwrap_or(true),
        },
        Parameter::Query { style, .. } => {
            lowerer.diags.warning(
                at,
                format!("query style {style:?} is sent as comma-separated form style"),
            );
            ParamStyle::Form { explode: false }
        }
        Parameter::Path { .. } | Parameter::Header { .. } => ParamStyle::Simple,
    };
    let hint = format!("{id} {}", data.name);
    let usage = match &data.format {
        ParameterSchemaOrContent::Schema(s) => {
            let at = at.push("schema");
            lowerer
                .parameter_names
                .insert(at.clone(), data.name.clone());
            lowerer.usage(s.into(), &at, &hint, View::Input)
        }
        ParameterSchemaOrContent::Content(content) => match content.iter().next() {
            Some((
                media_type,
                MediaType {
                    schema: Some(s), ..
                },
            )) => {
                let p = at.push("content").push(media_type).push("schema");
                lowerer.parameter_names.insert(p.clone(), data.name.clone());
                lowerer.diags.warning(
                    at,
                    "a parameter with `content` is sent like a plain parameter of its schema",
                );
                lowerer.usage(s.into(), &p, &hint, View::Input)
            }
            _ => Usage {
                nullable: false,
                ..Usage::of(TypeRef::Any)
            },
        },
    };
    let mut docs = usage.docs.clone();
    if let Some(d) = data.description.clone().filter(|d| !d.trim().is_empty()) {
        docs.description = Some(d);
    }
    if let Some(example) = &data.example {
        docs.notes
            .push(format!("Example: `{}`.", example_text(example)));
    }
    let wire = data.name.clone();
    let required = data.required || location == ParamLocation::Path;
    let deprecated = data.deprecated.unwrap_or(false) || usage.deprecated;
    let example = data.example.clone().or(usage.example);
    Some((
        wire.clone(),
        Box::new(move |name| Param {
            wire,
            name,
            location,
            required,
            ty: usage.ty,
            style,
            docs,
            deprecated,
            example,
            constraints: usage.constraints,
        }),
    ))
}

/// A path template parameter the spec does not declare: a required string
/// segment, waiting for its name.
fn undeclared_parameter(wire: &str) -> (String, Unnamed<String, Param>) {
    let wire = wire.to_string();
    (
        wire.clone(),
        Box::new(move |name| Param {
            wire,
            name,
            location: ParamLocation::Path,
            required: true,
            ty: TypeRef::Primitive(Primitive::String),
            style: ParamStyle::Simple,
            docs: Docs {
                notes: vec!["Not declared in the spec: sent as a string path segment.".to_string()],
                ..Docs::default()
            },
            deprecated: false,
            example: None,
            constraints: Constraints::default(),
        }),
    )
}

/// An IR item waiting for its Rust names `N`, which depend on its
/// neighbours' (names are unique per scope): made once the names are
/// chosen, so no item ever holds a placeholder.
type Unnamed<N, T> = Box<dyn FnOnce(N) -> T>;

fn example_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.replace('`', "'"),
        other => other.to_string(),
    }
}

fn location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// Names inside `{}` in a path template.
pub fn path_template_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    names
}

/// How a media type is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaKind {
    Json,
    Multipart,
    Form,
    Binary,
    Text,
}

fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let json = essence == "application/json"
        || essence.ends_with("+json")
        || (essence.starts_with("application/") && essence.ends_with("json"));
    if json {
        MediaKind::Json
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "text/plain" {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// The media type the client uses, by preference: JSON, multipart, form,
/// binary, text. The first in document order wins among equals.
fn pick<'c>(
    content: &'c indexmap::IndexMap<String, MediaType>,
    order: &[MediaKind],
) -> Option<(&'c String, &'c MediaType, MediaKind)> {
    order.iter().find_map(|want| {
        content
            .iter()
            .find(|(mt, _)| media_kind(mt) == *want)
            .map(|(mt, m)| (mt, m, *want))
    })
}

fn request_body<'a>(
    lowerer: &mut Lowerer<'a, '_>,
    body: &'a ReferenceOr<openapiv3::RequestBody>,
    pointer: &Pointer,
    id: &str,
) -> Option<Body> {
    let (body, pointer) = match body {
        ReferenceOr::Item(b) => (b, pointer.clone()),
        ReferenceOr::Reference { reference } => {
            match lowerer
                .resolver
                .component("requestBodies", |c| &c.request_bodies, reference)
            {
                Ok(found) => (found.0, found.1),
                Err(message) => {
                    lowerer.diags.error(pointer, message);
                    return None;
                }
            }
        }
    };
    let order = [
        MediaKind::Json,
        MediaKind::Multipart,
        MediaKind::Form,
        MediaKind::Binary,
        MediaKind::Text,
    ];
    let (media_type, mt, kind) = pick(&body.content, &order)?;
    let at = pointer.push("content").push(media_type).push("schema");
    let hint = format!("{id} request");
    let usage = mt
        .schema
        .as_ref()
        .map(|s| lowerer.usage(s.into(), &at, &hint, View::Input));
    let is_binary_string = matches!(
        usage.as_ref().map(|u| &u.ty),
        Some(TypeRef::Primitive(Primitive::Binary))
    );
    let kind = match kind {
        MediaKind::Json => BodyKind::Json(usage.map_or(TypeRef::Any, Usage::nested)),
        MediaKind::Multipart | MediaKind::Form => {
            let ty = usage.map_or(TypeRef::Any, |u| u.ty);
            let is_struct = matches!(&ty, TypeRef::Named(id) if matches!(lowerer.drafts[id.0].kind, TypeKind::Struct(_)));
            if !is_struct {
                lowerer.diags.warning(
                    &at,
                    format!(
                        "a {media_type} body whose schema is not an object is sent as raw bytes"
                    ),
                );
                BodyKind::Binary
            } else if kind == MediaKind::Multipart {
                BodyKind::Multipart(ty)
            } else {
                BodyKind::Form(ty)
            }
        }
        MediaKind::Text if !is_binary_string => BodyKind::Text,
        MediaKind::Text | MediaKind::Binary => BodyKind::Binary,
    };
    Some(Body {
        required: body.required,
        content_type: media_type.clone(),
        kind,
        docs: Docs {
            summary: None,
            description: body.description.clone().filter(|d| !d.trim().is_empty()),
            notes: Vec::new(),
        },
    })
}

fn responses<'a>(
    lowerer: &mut Lowerer<'a, '_>,
    op: &'a openapiv3::Operation,
    pointer: &Pointer,
    id: &str,
) -> Vec<Response> {
    let base = pointer.push("responses");
    let mut entries: Vec<(Status, Pointer, &'a ReferenceOr<openapiv3::Response>)> = op
        .responses
        .responses
        .iter()
        .map(|(code, r)| {
            let status = match code {
                StatusCode::Code(c) => Status::Code(*c),
                StatusCode::Range(r) => Status::Range(*r),
            };
            (status, base.push(&code.to_string()), r)
        })
        .collect();
    if let Some(d) = &op.responses.default {
        entries.push((Status::Default, base.push("default"), d));
    }
    let inline_successes = entries
        .iter()
        .filter(|(s, _, r)| {
            s.is_success() && matches!(r, ReferenceOr::Item(resp) if !resp.content.is_empty())
        })
        .count();
    let mut out = Vec::new();
    for (status, at, r) in entries {
        let (resp, at) = match r {
            ReferenceOr::Item(resp) => (resp, at),
            ReferenceOr::Reference { reference } => {
                match lowerer
                    .resolver
                    .component("responses", |c| &c.responses, reference)
                {
                    Ok(found) => found,
                    Err(message) => {
                        lowerer.diags.error(&at, message);
                        continue;
                    }
                }
            }
        };
        let variant = status_variant(status);
        let hint = if status.is_success() {
            if inline_successes > 1 {
                format!("{id} response {}", status_text(status))
            } else {
                format!("{id} response")
            }
        } else {
            format!("{id} {variant} body")
        };
        let order = [MediaKind::Json, MediaKind::Text, MediaKind::Binary];
        let picked = pick(&resp.content, &order);
        let media_type = picked.map(|(media_type, ..)| media_type.clone());
        let body = match picked {
            None => ResponseBody::Empty,
            Some((media_type, mt, kind)) => match kind {
                MediaKind::Json => {
                    let p = at.push("content").push(media_type).push("schema");
                    let ty = mt.schema.as_ref().map_or(TypeRef::Any, |s| {
                        lowerer
                            .usage(SchemaRef::from(s), &p, &hint, View::Output)
                            .nested()
                    });
                    ResponseBody::Json(ty)
                }
                MediaKind::Text => ResponseBody::Text,
                _ => ResponseBody::Binary,
            },
        };
        out.push(Response {
            status,
            description: resp.description.clone(),
            body,
            media_type,
            variant,
        });
    }
    // Variant names must be distinct within the operation.
    let raws: Vec<String> = out.iter().map(|r| r.variant.clone()).collect();
    let raws: Vec<&str> = raws.iter().map(String::as_str).collect();
    let names = crate::naming::unique(&raws, crate::naming::Case::Type, &[], "");
    for (r, n) in out.iter_mut().zip(names) {
        r.variant = n;
    }
    out
}

fn status_text(status: Status) -> String {
    match status {
        Status::Code(c) => c.to_string(),
        Status::Range(r) => format!("{r}XX"),
        Status::Default => "default".into(),
    }
}

/// `409` -> `Conflict`, `4XX` -> `ClientError`, `default` -> `Default`.
fn status_variant(status: Status) -> String {
    match status {
        Status::Code(c) => http::StatusCode::from_u16(c)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map_or_else(
                || format!("Status{c}"),
                |r| crate::naming::ident(r, crate::naming::Case::Type),
            ),
        Status::Range(1) => "Informational".into(),
        Status::Range(2) => "Success".into(),
        Status::Range(3) => "Redirection".into(),
        Status::Range(4) => "ClientError".into(),
        Status::Range(5) => "ServerError".into(),
        Status::Range(r) => format!("Status{r}xx"),
        Status::Default => "Default".into(),
    }
}

/// Names of the total-count field, by preference.
const COUNT_FIELDS: [&str; 3] = ["count", "total_count", "total"];

/// The auto-paging rule (documented in the README): a GET with integer query
/// parameters `limit` and `offset` whose success body is an object with
/// exactly one array field (the items) and an integer total-count field
/// (`count`, `total_count` or `total`).
pub fn pagination(op: &Operation, drafts: &[Draft]) -> Option<Pagination> {
    if op.method != HttpMethod::Get {
        return None;
    }
    let integer_query = |name: &str| {
        op.params.iter().find(|p| {
            p.location == ParamLocation::Query
                && p.wire == name
                && matches!(p.ty, TypeRef::Primitive(prim) if prim.is_integer())
        })
    };
    let offset = integer_query("offset")?;
    integer_query("limit")?;
    let mut bodies = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(|r| &r.body);
    let Some(ResponseBody::Json(TypeRef::Named(id))) = bodies.next() else {
        return None;
    };
    if bodies.next().is_some() {
        return None;
    }
    let TypeKind::Struct(s) = &drafts[id.0].kind else {
        return None;
    };
    let mut arrays = s
        .fields
        .iter()
        .filter(|f| matches!(f.ty, TypeRef::Array(_)));
    let items = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let TypeRef::Array(item) = &items.ty else {
        return None;
    };
    let count = COUNT_FIELDS.iter().find_map(|name| {
        s.fields.iter().find(|f| {
            f.wire == *name
                && !f.deprecated
                && matches!(f.ty, TypeRef::Primitive(p) if p.is_integer())
        })
    })?;
    let TypeRef::Primitive(offset_ty) = offset.ty else {
        return None;
    };
    Some(Pagination {
        items_field: items.name.clone(),
        item: item.as_ref().clone(),
        count_field: Some(count.name.clone()),
        count_required: count.required && !count.nullable,
        offset_param: offset.name.clone(),
        offset_ty,
        offset_required: offset.required,
    })
}
