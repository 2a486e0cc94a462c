//! Lowering schemas into types.
//!
//! Every schema position (property, item, body, parameter, union member) goes
//! through [`Lowerer::usage`], which answers two things: the Rust type of the
//! value, and the annotations of the position (nullable, readOnly, writeOnly,
//! docs). Objects, enums and unions become named types; a named type is made at
//! most once per (schema pointer, view), so shared and recursive schemas give
//! one type each.

use super::flat::{Additional, Flat, SchemaRef};
use super::format::{self, JsonType};
use super::resolve::{Resolver, local_pointer};
use super::views;
use crate::diagnostics::Collector;
use crate::ir::{
    Constraints, Docs, Enum, EnumValue, EnumVariant, Field, Primitive, Struct, TypeId, TypeKind,
    TypeRef, Union, UnionVariant, View,
};
use crate::naming::{self, Case};
use crate::pointer::Pointer;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// A type under construction: its name is chosen once all types are known.
#[derive(Debug)]
pub struct Draft {
    /// Words the name is made from (`app log`, `listApps response`).
    pub hint: String,
    /// Made in place from an inline schema (not a component or a `$ref`
    /// target): such types may be copies of each other ([`super::shapes`]).
    pub inline: bool,
    /// For an inline schema that is a property's value: the name it shares
    /// with its copies (`billing_value_unit`), set by [`super::shapes`].
    pub property_hint: Option<String>,
    pub origin: Pointer,
    pub view: View,
    /// Naming priority: component schemas first, in document order, then the
    /// rest in the order they were made.
    pub rank: (u8, usize),
    pub docs: Docs,
    pub deprecated: bool,
    pub kind: TypeKind,
    pub constraints: Constraints,
}

/// The type of a schema position and what the position says about the value.
#[derive(Debug, Clone)]
pub struct Usage {
    pub ty: TypeRef,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    /// writeOnly or `format: password`: kept out of `Debug` output.
    pub secret: bool,
    pub docs: Docs,
    /// Spec name of the referenced schema, for naming union variants.
    pub ref_name: Option<String>,
    /// The schema's `default`.
    pub default: Option<Value>,
    /// The schema's `example`.
    pub example: Option<Value>,
    /// What the schema asks of the value beyond its type.
    pub constraints: Constraints,
}

impl Usage {
    pub fn of(ty: TypeRef) -> Self {
        Usage {
            ty,
            nullable: false,
            read_only: false,
            write_only: false,
            deprecated: false,
            secret: false,
            docs: Docs::default(),
            ref_name: None,
            default: None,
            example: None,
            constraints: Constraints::default(),
        }
    }

    /// The type with its nullability folded in, for positions without a
    /// separate flag (array items, map values, union members).
    pub fn nested(self) -> TypeRef {
        if self.nullable && !matches!(self.ty, TypeRef::Any | TypeRef::Nullable(_)) {
            TypeRef::Nullable(Box::new(self.ty))
        } else {
            self.ty
        }
    }
}

pub struct Lowerer<'a, 'd> {
    pub resolver: &'a Resolver<'a>,
    pub sensitive: HashMap<Pointer, bool>,
    pub drafts: Vec<Draft>,
    memo: HashMap<(Pointer, View), TypeId>,
    /// Pointers already lowered in some view.
    pub lowered: HashSet<Pointer>,
    /// Component schema pointers and their document order, for naming rank.
    pub component_order: HashMap<Pointer, usize>,
    /// Schemas whose `allOf` is being merged (cycle detection).
    merging: Vec<Pointer>,
    /// Parameter schemas and their parameter's name, which names their
    /// inline types as a property's name does (see [`super::shapes`]).
    pub parameter_names: HashMap<Pointer, String>,
    depth: usize,
    pub diags: &'d mut Collector,
}

/// Schema nesting beyond this is refused rather than risking the stack.
const MAX_DEPTH: usize = 200;

impl<'a, 'd> Lowerer<'a, 'd> {
    pub fn new(
        resolver: &'a Resolver<'a>,
        sensitive: HashMap<Pointer, bool>,
        component_order: HashMap<Pointer, usize>,
        diags: &'d mut Collector,
    ) -> Self {
        Lowerer {
            resolver,
            sensitive,
            drafts: Vec::new(),
            memo: HashMap::new(),
            lowered: HashSet::new(),
            component_order,
            merging: Vec::new(),
            parameter_names: HashMap::new(),
            depth: 0,
            diags,
        }
    }

    /// The type and annotations of a schema position.
    pub fn usage(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &Pointer,
        hint: &str,
        view: View,
    ) -> Usage {
        if self.depth > MAX_DEPTH {
            self.diags.error(
                pointer,
                format!("schemas nest deeper than {MAX_DEPTH} levels"),
            );
            return Usage::of(TypeRef::Any);
        }
        self.depth += 1;
        let usage = match schema {
            SchemaRef::Ref(reference) => self.reference(reference, pointer, view),
            SchemaRef::Inline(s) => self.inline_usage(s, pointer, hint, view),
        };
        self.depth -= 1;
        usage
    }

    fn reference(&mut self, reference: &str, pointer: &Pointer, view: View) -> Usage {
        let (target, target_pointer) = match self.resolver.schema(reference) {
            Ok(t) => t,
            Err(message) => {
                self.diags.error(pointer, message);
                return Usage::of(TypeRef::Any);
            }
        };
        let (ty, nullable) = self.named(target, &target_pointer, view);
        let mut usage = Usage::of(ty);
        usage.nullable = nullable;
        usage.ref_name = Some(target_pointer.last_token());
        if let Ok((root, _)) = self.resolver.schema_target(reference) {
            let d = &root.schema_data;
            usage.read_only = d.read_only;
            usage.write_only = d.write_only;
            let root_flat = Flat::of(root);
            usage.secret = d.write_only || root_flat.is_password();
            usage.constraints = self.flat_constraints(&root_flat, 0);
        }
        usage
    }

    /// A schema's constraints, with its array items' or map values'
    /// (through `$ref`s).
    fn constraints_of(&self, schema: SchemaRef<'a>, depth: usize) -> Constraints {
        let schema = match schema {
            SchemaRef::Inline(s) => s,
            SchemaRef::Ref(r) => match self.resolver.schema_target(r) {
                Ok((s, _)) => s,
                Err(_) => return Constraints::default(),
            },
        };
        self.flat_constraints(&Flat::of(schema), depth)
    }

    /// [`Self::constraints_of`] for a schema already read.
    fn flat_constraints(&self, flat: &Flat<'a>, depth: usize) -> Constraints {
        let mut constraints = flat.constraints.clone();
        // Deep enough for arrays of arrays; a cycle of arrays stops here.
        if depth < 4 {
            let inner = match (flat.items, flat.additional) {
                (Some(items), _) => Some(items),
                (None, Some(Additional::Schema(values))) => Some(values),
                _ => None,
            };
            if let Some(items) = inner {
                let items = self.constraints_of(items, depth + 1);
                if items != Constraints::default() {
                    constraints.items = Some(Box::new(items));
                }
            }
        }
        constraints
    }

    fn inline_usage(
        &mut self,
        schema: &'a openapiv3::Schema,
        pointer: &Pointer,
        hint: &str,
        view: View,
    ) -> Usage {
        let flat = Flat::of(schema);
        let d = flat.data;
        let mut usage = if let Some((member, member_pointer)) = single_wrapped(&flat, pointer) {
            // `{allOf: [X], description, nullable, ...}`: X, with these annotations.
            self.usage(member, &member_pointer, hint, view)
        } else if flat.is_null_only() {
            Usage::of(TypeRef::Any)
        } else {
            Usage::of(self.shape(&flat, pointer, hint, view))
        };
        usage.nullable |= flat.nullable() || self.union_has_null(&flat);
        usage.read_only |= d.read_only;
        usage.write_only |= d.write_only;
        usage.deprecated |= d.deprecated;
        usage.secret |= d.write_only || flat.is_password();
        if d.default.is_some() {
            usage.default = d.default.clone();
        }
        if d.example.is_some() {
            usage.example = d.example.clone();
        }
        let constraints = self.flat_constraints(&flat, 0);
        if constraints != Constraints::default() {
            usage.constraints = constraints;
        }
        let own = docs_of(&flat);
        if own.description.is_some() || own.summary.is_some() {
            usage.docs.description = own.description;
            usage.docs.summary = own.summary;
        }
        usage.docs.notes.extend(own.notes);
        usage
    }

    fn union_has_null(&self, flat: &Flat<'a>) -> bool {
        flat.one_of.iter().chain(&flat.any_of).any(|m| match m {
            SchemaRef::Inline(s) => Flat::of(s).is_null_only(),
            SchemaRef::Ref(r) => self
                .resolver
                .schema_target(r)
                .is_ok_and(|(s, _)| Flat::of(s).is_null_only()),
        })
    }

    /// Makes the type of a component schema no operation uses.
    pub fn component(&mut self, schema: SchemaRef<'a>, pointer: &Pointer, view: View) {
        self.named(schema, pointer, view);
    }

    /// The type of a referenced schema (and whether the schema itself allows
    /// `null` outside the type): a named type, made once per view.
    fn named(&mut self, target: SchemaRef<'a>, pointer: &Pointer, view: View) -> (TypeRef, bool) {
        let sensitive = self.sensitive.get(pointer).copied().unwrap_or(false);
        let view = if sensitive { view } else { View::Neutral };
        if let Some(id) = self.memo.get(&(pointer.clone(), view)) {
            let nullable = match target {
                SchemaRef::Inline(s) => self.outer_nullable(s, *id),
                SchemaRef::Ref(_) => false,
            };
            return (TypeRef::Named(*id), nullable);
        }
        let id = self.alloc(pointer, view, pointer.last_token(), Docs::default(), false);
        self.lowered.insert(pointer.clone());
        match target {
            SchemaRef::Ref(next) => {
                // A component that is only a `$ref`: an alias of the target.
                // (A chain of these that loops is reported once all types are
                // known, in `check_alias_cycles`.)
                let inner = self.reference(next, pointer, view);
                self.drafts[id.0].kind = TypeKind::Alias(inner.nested());
                (TypeRef::Named(id), false)
            }
            SchemaRef::Inline(schema) => {
                let flat = Flat::of(schema);
                let mut docs = docs_of(&flat);
                drop_echoed_title(&mut docs, &pointer.last_token());
                self.drafts[id.0].docs = docs;
                self.drafts[id.0].deprecated = flat.data.deprecated;
                self.drafts[id.0].constraints = self.flat_constraints(&flat, 0);
                let hint = self.drafts[id.0].hint.clone();
                let kind = match self.shape_kind(&flat, pointer, &hint, view) {
                    Shape::Kind(kind) => kind,
                    Shape::Type(ty) => {
                        // Keep the named schema's nullability inside the alias.
                        let nullable = flat.nullable() || self.union_has_null(&flat);
                        if nullable {
                            TypeKind::Alias(
                                Usage {
                                    nullable,
                                    ..Usage::of(ty)
                                }
                                .nested(),
                            )
                        } else {
                            TypeKind::Alias(ty)
                        }
                    }
                };
                self.drafts[id.0].kind = kind;
                let nullable = self.outer_nullable(schema, id);
                (TypeRef::Named(id), nullable)
            }
        }
    }

    /// Whether `ty` is a named alias (through other aliases) of a nullable
    /// type, so that its values include `null`.
    fn holds_null(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        for _ in 0..self.drafts.len() {
            match ty {
                TypeRef::Named(id) => match &self.drafts[id.0].kind {
                    TypeKind::Alias(target) => ty = target,
                    _ => return false,
                },
                TypeRef::Nullable(_) => return true,
                _ => return false,
            }
        }
        false
    }

    /// A named struct, enum or union whose schema allows `null` leaves the
    /// `null` to the position using it (an alias already carries it).
    fn outer_nullable(&self, schema: &openapiv3::Schema, id: TypeId) -> bool {
        if matches!(self.drafts[id.0].kind, TypeKind::Alias(_)) {
            return false;
        }
        let flat = Flat::of(schema);
        flat.nullable() || self.union_has_null(&flat)
    }

    fn alloc(
        &mut self,
        pointer: &Pointer,
        view: View,
        hint: String,
        docs: Docs,
        deprecated: bool,
    ) -> TypeId {
        let id = TypeId(self.drafts.len());
        let rank = match self.component_order.get(pointer) {
            Some(order) => (0, *order),
            None => (1, id.0),
        };
        self.drafts.push(Draft {
            hint,
            inline: false,
            property_hint: None,
            origin: pointer.clone(),
            view,
            rank,
            docs,
            deprecated,
            kind: TypeKind::Alias(TypeRef::Any),
            constraints: Constraints::default(),
        });
        self.memo.insert((pointer.clone(), view), id);
        id
    }

    /// The type of an inline schema; objects, enums and unions become named
    /// types, made once per (pointer, view).
    fn shape(&mut self, flat: &Flat<'a>, pointer: &Pointer, hint: &str, view: View) -> TypeRef {
        let view = self.effective_view(flat, view);
        if let Some(id) = self.memo.get(&(pointer.clone(), view)) {
            return TypeRef::Named(*id);
        }
        match self.shape_kind(flat, pointer, hint, view) {
            Shape::Type(ty) => ty,
            Shape::Kind(kind) => {
                let mut docs = docs_of(flat);
                // Constraints and examples describe the position, not the type.
                docs.notes.clear();
                // Named after where the schema is, not after how it was
                // reached (a property of `a` merged into `b` is still `a`'s).
                let hint = hint_from_pointer(pointer).unwrap_or_else(|| hint.to_string());
                let id = self.alloc(pointer, view, hint, docs, flat.data.deprecated);
                self.drafts[id.0].kind = kind;
                self.drafts[id.0].inline = true;
                TypeRef::Named(id)
            }
        }
    }

    fn effective_view(&self, flat: &Flat<'a>, view: View) -> View {
        if view != View::Neutral && views::inline_sensitive(self.resolver, flat, &self.sensitive) {
            view
        } else {
            View::Neutral
        }
    }

    /// What a schema becomes: a new named type (struct, enum, union) or a
    /// reference to an existing or primitive type.
    fn shape_kind(&mut self, flat: &Flat<'a>, pointer: &Pointer, hint: &str, view: View) -> Shape {
        let has_union = !flat.one_of.is_empty() || !flat.any_of.is_empty();
        let object_like = !flat.properties.is_empty() || !flat.all_of.is_empty();
        if has_union && !object_like {
            return self.union(flat, pointer, hint, view);
        }
        // An object with `oneOf`/`anyOf` beside its properties: alternatives
        // that only list required properties constrain, they add nothing;
        // otherwise the alternatives' properties sit beside the object's own.
        let flattened = if has_union && !alternatives_only_constrain(flat) {
            vec![self.flattened_union(flat, pointer, hint, view)]
        } else {
            Vec::new()
        };
        if flat.data.discriminator.is_some() && !has_union {
            self.diags.warning(
                pointer,
                "`discriminator` without `oneOf`/`anyOf`, and no schema extends this one (an `allOf` with a `$ref` to it) or is named in its `mapping`: it is a plain struct and the tag selects nothing",
            );
        }
        if !flat.all_of.is_empty() {
            return self.merge_all_of(flat, pointer, hint, view, flattened);
        }
        let values: Vec<&Value> = flat.enumeration.iter().filter(|v| !v.is_null()).collect();
        if !values.is_empty() {
            return self.enumeration(flat, &values, pointer);
        }
        match flat.typ {
            Some("string") => Shape::primitive(JsonType::String, flat.format),
            Some("integer") => Shape::primitive(JsonType::Integer, flat.format),
            Some("number") => Shape::primitive(JsonType::Number, flat.format),
            Some("boolean") => Shape::Type(TypeRef::Primitive(Primitive::Bool)),
            Some("array") => {
                let item = match flat.items {
                    Some(items) => {
                        let item_hint = format!("{hint} item");
                        self.usage(items, &pointer.push("items"), &item_hint, view)
                            .nested()
                    }
                    None => TypeRef::Any,
                };
                Shape::Type(TypeRef::Array(Box::new(item)))
            }
            _ if !flat.properties.is_empty() => {
                let props: Vec<Property<'a>> = flat
                    .properties
                    .iter()
                    .map(|(name, s)| Property {
                        wire: name.to_string(),
                        schema: *s,
                        pointer: pointer.push("properties").push(name),
                    })
                    .collect();
                let required: HashSet<&str> = flat.required.iter().map(String::as_str).collect();
                let mut object = self.object(
                    &props,
                    &required,
                    flat.additional
                        .map(|a| (a, pointer.push("additionalProperties"))),
                    hint,
                    view,
                    flattened,
                );
                object.min_properties = flat.constraints.min_properties;
                if has_union && alternatives_only_constrain(flat) {
                    object.one_of_required = flat
                        .one_of
                        .iter()
                        .filter_map(|m| match m {
                            SchemaRef::Inline(s) => Some(Flat::of(s).required.to_vec()),
                            SchemaRef::Ref(_) => None,
                        })
                        .collect();
                }
                Shape::Kind(TypeKind::Struct(object))
            }
            Some("object") | None => match flat.additional {
                Some(Additional::Schema(s)) => {
                    let value = self.usage(
                        s,
                        &pointer.push("additionalProperties"),
                        &format!("{hint} value"),
                        view,
                    );
                    Shape::Type(TypeRef::Map(Box::new(value.nested())))
                }
                Some(Additional::Any) => Shape::Type(TypeRef::Map(Box::new(TypeRef::Any))),
                // A free-form object, or a schema that constrains nothing.
                Some(Additional::None) | None => {
                    if flat.has_not {
                        self.diags.warning(
                            pointer,
                            "`not` is not supported; the value is typed as serde_json::Value",
                        );
                    }
                    Shape::Type(TypeRef::Any)
                }
            },
            Some(other) => {
                self.diags.warning(
                    pointer,
                    format!(
                        "type `{other}` is not supported; the value is typed as serde_json::Value"
                    ),
                );
                Shape::Type(TypeRef::Any)
            }
        }
    }

    /// The fields of an object. Properties the view leaves out are dropped.
    fn object(
        &mut self,
        props: &[Property<'a>],
        required: &HashSet<&str>,
        additional: Option<(Additional<'a>, Pointer)>,
        hint: &str,
        view: View,
        flattened: Vec<Flattened>,
    ) -> Struct {
        // What each kept property holds; the names come once all are known.
        let mut kept = Vec::with_capacity(props.len());
        for p in props {
            let usage = self.usage(p.schema, &p.pointer, &format!("{hint} {}", p.wire), view);
            if (view == View::Input && usage.read_only)
                || (view == View::Output && usage.write_only)
            {
                continue;
            }
            kept.push((p.wire.as_str(), usage));
        }
        let additional = match additional {
            Some((Additional::Schema(s), pointer)) => Some(
                self.usage(s, &pointer, &format!("{hint} value"), view)
                    .nested(),
            ),
            Some((Additional::Any, _)) => Some(TypeRef::Any),
            Some((Additional::None, _)) | None => None,
        };
        let wires: Vec<&str> = kept
            .iter()
            .map(|(wire, _)| *wire)
            .chain(flattened.iter().map(|f| f.keyword.as_str()))
            .collect();
        let reserved: &[&str] = if additional.is_some() {
            &["additional_properties"]
        } else {
            &[]
        };
        let mut names = naming::unique(&wires, Case::Snake, reserved, "field").into_iter();
        let mut fields = Vec::with_capacity(wires.len());
        for ((wire, usage), name) in kept.into_iter().zip(names.by_ref()) {
            let mut docs = usage.docs;
            drop_echoed_title(&mut docs, wire);
            let required = required.contains(wire);
            // An optional field of a type that holds `null` itself (an alias
            // of a nullable schema) must still tell `null` from absent:
            // `Option<Option<T>>` reads both as `None`.
            let nullable = usage.nullable || (!required && self.holds_null(&usage.ty));
            fields.push(Field {
                name,
                wire: wire.to_string(),
                ty: usage.ty,
                required,
                nullable,
                docs,
                deprecated: usage.deprecated,
                secret: usage.secret,
                flatten: false,
                default: usage.default,
                example: usage.example,
                constraints: usage.constraints,
            });
        }
        fields.extend(
            flattened
                .into_iter()
                .zip(names)
                .map(|(f, name)| f.field(name)),
        );
        Struct {
            fields,
            additional,
            one_of_required: Vec::new(),
            min_properties: None,
        }
    }

    fn enumeration(&mut self, flat: &Flat<'a>, values: &[&Value], pointer: &Pointer) -> Shape {
        if let Some(typ) = flat.typ {
            let fits = |v: &Value| match typ {
                "string" => v.is_string(),
                "integer" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                _ => true,
            };
            if let Some(odd) = values.iter().find(|v| !fits(v)) {
                self.diags.assumed(
                    pointer,
                    format!("`enum` value {odd} is not of the declared type `{typ}`; the values are used as written"),
                );
            }
        }
        if let Some(strings) = values
            .iter()
            .map(|v| v.as_str())
            .collect::<Option<Vec<_>>>()
        {
            let values = strings
                .into_iter()
                .map(|s| EnumValue::String(s.to_string()));
            return Shape::Kind(TypeKind::Enum(enum_of(values)));
        }
        if let Some(integers) = values
            .iter()
            .map(|v| v.as_i64())
            .collect::<Option<Vec<_>>>()
        {
            let values = integers.into_iter().map(EnumValue::Integer);
            return Shape::Kind(TypeKind::Enum(enum_of(values)));
        }
        // Booleans and non-integer numbers stay primitives; the allowed
        // values are listed in the docs.
        match flat.typ {
            Some("boolean") => Shape::Type(TypeRef::Primitive(Primitive::Bool)),
            Some("number") if values.iter().all(|v| v.is_number()) => {
                Shape::Type(TypeRef::Primitive(Primitive::F64))
            }
            Some("integer") if values.iter().all(|v| v.is_number()) => {
                Shape::primitive(JsonType::Integer, flat.format)
            }
            _ => {
                self.diags.warning(
                    pointer,
                    "`enum` mixes value types; the value is typed as serde_json::Value",
                );
                Shape::Type(TypeRef::Any)
            }
        }
    }

    fn union(&mut self, flat: &Flat<'a>, pointer: &Pointer, hint: &str, view: View) -> Shape {
        let keyword = if flat.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        let mut members: Vec<(SchemaRef<'a>, Pointer)> = Vec::new();
        for (list, key) in [(&flat.one_of, "oneOf"), (&flat.any_of, "anyOf")] {
            for (i, m) in list.iter().enumerate() {
                members.push((*m, pointer.push(key).push(&i.to_string())));
            }
        }
        // `null` alternatives make the position nullable (see `union_has_null`).
        members.retain(|(m, _)| match m {
            SchemaRef::Inline(s) => !Flat::of(s).is_null_only(),
            SchemaRef::Ref(r) => !self
                .resolver
                .schema_target(r)
                .is_ok_and(|(s, _)| Flat::of(s).is_null_only()),
        });
        if members.is_empty() {
            return Shape::Type(TypeRef::Any);
        }
        if members.len() == 1 {
            let (m, p) = members.remove(0);
            return Shape::Type(self.usage(m, &p, hint, view).nested());
        }
        // Alternatives that are all inline string enums: one enum of all values.
        let string_values: Option<Vec<String>> = members
            .iter()
            .map(|(m, _)| match m {
                SchemaRef::Inline(s) => {
                    let f = Flat::of(s);
                    let strings: Vec<String> = f
                        .enumeration
                        .iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect();
                    (f.all_of.is_empty()
                        && f.properties.is_empty()
                        && !strings.is_empty()
                        && strings.len() == f.enumeration.len())
                    .then_some(strings)
                }
                SchemaRef::Ref(_) => None,
            })
            .collect::<Option<Vec<Vec<String>>>>()
            .map(|lists| lists.concat());
        if let Some(values) = string_values {
            return Shape::Kind(TypeKind::Enum(enum_of(
                values.into_iter().map(EnumValue::String),
            )));
        }

        let discriminator = flat.data.discriminator.as_ref();
        let mut alternatives = Vec::with_capacity(members.len());
        for (i, (member, member_pointer)) in members.iter().enumerate() {
            let title = match member {
                SchemaRef::Inline(s) => s.schema_data.title.clone(),
                SchemaRef::Ref(_) => None,
            };
            let variant_hint = match &title {
                Some(t) => format!("{hint} {t}"),
                None => format!("{hint} variant {}", i + 1),
            };
            let usage = self.usage(*member, member_pointer, &variant_hint, view);
            let raw = match (&usage.ref_name, &title) {
                (Some(name), _) => name.clone(),
                (None, Some(t)) => t.clone(),
                (None, None) => kind_name(&usage.ty, i),
            };
            let tags = match (discriminator, member) {
                (Some(d), SchemaRef::Ref(r)) => self.tag_values(d, r),
                _ => Vec::new(),
            };
            alternatives.push(Alternative {
                raw,
                ty: usage.nested(),
                tags,
            });
        }
        let mut alternatives = merge_alternatives(alternatives);
        if alternatives.len() == 1 && discriminator.is_none() {
            return Shape::Type(alternatives.remove(0).ty);
        }
        let raws: Vec<&str> = alternatives.iter().map(|a| a.raw.as_str()).collect();
        let names = naming::unique(&raws, Case::Type, &["Unknown"], "Variant");
        let variants: Vec<UnionVariant> = alternatives
            .into_iter()
            .zip(names)
            .map(|(a, name)| UnionVariant {
                name,
                ty: a.ty,
                tags: a.tags,
            })
            .collect();
        let tag = discriminator.map(|d| d.property_name.clone());
        if tag.is_some() && variants.iter().any(|v| v.tags.is_empty()) {
            self.diags.warning(
                pointer,
                format!("{keyword} has a discriminator but not every alternative is a `$ref`; it is decoded untagged, trying alternatives in order"),
            );
            return Shape::Kind(TypeKind::Union(Union {
                variants,
                tag: None,
                unknown: "Unknown".into(),
            }));
        }
        Shape::Kind(TypeKind::Union(Union {
            variants,
            tag,
            unknown: "Unknown".into(),
        }))
    }

    /// Discriminator values selecting the schema `reference` points to: the
    /// explicit mapping, else a one-value enum on the tag property, else the
    /// schema's name.
    fn tag_values(&self, d: &openapiv3::Discriminator, reference: &str) -> Vec<String> {
        let target = self.resolver.schema(reference).map(|(_, p)| p).ok();
        let mut tags: Vec<String> = d
            .mapping
            .iter()
            .filter(|(_, r)| {
                let mapped = if r.starts_with('#') {
                    self.resolver.schema(r).map(|(_, p)| p).ok()
                } else {
                    // A bare schema name.
                    Some(Pointer::root().push("components").push("schemas").push(r))
                };
                mapped.is_some() && mapped == target
            })
            .map(|(value, _)| value.clone())
            .collect();
        if tags.is_empty() {
            if let Ok((schema, _)) = self.resolver.schema_target(reference) {
                let flat = Flat::of(schema);
                let property = flat.properties.iter().find(|(n, _)| *n == d.property_name);
                if let Some((_, SchemaRef::Inline(p))) = property {
                    let values = Flat::of(p).enumeration;
                    if let [Value::String(v)] = values.as_slice() {
                        tags.push(v.clone());
                    }
                }
            }
        }
        if tags.is_empty() {
            if let Some(p) = &target {
                tags.push(p.last_token());
            }
        }
        tags
    }

    fn merge_all_of(
        &mut self,
        flat: &Flat<'a>,
        pointer: &Pointer,
        hint: &str,
        view: View,
        mut flattened: Vec<Flattened>,
    ) -> Shape {
        let mut merge = Merge::default();
        if !self.collect_all_of(flat, pointer, &mut merge, 0, false) {
            return Shape::Type(TypeRef::Any);
        }
        // The schema's own keywords beside `allOf`.
        for (name, s) in &flat.properties {
            merge.add_property(name, *s, pointer.push("properties").push(name));
            merge.own_properties = true;
        }
        merge.required.extend(flat.required.iter().cloned());
        merge.own_required.extend(flat.required.iter().cloned());
        if flat.additional.is_some() {
            merge.additional = flat
                .additional
                .map(|a| (a, pointer.push("additionalProperties")));
            merge.own_additional = true;
        }
        // Members that are alternatives: their properties sit beside the
        // merged ones.
        for (member, member_pointer) in std::mem::take(&mut merge.unions) {
            let keyword = match member {
                SchemaRef::Ref(r) => naming::ident(&ref_name(r), Case::Snake),
                SchemaRef::Inline(s) if Flat::of(s).one_of.is_empty() => "any_of".to_string(),
                SchemaRef::Inline(_) => "one_of".to_string(),
            };
            let usage = self.usage(member, &member_pointer, &format!("{hint} {keyword}"), view);
            flattened.push(Flattened {
                keyword,
                ty: usage.nested(),
            });
        }
        if !merge.non_object.is_empty() {
            if merge.non_object.len() == 1
                && merge.properties.is_empty()
                && merge.additional.is_none()
            {
                let (m, p) = merge.non_object.remove(0);
                return Shape::Type(self.usage(m, &p, hint, view).nested());
            }
            self.diags.warning(pointer, "`allOf` combines an object with a non-object schema; the value is typed as serde_json::Value");
            return Shape::Type(TypeRef::Any);
        }
        // One `$ref` plus fragments that change nothing: the referenced type.
        if let ([(reference, ref_pointer)], true) =
            (merge.top_refs.as_slice(), flattened.is_empty())
        {
            let adds_required = merge
                .own_required
                .iter()
                .any(|r| !merge.ref_required.contains(r));
            if !merge.own_properties && !adds_required && !merge.own_additional {
                let (reference, ref_pointer) = (*reference, ref_pointer.clone());
                return Shape::Type(
                    self.usage(SchemaRef::Ref(reference), &ref_pointer, hint, view)
                        .nested(),
                );
            }
        }
        let props: Vec<Property<'a>> = merge
            .properties
            .into_iter()
            .map(|(wire, (schema, pointer))| Property {
                wire,
                schema,
                pointer,
            })
            .collect();
        let required: HashSet<&str> = merge.required.iter().map(String::as_str).collect();
        Shape::Kind(TypeKind::Struct(self.object(
            &props,
            &required,
            merge.additional,
            hint,
            view,
            flattened,
        )))
    }

    /// The `oneOf`/`anyOf` of an object with properties, as a type of its own
    /// (named `{Object}OneOf`), for a flattened field.
    fn flattened_union(
        &mut self,
        flat: &Flat<'a>,
        pointer: &Pointer,
        hint: &str,
        view: View,
    ) -> Flattened {
        let keyword = if flat.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        let at = pointer.push(keyword);
        let union_hint = format!("{hint} {keyword}");
        let ty = match self.union(flat, pointer, &union_hint, view) {
            Shape::Type(ty) => ty,
            Shape::Kind(kind) => {
                let id = self.alloc(&at, view, union_hint, Docs::default(), false);
                self.drafts[id.0].kind = kind;
                TypeRef::Named(id)
            }
        };
        Flattened {
            keyword: naming::ident(keyword, Case::Snake),
            ty,
        }
    }

    /// Gathers the members of an `allOf` (recursively). `false` when a cycle
    /// or a dangling reference was found (reported). `in_ref` is set below a
    /// `$ref` member: what it brings belongs to the referenced schema.
    fn collect_all_of(
        &mut self,
        flat: &Flat<'a>,
        pointer: &Pointer,
        merge: &mut Merge<'a>,
        depth: usize,
        in_ref: bool,
    ) -> bool {
        if depth > MAX_DEPTH {
            self.diags.error(pointer, "`allOf` nests too deeply");
            return false;
        }
        for (i, member) in flat.all_of.iter().enumerate() {
            let member_pointer = pointer.push("allOf").push(&i.to_string());
            let (schema, at, reference) = match member {
                SchemaRef::Inline(s) => (*s, member_pointer.clone(), None),
                SchemaRef::Ref(r) => match self.resolver.schema_target(r) {
                    Ok((s, p)) => (s, p, Some(*r)),
                    Err(message) => {
                        self.diags.error(&member_pointer, message);
                        return false;
                    }
                },
            };
            let from_ref = in_ref || reference.is_some();
            if let Some(r) = reference {
                if self.merging.contains(&at) {
                    self.diags.error(&member_pointer, format!("`allOf` cycle: {at} includes itself and never reaches a concrete schema"));
                    return false;
                }
                if depth == 0 {
                    merge.top_refs.push((r, member_pointer.clone()));
                }
            }
            let member_flat = Flat::of(schema);
            if member_flat.is_null_only() {
                continue;
            }
            if !member_flat.one_of.is_empty() || !member_flat.any_of.is_empty() {
                let only_constrains = member_flat.properties.is_empty()
                    && member_flat.all_of.is_empty()
                    && alternatives_only_constrain(&member_flat);
                if !only_constrains {
                    merge.unions.push((*member, member_pointer));
                }
                continue;
            }
            let non_object = !member_flat.enumeration.is_empty()
                || matches!(
                    member_flat.typ,
                    Some("string" | "integer" | "number" | "boolean" | "array")
                );
            if non_object {
                merge.non_object.push((*member, member_pointer));
                continue;
            }
            if !member_flat.all_of.is_empty() {
                self.merging.push(at.clone());
                let ok = self.collect_all_of(&member_flat, &at, merge, depth + 1, from_ref);
                self.merging.pop();
                if !ok {
                    return false;
                }
            }
            for (name, s) in &member_flat.properties {
                merge.add_property(name, *s, at.push("properties").push(name));
                merge.own_properties |= !from_ref;
            }
            merge.required.extend(member_flat.required.iter().cloned());
            if from_ref {
                merge
                    .ref_required
                    .extend(member_flat.required.iter().cloned());
            } else {
                merge
                    .own_required
                    .extend(member_flat.required.iter().cloned());
            }
            if let Some(a) = member_flat.additional {
                merge.additional = Some((a, at.push("additionalProperties")));
                merge.own_additional |= !from_ref;
            }
        }
        true
    }
}

struct Property<'a> {
    wire: String,
    schema: SchemaRef<'a>,
    pointer: Pointer,
}

enum Shape {
    Type(TypeRef),
    Kind(TypeKind),
}

impl Shape {
    fn primitive(json: JsonType, format: Option<&str>) -> Shape {
        Shape::Type(TypeRef::Primitive(format::primitive(json, format)))
    }
}

#[derive(Default)]
struct Merge<'a> {
    properties: indexmap::IndexMap<String, (SchemaRef<'a>, Pointer)>,
    required: Vec<String>,
    additional: Option<(Additional<'a>, Pointer)>,
    /// `$ref` members of the outermost `allOf`.
    top_refs: Vec<(&'a str, Pointer)>,
    /// Required names that come with referenced schemas.
    ref_required: Vec<String>,
    /// What members that are not references (and the schema itself) add.
    own_properties: bool,
    own_required: Vec<String>,
    own_additional: bool,
    non_object: Vec<(SchemaRef<'a>, Pointer)>,
    /// Members that are alternatives (`oneOf`/`anyOf`).
    unions: Vec<(SchemaRef<'a>, Pointer)>,
}

impl<'a> Merge<'a> {
    /// A property defined again by a later member keeps its first position and
    /// takes the later schema.
    fn add_property(&mut self, name: &str, schema: SchemaRef<'a>, pointer: Pointer) {
        match self.properties.get_mut(name) {
            Some(slot) => {
                // An annotation-only redefinition (description, readOnly) keeps
                // the earlier shape.
                if let SchemaRef::Inline(s) = schema {
                    if Flat::of(s).is_annotation_only() && Flat::of(s).typ.is_none() {
                        return;
                    }
                }
                *slot = (schema, pointer);
            }
            None => {
                self.properties.insert(name.to_string(), (schema, pointer));
            }
        }
    }
}

/// Whether every alternative of a `oneOf`/`anyOf` only lists required
/// properties (a validation rule, not a different shape).
fn alternatives_only_constrain(flat: &Flat<'_>) -> bool {
    flat.one_of.iter().chain(&flat.any_of).all(|m| match m {
        SchemaRef::Ref(_) => false,
        SchemaRef::Inline(s) => {
            let f = Flat::of(s);
            f.typ.is_none_or(|t| t == "object")
                && f.properties.is_empty()
                && f.items.is_none()
                && f.enumeration.is_empty()
                && f.all_of.is_empty()
                && f.one_of.is_empty()
                && f.any_of.is_empty()
                && f.additional.is_none()
        }
    })
}

/// Alternatives whose properties sit beside a struct's own, held by a
/// field (`#[serde(flatten)]`) named after the keyword they came from.
pub struct Flattened {
    keyword: String,
    ty: TypeRef,
}

impl Flattened {
    fn field(self, name: String) -> Field {
        let Flattened { keyword, ty } = self;
        Field {
            name,
            wire: keyword,
            ty,
            required: true,
            nullable: false,
            docs: Docs {
                summary: Some(
                    "The alternative this value matches; its properties sit beside the ones above."
                        .into(),
                ),
                description: None,
                notes: Vec::new(),
            },
            deprecated: false,
            secret: false,
            flatten: true,
            default: None,
            example: None,
            constraints: Constraints::default(),
        }
    }
}

/// `{allOf: [X]}` (with only annotations beside it, or annotation-only
/// members) stands for X.
fn single_wrapped<'a>(flat: &Flat<'a>, pointer: &Pointer) -> Option<(SchemaRef<'a>, Pointer)> {
    if flat.all_of.is_empty()
        || !flat.properties.is_empty()
        || !flat.required.is_empty()
        || flat.additional.is_some()
        || flat.items.is_some()
        || !flat.enumeration.iter().all(Value::is_null)
        || !flat.one_of.is_empty()
        || !flat.any_of.is_empty()
        || flat.typ.is_some_and(|t| t != "object")
    {
        return None;
    }
    let mut shaped = flat.all_of.iter().enumerate().filter(|(_, m)| match m {
        SchemaRef::Ref(_) => true,
        SchemaRef::Inline(s) => !Flat::of(s).is_annotation_only(),
    });
    let (i, only) = shaped.next()?;
    if shaped.next().is_some() {
        return None;
    }
    Some((*only, pointer.push("allOf").push(&i.to_string())))
}

/// A name for a schema inside a component schema, from its position:
/// `#/components/schemas/app/properties/log` -> `app log`. `None` for
/// positions this does not cover (unions name their variants themselves).
fn hint_from_pointer(pointer: &Pointer) -> Option<String> {
    let tokens = pointer.tokens();
    let [components, schemas, name, rest @ ..] = tokens.as_slice() else {
        return None;
    };
    if components != "components" || schemas != "schemas" {
        return None;
    }
    let mut words = vec![name.clone()];
    let mut i = 0;
    while i < rest.len() {
        match rest[i].as_str() {
            "properties" => {
                words.push(rest.get(i + 1)?.clone());
                i += 2;
            }
            // A member's properties belong to the schema; the member itself
            // is named by the caller.
            "allOf" if i + 2 < rest.len() => i += 2,
            "items" => {
                words.push("item".into());
                i += 1;
            }
            "additionalProperties" => {
                words.push("value".into());
                i += 1;
            }
            _ => return None,
        }
    }
    Some(words.join(" "))
}

/// An enum of `values`, all strings or all integers.
fn enum_of(values: impl Iterator<Item = EnumValue>) -> Enum {
    // A value listed twice is one variant.
    let mut seen = HashSet::new();
    let values: Vec<EnumValue> = values.filter(|v| seen.insert(v.clone())).collect();
    let texts: Vec<String> = values.iter().map(EnumValue::to_string).collect();
    let raws: Vec<&str> = texts.iter().map(String::as_str).collect();
    let names = naming::unique(&raws, Case::Type, &["Unknown"], "Value");
    Enum {
        variants: values
            .into_iter()
            .zip(names)
            .map(|(value, name)| EnumVariant { name, value })
            .collect(),
        unknown: "Unknown".into(),
    }
}

/// A variant name for an alternative without a schema name or title.
/// Alternatives that are the same Rust type, or scalars of one JSON kind
/// (`string` with and without formats, integers of several widths, `float`
/// and `double`), become one alternative: the first, as the type that loses
/// nothing of any of them (`String`, `i64` or `u64`, `f64`). Otherwise one
/// of them could never be chosen. `integer` and `number` stay two: a whole
/// number decodes as the integer (see the runtime's `untagged`).
/// An alternative of a union before its variant is named: the words of its
/// name (schema name, title or kind), its type, its tags.
struct Alternative {
    raw: String,
    ty: TypeRef,
    tags: Vec<String>,
}

fn merge_alternatives(alternatives: Vec<Alternative>) -> Vec<Alternative> {
    #[derive(PartialEq)]
    enum Kind {
        String,
        Integer,
        Number,
    }
    let kind = |ty: &TypeRef| match ty {
        TypeRef::Primitive(p) => match p {
            Primitive::String | Primitive::DateTime | Primitive::Date | Primitive::Uuid => {
                Some(Kind::String)
            }
            Primitive::F32 | Primitive::F64 => Some(Kind::Number),
            p if p.is_integer() => Some(Kind::Integer),
            _ => None,
        },
        _ => None,
    };
    let mut kept: Vec<Alternative> = Vec::new();
    for v in alternatives {
        let same = kept
            .iter_mut()
            .find(|k| k.ty == v.ty || kind(&k.ty).is_some_and(|a| Some(a) == kind(&v.ty)));
        let Some(k) = same else {
            kept.push(v);
            continue;
        };
        if k.ty != v.ty {
            let widest = match kind(&k.ty) {
                Some(Kind::String) => Primitive::String,
                Some(Kind::Number) => Primitive::F64,
                _ => {
                    let unsigned = |t: &TypeRef| {
                        matches!(
                            t,
                            TypeRef::Primitive(
                                Primitive::U8 | Primitive::U16 | Primitive::U32 | Primitive::U64
                            )
                        )
                    };
                    if unsigned(&k.ty) && unsigned(&v.ty) {
                        Primitive::U64
                    } else {
                        Primitive::I64
                    }
                }
            };
            k.ty = TypeRef::Primitive(widest);
            k.raw = kind_name(&k.ty, 0);
        }
        for tag in v.tags {
            if !k.tags.contains(&tag) {
                k.tags.push(tag);
            }
        }
    }
    kept
}

/// The name a `$ref` gives what it points to: its last token.
fn ref_name(reference: &str) -> String {
    local_pointer(reference)
        .map(|p| p.last_token())
        .unwrap_or_default()
}

fn kind_name(ty: &TypeRef, index: usize) -> String {
    match ty {
        TypeRef::Primitive(p) => match p {
            Primitive::String => "String",
            Primitive::Bool => "Boolean",
            Primitive::F32 | Primitive::F64 => "Number",
            Primitive::DateTime => "DateTime",
            Primitive::Date => "Date",
            Primitive::Uuid => "Uuid",
            Primitive::Binary => "Binary",
            _ => "Integer",
        }
        .to_string(),
        TypeRef::Array(_) => "Array".into(),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Any => "Value".into(),
        TypeRef::Nullable(inner) => kind_name(inner, index),
        TypeRef::Named(_) => format!("Variant{}", index + 1),
    }
}

/// Doc text and notes (constraints, format, default, example) of a schema.
pub fn docs_of(flat: &Flat<'_>) -> Docs {
    let d = flat.data;
    let mut notes = Vec::new();
    let constraints = flat.constraint_notes();
    if !constraints.is_empty() {
        notes.push(format!("Constraints: {}.", constraints.join(", ")));
    }
    if let Some(f) = flat.format {
        if !format::is_typed(f) {
            notes.push(format!("Format: `{f}`."));
        }
    }
    // Alternatives of one Rust type are merged into one (see
    // `merge_alternatives`): their formats stay here.
    // (`type: [string, 'null']` is one alternative and `null`: not a union.)
    let alternatives: Vec<&SchemaRef<'_>> = flat
        .one_of
        .iter()
        .chain(&flat.any_of)
        .filter(|m| !matches!(m, SchemaRef::Inline(s) if Flat::of(s).is_null_only()))
        .collect();
    let formats: Vec<String> = alternatives
        .iter()
        .filter_map(|m| match m {
            SchemaRef::Inline(s) => Flat::of(s).format.map(|f| format!("`{f}`")),
            SchemaRef::Ref(_) => None,
        })
        .collect();
    if alternatives.len() > 1 && !formats.is_empty() {
        notes.push(format!(
            "Formats of the alternatives: {}.",
            formats.join(", ")
        ));
    }
    let values: Vec<&Value> = flat.enumeration.iter().filter(|v| !v.is_null()).collect();
    if !values.is_empty() && !values.iter().all(|v| v.is_string() || v.is_i64()) {
        let list: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        notes.push(format!("One of {}.", list.join(", ")));
    }
    if let Some(default) = &d.default {
        notes.push(format!("Default: `{}`.", compact(default)));
    }
    if let Some(example) = &d.example {
        notes.push(format!("Example: `{}`.", compact(example)));
    }
    let description = d.description.clone().filter(|t| !t.trim().is_empty());
    // Titles are often just the property or schema name again (pydantic
    // writes one for every field); they document only when nothing else does.
    let summary = match description {
        Some(_) => None,
        None => d.title.clone().filter(|t| !t.trim().is_empty()),
    };
    Docs {
        summary,
        description,
        notes,
    }
}

/// A title that only repeats the name (`Created At` for `created_at`)
/// documents nothing.
fn drop_echoed_title(docs: &mut Docs, name: &str) {
    let words = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .flat_map(char::to_lowercase)
            .collect()
    };
    if docs
        .summary
        .as_deref()
        .is_some_and(|t| words(t) == words(name))
    {
        docs.summary = None;
    }
}

/// A short one-line JSON rendering for docs.
fn compact(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let text = text.replace('`', "'").replace('\n', " ");
    if text.chars().count() > 120 {
        let cut: String = text.chars().take(117).collect();
        format!("{cut}...")
    } else {
        text
    }
}
