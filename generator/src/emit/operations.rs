//! `src/operations.rs`: per operation, a struct of its parameters, its
//! `Operation` impl (request building, response decoding), its error enum,
//! the `Client` method that starts it and setters for optional parameters.

use super::NON_EXHAUSTIVE;
use super::format::{self, Piece, skip_rustfmt};
use super::types::{Scope, allow_deprecated, ident, rust_type, taken_into, use_line};
use crate::ir::{
    Api, Body, BodyKind, Operation, Param, ParamLocation, ParamStyle, Primitive, Response,
    ResponseBody, Status, TypeKind, TypeRef,
};
use crate::naming::unraw;
use crate::surface::docs;
use crate::surface::features::Features;
use crate::surface::is_download;
use crate::surface::names;
use crate::surface::rust::RustType;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `src/operations.rs`, and with features per tag a file per tag in
/// `src/operations/`, declared (each behind its feature) and re-exported by
/// `operations.rs`: each a head, then one piece per operation.
pub(super) fn modules<'a>(api: &'a Api, features: &'a Features) -> Vec<format::Module<'a>> {
    let mut root: Vec<&'a Operation> = Vec::new();
    let mut grouped: Vec<Vec<&'a Operation>> = vec![Vec::new(); features.groups.len()];
    for (i, op) in api.operations.iter().enumerate() {
        match features.group_index(i) {
            Some(g) => grouped[g].push(op),
            None => root.push(op),
        }
    }
    let mut modules = vec![module(
        api,
        "src/operations.rs".into(),
        root,
        Box::new(move |imports| {
            let doc = if features.enabled() {
                quote!(#![doc = " One struct per operation, with the `Client` method that sends it: in a module per tag, compiled with the tag's cargo feature (all are on by default) and re-exported here."])
            } else {
                quote!(#![doc = " One struct per operation, with the `Client` method that sends it."])
            };
            // Re-exported whole: operation names are unique in the crate
            // (`model::operations`), so no two modules export one name.
            let declared = features.groups.iter().map(|g| {
                let cfg = format::cfg(std::slice::from_ref(&g.feature));
                let m = ident(&g.module);
                quote! {
                    #cfg
                    pub mod #m;
                    #cfg
                    pub use #m::*;
                }
            });
            quote! { #doc #imports #(#declared)* }
        }),
    )];
    for (group, ops) in features.groups.iter().zip(grouped) {
        let text = format!(
            " Operations tagged `{}`, compiled with the `{}` feature.",
            group.tag, group.feature
        );
        modules.push(module(
            api,
            group.file(),
            ops,
            Box::new(move |imports| quote!(#![doc = #text] #imports)),
        ));
    }
    modules
}

/// A module of operations: `head` given its `use` lines, then one piece
/// per operation.
fn module<'a>(
    api: &'a Api,
    path: String,
    ops: Vec<&'a Operation>,
    head: Box<dyn Fn(TokenStream) -> TokenStream + Send + Sync + 'a>,
) -> format::Module<'a> {
    let imports_of = ops.clone();
    let mut pieces: Vec<Piece<'a>> = vec![Box::new(move || {
        let lines = names::operation_imports(&imports_of);
        let imports = lines.iter().map(use_line);
        skip_rustfmt(head(quote!(#(#imports)*)))
    })];
    pieces.extend(
        ops.into_iter()
            .map(|op| -> Piece<'a> { Box::new(move || operation(api, op)) }),
    );
    format::Module {
        path,
        pieces,
        gates: Vec::new(),
    }
}

/// Whether anything the operation mentions is deprecated.
fn mentions_deprecated(api: &Api, op: &Operation) -> bool {
    op.deprecated
        || op.params.iter().any(|p| p.deprecated)
        || op
            .refs()
            .iter()
            .filter_map(|t| t.named())
            .any(|i| api.ty(i).deprecated)
}

fn param_type(api: &Api, p: &Param) -> TokenStream {
    let ty = rust_type(api, &p.ty, Scope::Outside);
    if p.required { ty } else { quote!(Option<#ty>) }
}

fn body_type(api: &Api, body: &Body) -> TokenStream {
    let ty = match &body.kind {
        BodyKind::Json(t) | BodyKind::Form(t) | BodyKind::Multipart(t) => {
            rust_type(api, t, Scope::Outside)
        }
        BodyKind::Binary => quote!(BinaryBody),
        BodyKind::Text => quote!(String),
    };
    if body.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn response_type(api: &Api, body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(t) => rust_type(api, t, Scope::Outside),
        ResponseBody::Text => quote!(String),
        ResponseBody::Binary => quote!(bytes::Bytes),
    }
}

/// The payload of a success or error variant: structs and unions are boxed,
/// so one large body does not make every value of the enum large.
fn variant_payload(api: &Api, body: &ResponseBody) -> TokenStream {
    let large = |t: &TypeRef| crate::surface::graph::is_large(api, t);
    match body {
        // A nullable body: `null` or the boxed value.
        ResponseBody::Json(TypeRef::Nullable(inner)) if large(inner) => {
            let ty = rust_type(api, inner, Scope::Outside);
            quote!(Option<Box<#ty>>)
        }
        ResponseBody::Json(t) if large(t) => {
            let ty = rust_type(api, t, Scope::Outside);
            quote!(Box<#ty>)
        }
        _ => response_type(api, body),
    }
}

/// An expression reading a response body (inside `decode`).
fn read_body(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(_) => quote!(response.json()?),
        ResponseBody::Text => quote!(response.text()?),
        ResponseBody::Binary => quote!(response.bytes()?),
    }
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        Status::Range(r) => {
            let lo = Literal::u16_unsuffixed(r * 100);
            let hi = Literal::u16_unsuffixed(r * 100 + 99);
            quote!(#lo..=#hi)
        }
        Status::Default => quote!(_),
    }
}

fn status_label(r: &Response) -> String {
    let status = match r.status {
        Status::Code(c) => c.to_string(),
        Status::Range(d) => format!("{d}XX"),
        Status::Default => "Any other status".to_string(),
    };
    let description = r.description.trim();
    if description.is_empty() {
        status
    } else {
        format!("{status}: {description}")
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.type_name);
    let error_name = ident(&op.error_name);
    let allow = allow_deprecated(mentions_deprecated(api, op));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let doc = docs::attrs(&op.docs);

    // The parameter struct.
    let fields = op.params.iter().map(|p| {
        let fname = ident(&p.name);
        let ty = param_type(api, p);
        let doc = docs::attrs(&p.docs);
        let dep = p.deprecated.then(|| quote!(#[deprecated]));
        quote! { #doc #dep pub #fname: #ty, }
    });
    let body_field = op.body.as_ref().map(|b| {
        let ty = body_type(api, b);
        let doc = docs::attrs(&b.docs);
        quote! { #doc pub body: #ty, }
    });

    // Responses: the output type and the error enum.
    let successes: Vec<&Response> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .collect();
    let errors: Vec<&Response> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .collect();
    let distinct = crate::surface::success_bodies(op);
    let output_enum = crate::surface::has_output_enum(op);
    let output_name = ident(&op.output_name);
    let output_type = match distinct.as_slice() {
        [] => quote!(()),
        [one] => response_type(api, one),
        _ => quote!(#output_name),
    };
    let output_def = output_enum.then(|| {
        let variants = successes.iter().map(|r| {
            let v = ident(&r.variant);
            let label = format!(" {}", status_label(r));
            let doc = quote!(#[doc = #label]);
            match &r.body {
                ResponseBody::Empty => quote!(#doc #v,),
                body => {
                    let ty = variant_payload(api, body);
                    quote!(#doc #v(#ty),)
                }
            }
        });
        let text = format!(" The success responses of [`{}`].", op.type_name);
        quote! {
            #[doc = #text]
            #allow
            #[derive(Debug, Clone, PartialEq)]
            #NON_EXHAUSTIVE
        pub enum #output_name { #(#variants)* }
        }
    });
    let error_variants = errors.iter().map(|r| {
        let v = ident(&r.variant);
        let label = format!(" {}", status_label(r));
        match &r.body {
            ResponseBody::Empty => quote!(#[doc = #label] #v,),
            body => {
                let ty = variant_payload(api, body);
                quote!(#[doc = #label] #v(#ty),)
            }
        }
    });
    let error_doc = format!(" The documented error responses of [`{}`].", op.type_name);

    // decode: exact codes, then ranges, then `default`.
    let mut ordered: Vec<&Response> = op.responses.iter().collect();
    ordered.sort_by_key(|r| match r.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    let mut arms: Vec<TokenStream> = ordered
        .iter()
        .map(|r| {
            let pattern = status_pattern(r.status);
            let read = read_body(&r.body);
            let v = ident(&r.variant);
            let value = match &r.body {
                ResponseBody::Empty => quote!(#v),
                _ => quote!(#v(#read)),
            };
            if r.status.is_success() {
                if output_enum {
                    quote!(#pattern => Ok(#output_name::#value),)
                } else {
                    match &r.body {
                        ResponseBody::Empty => quote!(#pattern => Ok(()),),
                        _ => quote!(#pattern => Ok(#read),),
                    }
                }
            } else {
                quote!(#pattern => Err(response.error(#error_name::#value)),)
            }
        })
        .collect();
    if successes.is_empty() {
        arms.insert(0, quote!(200..=299 => Ok(()),));
    }
    if !op.responses.iter().any(|r| r.status == Status::Default) {
        arms.push(quote!(_ => Err(response.unexpected()),));
    }

    let build = build_fn(api, op);
    let id = &op.id;
    let method = format_ident!("{}", op.method.as_str());
    let path = &op.path;
    let auth = op.auth;
    let accept = crate::surface::accept(op);
    let success_status = crate::surface::success_status(op);

    let client_method = client_method(api, op);
    let setters = setters(api, op);
    let paginated = pagination_impl(api, op);
    let download = is_download(op).then(|| {
        quote! {
            #allow
            impl Download for #name {}
        }
    });

    quote! {
        #doc
        #deprecated
        #allow
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
            #body_field
        }

        #allow
        impl Operation for #name {
            type Output = #output_type;
            type Error = #error_name;
            const ID: &'static str = #id;
            const METHOD: Method = Method::#method;
            const PATH: &'static str = #path;
            const AUTH: bool = #auth;
            const SUCCESS_STATUS: u16 = #success_status;
            const ACCEPT: &'static str = #accept;

            #build

            fn decode(response: &RawResponse) -> Result<Self::Output, Error<Self::Error>> {
                match response.status().as_u16() {
                    #(#arms)*
                }
            }
        }

        #output_def

        #[doc = #error_doc]
        #allow
        #[derive(Debug, Clone, PartialEq)]
        #NON_EXHAUSTIVE
        pub enum #error_name {
            #(#error_variants)*
        }

        #client_method
        #setters
        #paginated
        #download
    }
}

fn build_fn(api: &Api, op: &Operation) -> TokenStream {
    // The path, with each `{name}` filled by its encoded parameter (bound to
    // a local first, so the format string names it).
    let mut format = String::new();
    let mut locals = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        format.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let wire = &rest[start + 1..start + len];
        if let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire == wire)
        {
            let f = ident(&p.name);
            let local = format!("{}_segment", unraw(&p.name).trim_end_matches('_'));
            let local_ident = format_ident!("{}", local);
            format.push_str(&format!("{{{local}}}"));
            locals.push(quote!(let #local_ident = path_segment(&self.#f)?;));
        } else {
            format.push_str(
                &rest[start..=start + len]
                    .replace('{', "{{")
                    .replace('}', "}}"),
            );
        }
        rest = &rest[start + len + 1..];
    }
    format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let path = if locals.is_empty() {
        let literal = op.path.as_str();
        quote!(parts.set_path(#literal.to_string());)
    } else {
        quote! {
            #(#locals)*
            parts.set_path(format!(#format));
        }
    };
    let params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let f = ident(&p.name);
            let wire = &p.wire;
            match p.location {
                ParamLocation::Query => {
                    let style = match p.style {
                        ParamStyle::Form { explode: false } => quote!(QueryStyle::FormNoExplode),
                        ParamStyle::DeepObject => quote!(QueryStyle::DeepObject),
                        ParamStyle::Form { explode: true } | ParamStyle::Simple => {
                            quote!(QueryStyle::Form)
                        }
                    };
                    quote!(parts.query(#wire, &self.#f, #style)?;)
                }
                ParamLocation::Header => quote!(parts.header(#wire, &self.#f)?;),
                ParamLocation::Cookie => quote!(parts.cookie(#wire, &self.#f)?;),
                ParamLocation::Path => quote!(),
            }
        });
    let body = op.body.as_ref().map(|b| {
        let content_type = b.content_type.as_str();
        let set = |value: TokenStream| match &b.kind {
            BodyKind::Json(_) => quote!(parts.json(#value)?;),
            BodyKind::Binary => quote!(parts.binary(#value, #content_type);),
            BodyKind::Text => quote!(parts.bytes(String::clone(#value), #content_type);),
            BodyKind::Form(_) => quote! {
                let form = serde_urlencoded::to_string(#value)
                    .map_err(|e| BuildError::with_source("the body could not be form-encoded", e))?;
                parts.bytes(form, #content_type);
            },
            BodyKind::Multipart(t) => multipart(api, t, value),
        };
        if b.required {
            set(quote!(&self.body))
        } else {
            let inner = set(quote!(body));
            quote!(if let Some(body) = &self.body { #inner })
        }
    });
    quote! {
        fn build(&self, parts: &mut RequestParts) -> Result<(), BuildError> {
            #path
            #(#params)*
            #body
            Ok(())
        }
    }
}

/// A multipart body: one part per field; bytes as file parts, the rest as
/// text (lists and objects as JSON). Built afresh for each attempt.
fn multipart(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    let TypeRef::Named(id) = ty else {
        return quote!();
    };
    let TypeKind::Struct(s) = &api.ty(*id).kind else {
        return quote!();
    };
    let parts = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let binary = matches!(f.ty, TypeRef::Primitive(Primitive::Binary));
        let add = if binary {
            quote!(form = form.part(#wire, reqwest::multipart::Part::bytes(value.clone()).file_name(#wire));)
        } else {
            quote! {
                if let Some(text) = crate::request::form_text(value)? {
                    form = form.text(#wire, text);
                }
            }
        };
        if f.required && !f.nullable {
            quote! { { let value = &body.#fname; #add } }
        } else if f.nullable && !f.required {
            quote! { if let Some(value) = body.#fname.as_ref() { #add } }
        } else {
            quote! { if let Some(value) = &body.#fname { #add } }
        }
    });
    quote! {
        let body = Clone::clone(#value);
        parts.custom_body(move |request| {
            let mut form = reqwest::multipart::Form::new();
            #(#parts)*
            Ok(request.multipart(form))
        });
    }
}

/// Strings, date-times and dates are taken as `impl Into<T>`; everything
/// else as is.
fn arg(api: &Api, ty: &TypeRef) -> (TokenStream, bool) {
    let rust = rust_type(api, ty, Scope::Outside);
    if taken_into(ty) {
        (quote!(impl Into<#rust>), true)
    } else {
        (rust, false)
    }
}

fn client_method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.type_name);
    let method = ident(&op.method_name);
    let allow = allow_deprecated(mentions_deprecated(api, op));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let mut doc_lines = docs::lines(&op.docs);
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    if !optional.is_empty() || op.body.as_ref().is_some_and(|b| !b.required) {
        doc_lines.push(String::new());
        let mut names: Vec<String> = optional
            .iter()
            .map(|p| format!("[`{}`](Request::{})", unraw(&p.name), unraw(&p.name)))
            .collect();
        if op.body.as_ref().is_some_and(|b| !b.required) {
            names.push("`body`".into());
        }
        doc_lines.push(format!(
            "Optional parameters are set on the returned request: {}.",
            names.join(", ")
        ));
    }
    if op.pagination.is_some() {
        doc_lines.push(String::new());
        doc_lines.push("`.into_stream()` on the returned request pages through all items.".into());
    }
    if is_download(op) {
        doc_lines.push(String::new());
        doc_lines
            .push("`.send_streaming()` on the returned request reads the body as a stream.".into());
    }
    let doc = docs::lines_to_attrs(&doc_lines);

    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &op.params {
        let f = ident(&p.name);
        if p.required {
            let (ty, into) = arg(api, &p.ty);
            args.push(quote!(#f: #ty));
            inits.push(if into {
                quote!(#f: #f.into())
            } else {
                quote!(#f)
            });
        } else {
            inits.push(quote!(#f: None));
        }
    }
    if let Some(b) = &op.body {
        if b.required {
            let ty = body_type(api, b);
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: None));
        }
    }
    // clippy counts `self` too.
    let too_many = (args.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #allow
        impl Client {
            #doc
            #deprecated
            #too_many
            pub fn #method(&self, #(#args),*) -> Request<#name> {
                self.request(#name { #(#inits),* })
            }
        }
    }
}

fn setters(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = ident(&op.type_name);
    let mut methods: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| {
            let f = ident(&p.name);
            let doc = docs::attrs(&p.docs);
            let dep = p.deprecated.then(|| quote!(#[deprecated]));
            let (ty, into) = arg(api, &p.ty);
            let value = if into { quote!(#f.into()) } else { quote!(#f) };
            quote! {
                #doc
                #dep
                pub fn #f(mut self, #f: #ty) -> Self {
                    self.operation_mut().#f = Some(#value);
                    self
                }
            }
        })
        .collect();
    if let Some(b) = op.body.as_ref().filter(|b| !b.required) {
        let ty = match &b.kind {
            BodyKind::Json(t) | BodyKind::Form(t) | BodyKind::Multipart(t) => {
                rust_type(api, t, Scope::Outside)
            }
            BodyKind::Binary => quote!(BinaryBody),
            BodyKind::Text => quote!(String),
        };
        let doc = docs::attrs(&b.docs);
        methods.push(quote! {
            #doc
            pub fn body(mut self, body: #ty) -> Self {
                self.operation_mut().body = Some(body);
                self
            }
        });
    }
    if methods.is_empty() {
        return None;
    }
    let allow = allow_deprecated(mentions_deprecated(api, op));
    Some(quote! {
        #allow
        impl Request<#name> {
            #(#methods)*
        }
    })
}

fn pagination_impl(api: &Api, op: &Operation) -> Option<TokenStream> {
    let p = op.pagination.as_ref()?;
    let name = ident(&op.type_name);
    let item = rust_type(api, &p.item, Scope::Outside);
    let offset = ident(&p.offset_param);
    let offset_ty = RustType::Primitive(p.offset_ty).tokens(Scope::Outside);
    let to_u64 = |v: TokenStream| {
        if p.offset_ty == Primitive::U64 {
            v
        } else {
            quote!(u64::try_from(#v).unwrap_or(0))
        }
    };
    let (read_offset, write_offset) = {
        let from_u64 = if p.offset_ty == Primitive::U64 {
            quote!(offset)
        } else {
            quote!(#offset_ty::try_from(offset).unwrap_or(#offset_ty::MAX))
        };
        if p.offset_required {
            (
                to_u64(quote!(self.#offset)),
                quote!(self.#offset = #from_u64;),
            )
        } else {
            let conv = to_u64(quote!(v));
            (
                quote!(self.#offset.map_or(0, |v| #conv)),
                quote!(self.#offset = Some(#from_u64);),
            )
        }
    };
    let items_field = ident(&p.items_field);
    let (items_required, count) = response_fields(api, op, p);
    let items = if items_required {
        quote!(output.#items_field)
    } else {
        quote!(output.#items_field.unwrap_or_default())
    };
    let total = match (&p.count_field, count) {
        (Some(field), Some((required, ty))) => {
            let f = ident(field);
            let conv = |v: TokenStream| {
                if ty == Primitive::U64 {
                    quote!(Some(#v))
                } else {
                    quote!(u64::try_from(#v).ok())
                }
            };
            if required {
                conv(quote!(output.#f))
            } else if ty == Primitive::U64 {
                quote!(output.#f)
            } else {
                let c = conv(quote!(c));
                quote!(output.#f.and_then(|c| #c))
            }
        }
        _ => quote!(None),
    };
    let allow = allow_deprecated(mentions_deprecated(api, op));
    Some(quote! {
        #allow
        impl Paginated for #name {
            type Item = #item;

            fn offset(&self) -> u64 {
                #read_offset
            }

            fn set_offset(&mut self, offset: u64) {
                #write_offset
            }

            fn page(output: Self::Output, offset: u64) -> Page<Self::Item> {
                Page { items: #items, total: #total, offset }
            }
        }
    })
}

/// Whether the items field is required, and the count field's requiredness
/// and integer type.
fn response_fields(
    api: &Api,
    op: &Operation,
    p: &crate::ir::Pagination,
) -> (bool, Option<(bool, Primitive)>) {
    let body = op
        .responses
        .iter()
        .find(|r| r.status.is_success())
        .map(|r| &r.body);
    let Some(ResponseBody::Json(TypeRef::Named(id))) = body else {
        return (false, None);
    };
    let TypeKind::Struct(s) = &api.ty(*id).kind else {
        return (false, None);
    };
    let items = s
        .fields
        .iter()
        .find(|f| f.name == p.items_field)
        .is_some_and(|f| f.required && !f.nullable);
    let count = p
        .count_field
        .as_ref()
        .and_then(|c| s.fields.iter().find(|f| &f.name == c))
        .and_then(|f| match f.ty {
            TypeRef::Primitive(prim) => Some((f.required && !f.nullable, prim)),
            _ => None,
        });
    (items, count)
}
