//! Changes to `Client` methods: parameters, body, result, responses, paging.

use super::{
    BodySurface, Changes, Item, Kind, OperationSurface, ParamSurface, ResponseSurface, Scope,
    Surface, pair, pair_by,
};
use std::collections::BTreeMap;

pub(super) fn operations(old: &Surface, new: &Surface, out: &mut Changes) {
    let (removed, both, added) = pair(&old.operations, &new.operations);
    // A method whose operation is still there under another name (same
    // operationId, or same endpoint) was renamed.
    let mut renamed_to: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &removed {
        let o = &old.operations[*r];
        let found = added
            .iter()
            .find(|a| new.operations[**a].id == o.id)
            .or_else(|| {
                added
                    .iter()
                    .find(|a| new.operations[**a].endpoint == o.endpoint)
            });
        if let Some(a) = found {
            if !renamed_to.values().any(|v| v == a) {
                renamed_to.insert(r, a);
            }
        }
    }
    for r in &removed {
        let o = &old.operations[*r];
        match renamed_to.get(r) {
            Some(a) => out.push(
                Kind::OperationRenamed,
                Scope::Operation,
                r,
                None,
                format!("renamed to `Client::{a}` ({})", o.endpoint),
            ),
            None => out.push(
                Kind::OperationRemoved,
                Scope::Operation,
                r,
                None,
                format!("removed ({})", o.endpoint),
            ),
        }
    }
    for name in both {
        operation(name, &old.operations[name], &new.operations[name], out);
    }
    for a in added {
        if renamed_to.values().any(|v| *v == a) {
            continue;
        }
        let n = &new.operations[a];
        let args: Vec<String> = n
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| format!("{}: {}", p.name, p.ty))
            .chain(
                n.body
                    .iter()
                    .map(|b| format!("body: {}", body_type(b.required, &b.ty))),
            )
            .collect();
        let feature = n
            .feature
            .as_ref()
            .map(|f| format!(" (feature `{f}`)"))
            .unwrap_or_default();
        out.push(
            Kind::OperationAdded,
            Scope::Operation,
            a,
            None,
            if args.is_empty() {
                format!("added (`{}`), gives `{}`{feature}", n.endpoint, n.output)
            } else {
                format!(
                    "added (`{}`), takes `{}`, gives `{}`{feature}",
                    n.endpoint,
                    args.join(", "),
                    n.output
                )
            },
        );
    }
}

fn body_type(required: bool, ty: &str) -> String {
    if required {
        ty.to_string()
    } else {
        format!("Option<{ty}>")
    }
}

fn operation(name: &str, o: &OperationSurface, n: &OperationSurface, out: &mut Changes) {
    let mut item = out.item(Scope::Operation, name);
    if o.endpoint != n.endpoint {
        item.push(
            Kind::Endpoint,
            None,
            format!("now sends `{}` (was `{}`)", n.endpoint, o.endpoint),
        );
    }
    item.deprecation(o.deprecated, n.deprecated, None);
    if o.docs != n.docs {
        item.push(Kind::Docs, None, "documentation changed".into());
    }
    if o.feature != n.feature {
        let name = |f: &Option<String>| match f {
            Some(f) => format!("feature `{f}`"),
            None => "always compiled".into(),
        };
        // A build with the old feature alone no longer has it, unless it
        // is now always compiled.
        item.case(
            Kind::Feature,
            n.feature.is_some(),
            None,
            format!("now {} (was {})", name(&n.feature), name(&o.feature)),
        );
    }

    parameters(&o.params, &n.params, &mut item);
    body(o.body.as_ref(), n.body.as_ref(), &mut item);
    result(o, n, &mut item);
}

/// Arguments (required parameters) and setters (optional ones).
fn parameters(old: &[ParamSurface], new: &[ParamSurface], item: &mut Item) {
    let (removed, both, added) = pair_by(old, new, |p| &p.name);
    for p in removed {
        let how = if p.required {
            "argument"
        } else {
            "optional parameter (setter)"
        };
        item.push(
            Kind::ParameterRemoved,
            Some(&p.name),
            format!("{how} `{}: {}` removed", p.name, p.ty),
        );
    }
    for (a, b) in both {
        let member = Some(a.name.as_str());
        match (a.required, b.required) {
            (false, true) => item.push(
                Kind::ParameterRequired,
                member,
                format!(
                    "parameter `{}` is now required: a new argument `{}: {}` instead of a setter",
                    a.name, b.name, b.ty
                ),
            ),
            (true, false) => item.push(
                Kind::ParameterOptional,
                member,
                format!(
                    "parameter `{}` is now optional: no longer an argument, set with `.{}(..)`",
                    a.name, b.name
                ),
            ),
            _ => {}
        }
        if a.ty != b.ty {
            item.push(
                Kind::ParameterType,
                member,
                format!("parameter `{}`: `{}` -> `{}`", a.name, a.ty, b.ty),
            );
        }
        if a.wire != b.wire {
            item.push(
                Kind::ParameterWire,
                member,
                format!(
                    "parameter `{}` is sent as {} (was {})",
                    a.name, b.wire, a.wire
                ),
            );
        }
        item.member(
            "parameter",
            &a.name,
            (a.deprecated, b.deprecated),
            a.docs != b.docs,
        );
    }
    for p in added {
        if p.required {
            item.case(
                Kind::ParameterAdded,
                true,
                Some(&p.name),
                format!("new required argument `{}: {}`", p.name, p.ty),
            );
        } else {
            item.case(
                Kind::ParameterAdded,
                false,
                Some(&p.name),
                format!(
                    "new optional parameter `{}: {}` (setter `.{}(..)`)",
                    p.name, p.ty, p.name
                ),
            );
        }
    }
}

fn body(old: Option<&BodySurface>, new: Option<&BodySurface>, item: &mut Item) {
    match (old, new) {
        (Some(a), Some(b)) => {
            match (a.required, b.required) {
                (false, true) => item.push(
                    Kind::BodyRequired,
                    Some("body"),
                    format!("the body is now required (`{}`)", b.ty),
                ),
                (true, false) => item.push(
                    Kind::BodyOptional,
                    Some("body"),
                    format!("the body is now optional (`Option<{}>`)", b.ty),
                ),
                _ => {}
            }
            if a.ty != b.ty {
                item.push(
                    Kind::BodyType,
                    Some("body"),
                    format!("body: `{}` -> `{}`", a.ty, b.ty),
                );
            }
            if a.content_type != b.content_type {
                item.push(
                    Kind::BodyContentType,
                    Some("body"),
                    format!(
                        "the body is sent as `{}` (was `{}`)",
                        b.content_type, a.content_type
                    ),
                );
            }
            if a.docs != b.docs {
                item.push(
                    Kind::Docs,
                    Some("body"),
                    "documentation of the body changed".into(),
                );
            }
        }
        (None, Some(b)) => {
            item.case(
                Kind::BodyAdded,
                b.required,
                Some("body"),
                format!("new body `{}`", body_type(b.required, &b.ty)),
            );
        }
        (Some(a), None) => item.push(
            Kind::BodyRemoved,
            Some("body"),
            format!("body `{}` removed", a.ty),
        ),
        (None, None) => {}
    }
}

/// The result: its type, the variants of an output or error enum, paging.
fn result(o: &OperationSurface, n: &OperationSurface, item: &mut Item) {
    if o.output != n.output {
        item.push(
            Kind::OutputType,
            None,
            format!("result: `{}` -> `{}`", o.output, n.output),
        );
    }
    // With several success bodies the result is an enum of them.
    if o.output == n.output && o.output_enum && n.output_enum {
        responses(
            &o.successes,
            &n.successes,
            [
                Kind::ResponseRemoved,
                Kind::ResponseAdded,
                Kind::ResponseType,
                Kind::ResponseStatus,
            ],
            &format!("`{}`", o.output),
            item,
        );
    }
    responses(
        &o.errors,
        &n.errors,
        [
            Kind::ErrorRemoved,
            Kind::ErrorAdded,
            Kind::ErrorType,
            Kind::ErrorStatus,
        ],
        "error enum",
        item,
    );

    match (&o.pages, &n.pages) {
        (None, Some(t)) => item.push(
            Kind::PagingAdded,
            None,
            format!("now pages with `.into_stream()` (items `{t}`)"),
        ),
        (Some(_), None) => item.push(
            Kind::PagingRemoved,
            None,
            "no longer pages: `.into_stream()` removed".into(),
        ),
        (Some(a), Some(b)) if a != b => item.push(
            Kind::PagingType,
            None,
            format!("`.into_stream()` items: `{a}` -> `{b}`"),
        ),
        _ => {}
    }
}

/// Variants of an error or output enum: `kinds` is removed, added, type
/// changed, status changed.
fn responses(
    old: &[ResponseSurface],
    new: &[ResponseSurface],
    kinds: [Kind; 4],
    what: &str,
    item: &mut Item,
) {
    let (removed, both, added) = pair_by(old, new, |r| &r.variant);
    let shown = |r: &ResponseSurface| match &r.ty {
        Some(t) => format!("`{}({t})`", r.variant),
        None => format!("`{}`", r.variant),
    };
    for r in removed {
        item.push(
            kinds[0],
            Some(&r.variant),
            format!("{what}: variant {} ({}) removed", shown(r), r.status),
        );
    }
    for (a, b) in both {
        if a.ty != b.ty {
            item.push(
                kinds[2],
                Some(&a.variant),
                format!("{what}: {} -> {}", shown(a), shown(b)),
            );
        }
        if a.status != b.status {
            item.push(
                kinds[3],
                Some(&a.variant),
                format!(
                    "{what}: variant `{}` is status {} (was {})",
                    a.variant, b.status, a.status
                ),
            );
        }
    }
    for r in added {
        item.push(
            kinds[1],
            Some(&r.variant),
            format!("{what}: new variant {} ({})", shown(r), r.status),
        );
    }
}
