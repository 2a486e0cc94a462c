//! Stage 3: resolve `$ref`s and lower the document into the IR ([`crate::ir`]).
//!
//! Operations are lowered first, so each schema is made in the view it travels
//! in (requests: `Input`, responses: `Output`); component schemas no operation
//! uses are then made as received (`Output`). Type names are chosen last, when
//! every type is known, so collisions are settled in one place; fields,
//! variants, parameters and operations are made once the names of their
//! scope are chosen, so no IR item holds a placeholder name.

mod flat;
mod format;
mod operations;
pub(crate) mod resolve;
mod schema;
mod shapes;
mod views;

use crate::diagnostics::Collector;
use crate::ir::{Api, Auth, AuthLocation, Operation, TypeId, TypeKind, TypeRef, View};
use crate::naming::{self, Case};
use crate::pointer::Pointer;
use crate::surface::names::{self as reserved, Module};
use flat::SchemaRef;
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};
use resolve::Resolver;
use schema::{Draft, Lowerer};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

pub use operations::path_template_names;

pub fn build(doc: &Value, api: &OpenAPI, diags: &mut Collector) -> Option<Api> {
    let other = resolve::collect_other_schemas(doc);
    let resolver = Resolver::new(api, doc, &other);
    let schemas = Pointer::root().push("components").push("schemas");
    let components: Vec<(Pointer, SchemaRef<'_>)> = api
        .components
        .iter()
        .flat_map(|c| c.schemas.iter())
        .map(|(name, s)| (schemas.push(name), s.into()))
        .collect();
    let mut roots = components.clone();
    roots.extend(other.iter().map(|(p, s)| (p.clone(), SchemaRef::Inline(s))));
    let sensitive = views::analyse(&resolver, &roots);
    let component_order = components
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.clone(), i))
        .collect();
    let auth = auth(api, diags);

    let mut lowerer = Lowerer::new(&resolver, sensitive, component_order, diags);
    let mut ops =
        operations::lower_operations(&mut lowerer, api, auth.as_ref().map(|a| a.scheme.as_str()));
    for (pointer, schema) in &components {
        if !lowerer.lowered.contains(pointer) {
            lowerer.component(*schema, pointer, View::Output);
        }
    }
    let drafts = std::mem::take(&mut lowerer.drafts);
    let parameter_names = std::mem::take(&mut lowerer.parameter_names);
    drop(lowerer);

    check_alias_cycles(&drafts, diags);
    let (mut drafts, merged_copies) = shapes::merge_copies(drafts, &mut ops, &parameter_names);
    let names = type_names(&drafts);
    for op in &mut ops {
        op.pagination = operations::pagination(op, &drafts);
    }
    if diags.has_errors() {
        return None;
    }

    // Types in name order; every reference is renumbered to match.
    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by(|a, b| names[*a].cmp(&names[*b]));
    let mut new_id = vec![0; drafts.len()];
    for (new, old) in order.iter().enumerate() {
        new_id[*old] = new;
    }
    let remap = |t: &mut TypeRef| {
        if let TypeRef::Named(id) = t.innermost_mut() {
            *id = TypeId(new_id[id.0]);
        }
    };
    let type_refs = drafts.iter_mut().flat_map(|d| d.kind.refs_mut());
    type_refs
        .chain(ops.iter_mut().flat_map(Operation::refs_mut))
        .for_each(remap);
    let mut slots: Vec<Option<(String, Draft)>> = names.into_iter().zip(drafts).map(Some).collect();
    let types = order
        .iter()
        .map(|old| {
            let (name, d) = slots[*old].take().expect("each draft is taken once");
            crate::ir::TypeDef {
                name,
                origin: d.origin,
                view: d.view,
                docs: d.docs,
                deprecated: d.deprecated,
                kind: d.kind,
                constraints: d.constraints,
            }
        })
        .collect();

    let mut api = Api {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api
            .info
            .description
            .clone()
            .filter(|d| !d.trim().is_empty()),
        base_url: api.servers.first().map(server_url),
        auth,
        types,
        operations: ops,
        merged_copies,
    };
    warn_indistinguishable(&mut api, diags);
    Some(api)
}

/// Untagged alternatives that name the same properties cannot be told apart
/// by a payload: the first that decodes is chosen. Say so where the union is
/// defined, and in its docs.
fn warn_indistinguishable(api: &mut Api, diags: &mut Collector) {
    let mut found = Vec::new();
    for (index, t) in api.types.iter().enumerate() {
        let TypeKind::Union(u) = &t.kind else {
            continue;
        };
        if u.tag.is_some() {
            continue;
        }
        let types: Vec<TypeRef> = u.variants.iter().map(|v| v.ty.clone()).collect();
        for group in crate::surface::untagged::indistinguishable(api, &types) {
            let names: Vec<String> = group
                .iter()
                .map(|i| format!("`{}`", u.variants[*i].name))
                .collect();
            found.push((index, names));
        }
    }
    for (index, names) in found {
        let t = &mut api.types[index];
        let (first, list) = (&names[0], names.join(", "));
        diags.warning(
            &t.origin,
            format!("alternatives {list} have the same shape, so no payload tells them apart; {first} is chosen whenever they decode"),
        );
        t.docs.notes.push(format!(
            "{list} have the same shape: a payload that fits them is {first}."
        ));
    }
}

/// A server URL with its variables replaced by their defaults.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url.trim_end_matches('/').to_string()
}

/// The security scheme requests use: the first one the document requires
/// (globally, then per operation), else the first one it defines.
fn auth(api: &OpenAPI, diags: &mut Collector) -> Option<Auth> {
    let schemes = &api.components.as_ref()?.security_schemes;
    let required = api
        .security
        .iter()
        .flatten()
        .chain(
            api.operations()
                .flat_map(|(_, _, op)| op.security.iter().flatten()),
        )
        .flat_map(|req| req.keys());
    for name in required.chain(schemes.keys()) {
        let Some(ReferenceOr::Item(scheme)) = schemes.get(name) else {
            continue;
        };
        let pointer = Pointer::root()
            .push("components")
            .push("securitySchemes")
            .push(name);
        let description = match scheme {
            SecurityScheme::APIKey { description, .. }
            | SecurityScheme::HTTP { description, .. }
            | SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                description.clone().filter(|d| !d.trim().is_empty())
            }
        };
        let auth = match scheme {
            SecurityScheme::APIKey {
                location,
                name: key_name,
                ..
            } => {
                let location = match location {
                    APIKeyLocation::Header => AuthLocation::Header,
                    APIKeyLocation::Query => AuthLocation::Query,
                    APIKeyLocation::Cookie => {
                        diags.warning(
                            pointer,
                            "API keys in cookies are not supported; requests carry no credentials",
                        );
                        continue;
                    }
                };
                // `Authorization` needs a credential type; the scheme's name is it
                // (`APIKey` in Gcore's documents).
                let prefix = key_name
                    .eq_ignore_ascii_case("authorization")
                    .then(|| name.clone());
                Auth {
                    scheme: name.clone(),
                    location,
                    name: key_name.clone(),
                    prefix,
                    description,
                }
            }
            SecurityScheme::HTTP {
                scheme: http_scheme,
                ..
            } => {
                let prefix = if http_scheme.eq_ignore_ascii_case("basic") {
                    "Basic"
                } else {
                    "Bearer"
                };
                Auth {
                    scheme: name.clone(),
                    location: AuthLocation::Header,
                    name: "Authorization".into(),
                    prefix: Some(prefix.into()),
                    description,
                }
            }
            SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => Auth {
                scheme: name.clone(),
                location: AuthLocation::Header,
                name: "Authorization".into(),
                prefix: Some("Bearer".into()),
                description,
            },
        };
        return Some(auth);
    }
    None
}

/// An alias chain that comes back to where it started names no schema at all.
/// Each member of such a cycle is reported, in type order. Linear: every
/// alias is followed once, so a long chain of aliases costs no more than its
/// length.
fn check_alias_cycles(drafts: &[Draft], diags: &mut Collector) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; drafts.len()];
    let mut in_cycle = vec![false; drafts.len()];
    for start in 0..drafts.len() {
        let mut path = Vec::new();
        let mut current = start;
        // Where the chain came back onto itself, if it did.
        let back_to = loop {
            match state[current] {
                State::OnPath => break Some(current),
                State::Done => break None,
                State::New => {}
            }
            state[current] = State::OnPath;
            path.push(current);
            match &drafts[current].kind {
                TypeKind::Alias(TypeRef::Named(next)) => current = next.0,
                _ => break None,
            }
        };
        if let Some(from) = back_to.and_then(|b| path.iter().position(|&i| i == b)) {
            for &member in &path[from..] {
                in_cycle[member] = true;
            }
        }
        for member in path {
            state[member] = State::Done;
        }
    }
    for (d, _) in drafts.iter().zip(&in_cycle).filter(|(_, c)| **c) {
        diags.error(
            &d.origin,
            "`$ref` cycle that never reaches a concrete schema",
        );
    }
}

/// Final type names. A schema with a type per view names the sent one
/// `{Name}Input`. An inline schema that is a property's value is named after
/// the property (`BillingValueUnit`) unless another type wants that name
/// too, or it is reserved; then after where it is (`ResourceBillingValueUnit`).
fn type_names(drafts: &[Draft]) -> Vec<String> {
    let mut views: HashMap<&str, HashSet<View>> = HashMap::new();
    for d in drafts {
        views.entry(d.origin.as_str()).or_default().insert(d.view);
    }
    let with_view = |d: &Draft, words: &str| {
        let both = views[d.origin.as_str()].contains(&View::Output);
        if d.view == View::Input && both {
            format!("{words} input")
        } else {
            words.to_string()
        }
    };
    let reserved = reserved::reserved(Module::Types);
    let short: Vec<Option<String>> = drafts
        .iter()
        .map(|d| d.property_hint.as_deref().map(|h| with_view(d, h)))
        .collect();
    let mut wanted: HashMap<String, usize> = HashMap::new();
    for (d, short) in drafts.iter().zip(&short) {
        let words = short.clone().unwrap_or_else(|| with_view(d, &d.hint));
        *wanted.entry(naming::ident(&words, Case::Type)).or_default() += 1;
    }
    let uncontested = |words: &String| {
        let name = naming::ident(words, Case::Type);
        wanted[&name] == 1 && !reserved.contains(&name.as_str())
    };

    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by_key(|i| drafts[*i].rank);
    let raws: Vec<String> = order
        .iter()
        .map(|i| match &short[*i] {
            Some(words) if uncontested(words) => words.clone(),
            _ => with_view(&drafts[*i], &drafts[*i].hint),
        })
        .collect();
    let raws: Vec<&str> = raws.iter().map(String::as_str).collect();
    let unique = naming::unique(&raws, Case::Type, reserved, "Model");
    let mut named: Vec<(usize, String)> = order.into_iter().zip(unique).collect();
    named.sort_by_key(|(i, _)| *i);
    named.into_iter().map(|(_, name)| name).collect()
}
