//! Which schemas depend on the direction of travel (readOnly / writeOnly).
//!
//! A schema is *direction-dependent* when one of its properties, at any depth of
//! its inline tree, is readOnly or writeOnly, or when it references a
//! direction-dependent schema. Such a schema gets one type per direction it is
//! used in (`Name` received, `NameInput` sent); every other schema gets one type.

use super::flat::{Additional, Flat, SchemaRef};
use super::resolve::Resolver;
use crate::pointer::Pointer;
use std::collections::HashMap;

/// Direction-dependence of every component (and other referenced) schema,
/// keyed by pointer.
pub fn analyse(
    resolver: &Resolver<'_>,
    roots: &[(Pointer, SchemaRef<'_>)],
) -> HashMap<Pointer, bool> {
    // Direct flags and reference edges per schema, then a fixpoint.
    let mut direct: HashMap<Pointer, bool> = HashMap::new();
    let mut edges: HashMap<Pointer, Vec<Pointer>> = HashMap::new();
    let mut queue: Vec<(Pointer, SchemaRef<'_>)> = roots.to_vec();
    while let Some((pointer, schema)) = queue.pop() {
        if direct.contains_key(&pointer) {
            continue;
        }
        let mut scan = Scan::default();
        match schema {
            SchemaRef::Ref(r) => scan.refs.push(r.to_string()),
            SchemaRef::Inline(s) => scan.walk(&Flat::of(s), 0),
        }
        let mut targets = Vec::new();
        for r in &scan.refs {
            if let Ok((target, target_pointer)) = resolver.schema(r) {
                if !direct.contains_key(&target_pointer) {
                    queue.push((target_pointer.clone(), target));
                }
                targets.push(target_pointer);
            }
        }
        // A property that is a `$ref` to a schema marked readOnly/writeOnly as a
        // whole is itself readOnly/writeOnly.
        let mut flagged = scan.flagged;
        for r in &scan.property_refs {
            if let Ok((target, _)) = resolver.schema_target(r) {
                let d = &target.schema_data;
                flagged |= d.read_only || d.write_only;
            }
        }
        direct.insert(pointer.clone(), flagged);
        edges.insert(pointer, targets);
    }
    let mut sensitive = direct.clone();
    loop {
        let mut changed = false;
        for (pointer, targets) in &edges {
            if sensitive[pointer] {
                continue;
            }
            if targets
                .iter()
                .any(|t| sensitive.get(t).copied().unwrap_or(false))
            {
                sensitive.insert(pointer.clone(), true);
                changed = true;
            }
        }
        if !changed {
            return sensitive;
        }
    }
}

/// Whether an inline schema is direction-dependent, given the analysis of the
/// schemas it references.
pub fn inline_sensitive(
    resolver: &Resolver<'_>,
    flat: &Flat<'_>,
    known: &HashMap<Pointer, bool>,
) -> bool {
    let mut scan = Scan::default();
    scan.walk(flat, 0);
    if scan.flagged {
        return true;
    }
    let via_refs = scan.refs.iter().any(|r| {
        resolver
            .schema(r)
            .ok()
            .is_some_and(|(_, p)| known.get(&p).copied().unwrap_or(false))
    });
    via_refs
        || scan.property_refs.iter().any(|r| {
            resolver
                .schema_target(r)
                .ok()
                .is_some_and(|(t, _)| t.schema_data.read_only || t.schema_data.write_only)
        })
}

#[derive(Default)]
struct Scan {
    /// A property in the inline tree is readOnly or writeOnly.
    flagged: bool,
    /// Every `$ref` in the inline tree.
    refs: Vec<String>,
    /// `$ref`s that are property schemas (or wrapped in one).
    property_refs: Vec<String>,
}

/// Inline trees deeper than this are not followed (the YAML parser already
/// refuses deeper documents; this guards the recursion on its own).
const MAX_DEPTH: usize = 200;

impl Scan {
    fn walk(&mut self, flat: &Flat<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for (_, property) in &flat.properties {
            match property {
                SchemaRef::Ref(r) => {
                    self.refs.push(r.to_string());
                    self.property_refs.push(r.to_string());
                }
                SchemaRef::Inline(s) => {
                    let d = &s.schema_data;
                    self.flagged |= d.read_only || d.write_only;
                    let inner = Flat::of(s);
                    // `{allOf: [{$ref}], readOnly: ...}` wrappers around a ref.
                    for member in &inner.all_of {
                        if let SchemaRef::Ref(r) = member {
                            self.property_refs.push(r.to_string());
                        }
                    }
                    self.walk(&inner, depth + 1);
                }
            }
        }
        let mut children: Vec<SchemaRef<'_>> = Vec::new();
        children.extend(flat.items);
        if let Some(Additional::Schema(s)) = flat.additional {
            children.push(s);
        }
        children.extend(flat.all_of.iter().copied());
        children.extend(flat.any_of.iter().copied());
        children.extend(flat.one_of.iter().copied());
        for child in children {
            match child {
                SchemaRef::Ref(r) => self.refs.push(r.to_string()),
                SchemaRef::Inline(s) => self.walk(&Flat::of(s), depth + 1),
            }
        }
    }
}
