//! Inheritance through `allOf` with a discriminator, rewritten as a union.
//!
//! ```yaml
//! Pet: {type: object, properties: {kind: ...}, discriminator: {propertyName: kind}}
//! Cat: {allOf: [{$ref: Pet}, {properties: {lives: ...}}]}
//! ```
//!
//! says that a `Pet` is a `Cat` or another schema extending it, chosen by
//! `kind`. The rest of the generator already models that as a tagged
//! `oneOf`, so the document is rewritten into it: the base's own schema moves
//! to a new component `PetBase`, the subtypes' `allOf` extend `PetBase`, and
//! `Pet` becomes `{oneOf: [Cat, ...], discriminator}`. Every view, union and
//! naming rule then applies unchanged.

use crate::diagnostics::Collector;
use crate::model::resolve::component_name;
use crate::pointer::Pointer;
use serde_json::{Map, Value, json};

/// `#/components/schemas`.
fn schemas_pointer() -> Pointer {
    Pointer::root().push("components").push("schemas")
}

/// A base schema and the schemas that extend it.
struct Base {
    name: String,
    /// The name the base's own schema moves to.
    own: String,
    /// Tag value and subtype name, in `mapping` order then document order.
    variants: Vec<(String, String)>,
}

/// Rewrites every component schema with a `discriminator` but no
/// `oneOf`/`anyOf` that has subtypes (named in its `mapping`, or with an
/// `allOf` member referencing it) into a union of them.
pub(super) fn subtypes_as_unions(doc: &mut Value, diags: &mut Collector) {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let bases = find_bases(schemas);
    for base in &bases {
        let Some(Value::Object(mut own)) = schemas.get(&base.name).cloned() else {
            continue;
        };
        own.remove("discriminator");
        schemas.insert(base.own.clone(), Value::Object(own));
        diags.moved(
            schemas_pointer().push(&base.own),
            schemas_pointer().push(&base.name),
        );
    }
    // Subtypes (and bases extending other bases) now extend the base's own
    // schema, not the union.
    let reference = |name: &str| schemas_pointer().push(name).to_string();
    for (name, schema) in schemas.iter_mut() {
        if bases.iter().any(|b| &b.name == name) {
            continue;
        }
        let Some(members) = schema.get_mut("allOf").and_then(Value::as_array_mut) else {
            continue;
        };
        for member in members {
            if let Some(Value::String(r)) = member.get_mut("$ref") {
                if let Some(base) = bases.iter().find(|b| *r == reference(&b.name)) {
                    *r = reference(&base.own);
                }
            }
        }
    }
    for base in &bases {
        let Some(Value::Object(original)) = schemas.get(&base.name) else {
            continue;
        };
        let mut union = Map::new();
        for keyword in [
            "title",
            "description",
            "deprecated",
            "nullable",
            "externalDocs",
        ] {
            if let Some(v) = original.get(keyword) {
                union.insert(keyword.into(), v.clone());
            }
        }
        let Some(Value::Object(mut discriminator)) = original.get("discriminator").cloned() else {
            continue;
        };
        let target = |name: &str| {
            // A base that is also a concrete type is its own schema.
            let name = if name == base.name { &base.own } else { name };
            reference(name)
        };
        let mut mapping = Map::new();
        let mut one_of = Vec::new();
        for (tag, name) in &base.variants {
            mapping.insert(tag.clone(), Value::String(target(name)));
            let variant = json!({ "$ref": target(name) });
            if !one_of.contains(&variant) {
                one_of.push(variant);
            }
        }
        discriminator.insert("mapping".into(), Value::Object(mapping));
        union.insert("oneOf".into(), Value::Array(one_of));
        union.insert("discriminator".into(), Value::Object(discriminator));
        let at = schemas_pointer().push(&base.name);
        diags.moved(at.push("oneOf"), at.push("discriminator").push("mapping"));
        schemas.insert(base.name.clone(), Value::Object(union));
    }
}

fn find_bases(schemas: &Map<String, Value>) -> Vec<Base> {
    let mut bases = Vec::new();
    for (name, schema) in schemas {
        let Some(discriminator) = schema.get("discriminator").and_then(Value::as_object) else {
            continue;
        };
        if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
            continue;
        }
        let mut variants: Vec<(String, String)> = Vec::new();
        if let Some(Value::Object(mapping)) = discriminator.get("mapping") {
            for (tag, target) in mapping {
                let Some(target) = target.as_str() else {
                    continue;
                };
                // `#/components/schemas/Cat`, or the bare name `Cat`.
                let subtype =
                    match Pointer::parse(target).and_then(|p| component_name(&p, "schemas")) {
                        Some(name) => name,
                        None if !target.contains('/') && !target.starts_with('#') => target.into(),
                        None => continue,
                    };
                if schemas.contains_key(&subtype) {
                    variants.push((tag.clone(), subtype));
                }
            }
        }
        let reference = schemas_pointer().push(name).to_string();
        for (other, schema) in schemas {
            let extends = schema
                .get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|members| {
                    members
                        .iter()
                        .any(|m| m.get("$ref").and_then(Value::as_str) == Some(reference.as_str()))
                });
            if extends && !variants.iter().any(|(_, n)| n == other) {
                variants.push((other.clone(), other.clone()));
            }
        }
        if variants.iter().all(|(_, n)| n == name) {
            continue;
        }
        let mut own = format!("{name}Base");
        let mut n = 2;
        while schemas.contains_key(&own) || bases.iter().any(|b: &Base| b.own == own) {
            own = format!("{name}Base{n}");
            n += 1;
        }
        bases.push(Base {
            name: name.clone(),
            own,
            variants,
        });
    }
    bases
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeKind, TypeRef};

    fn spec(schemas: &str) -> String {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        )
    }

    fn kind<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
        &api.types.iter().find(|t| t.name == name).unwrap().kind
    }

    /// The union's variants: type name and tags.
    fn variants(api: &Api, name: &str) -> Vec<(String, Vec<String>)> {
        let TypeKind::Union(u) = kind(api, name) else {
            panic!("{name} is {:?}", kind(api, name))
        };
        u.variants
            .iter()
            .map(|v| match &v.ty {
                TypeRef::Named(id) => (api.ty(*id).name.clone(), v.tags.clone()),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    fn pair(name: &str, tag: &str) -> (String, Vec<String>) {
        (name.into(), vec![tag.into()])
    }

    /// The type an alias names.
    fn alias_of<'a>(api: &'a Api, name: &str) -> &'a str {
        match kind(api, name) {
            TypeKind::Alias(TypeRef::Named(id)) => &api.ty(*id).name,
            other => panic!("{name} is {other:?}"),
        }
    }

    #[test]
    fn a_concrete_base_and_an_empty_subtype_are_variants_of_the_base_struct() {
        let (api, warnings) = crate::model(&spec(
            "    Pet:
      type: object
      properties: {kind: {type: string}, name: {type: string}}
      discriminator: {propertyName: kind, mapping: {pet: Pet, dog: '#/components/schemas/Dog'}}
    Dog:
      allOf: [{$ref: '#/components/schemas/Pet'}]
    PetBase: {type: string}
",
        ))
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        // `PetBase` is taken, so the base's own schema is `PetBase2`; `Dog`
        // adds nothing to it, so it is that struct too, never the union.
        assert_eq!(
            variants(&api, "Pet"),
            [pair("PetBase2", "pet"), pair("Dog", "dog")]
        );
        assert_eq!(alias_of(&api, "Dog"), "PetBase2");
    }

    #[test]
    fn subtypes_of_subtypes_extend_their_own_base() {
        let (api, _) = crate::model(&spec(
            "    Animal:
      type: object
      properties: {kind: {type: string}}
      discriminator: {propertyName: kind}
    Pet:
      allOf: [{$ref: '#/components/schemas/Animal'}, {properties: {owner: {type: string}}}]
      discriminator: {propertyName: kind}
    Dog:
      allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {barks: {type: boolean}}}]
    Fish:
      allOf: [{$ref: '#/components/schemas/Animal'}]
",
        ))
        .unwrap();
        assert_eq!(
            variants(&api, "Animal"),
            [pair("Pet", "Pet"), pair("Fish", "Fish")]
        );
        // A union of one alternative is that alternative.
        assert_eq!(alias_of(&api, "Pet"), "Dog");
        let TypeKind::Struct(s) = kind(&api, "Dog") else {
            panic!()
        };
        let names: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
        assert_eq!(names, ["kind", "owner", "barks"]);
    }

    #[test]
    fn problems_in_the_base_are_reported_at_the_base() {
        let (_, warnings) = crate::model(&spec(
            "    Pet:
      type: object
      properties: {kind: {type: string}, odd: {not: {type: string}}}
      discriminator: {propertyName: kind}
    Cat:
      allOf: [{$ref: '#/components/schemas/Pet'}]
",
        ))
        .unwrap();
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/components/schemas/Pet/properties/odd"]);
        assert_eq!(warnings[0].line, Some(8), "{warnings:?}");
    }

    #[test]
    fn a_base_nothing_extends_stays_a_struct_with_a_warning() {
        let (api, warnings) = crate::model(&spec(
            "    Pet:
      type: object
      properties: {kind: {type: string}}
      discriminator: {propertyName: kind, mapping: {x: '#/components/schemas/Missing'}}
",
        ))
        .unwrap();
        assert!(matches!(api.types[0].kind, TypeKind::Struct(_)));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].pointer, "#/components/schemas/Pet");
    }
}
