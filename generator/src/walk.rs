//! The one walk over the type references of the IR: every pass that follows
//! references (renumbering types, imports, deprecation notes, what is sent or
//! received, the type graph) goes through these, so a new kind of type or
//! body is followed everywhere at once.

use crate::ir::{BodyKind, Operation, ResponseBody, TypeId, TypeKind, TypeRef};

impl TypeRef {
    /// The reference under any arrays, maps and nullables (`Vec<Option<T>>`
    /// gives `T`).
    pub fn innermost(&self) -> &TypeRef {
        match self {
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.innermost()
            }
            TypeRef::Named(_) | TypeRef::Primitive(_) | TypeRef::Any => self,
        }
    }

    /// The named type under any arrays, maps and nullables.
    pub fn named(&self) -> Option<TypeId> {
        match self.innermost() {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }

    pub fn innermost_mut(&mut self) -> &mut TypeRef {
        match self {
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.innermost_mut()
            }
            TypeRef::Named(_) | TypeRef::Primitive(_) | TypeRef::Any => self,
        }
    }
}

impl TypeKind {
    /// Every type reference directly inside the definition: fields and
    /// additional properties, union variants, an alias's target.
    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(s.additional.as_ref())
                .collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    pub fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .map(|f| &mut f.ty)
                .chain(s.additional.as_mut())
                .collect(),
            TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

impl Operation {
    /// The type references of what the operation sends: parameters and the
    /// body (JSON, form or multipart).
    pub fn sent_refs(&self) -> Vec<&TypeRef> {
        let body = self.body.as_ref().and_then(|b| match &b.kind {
            BodyKind::Json(t) | BodyKind::Form(t) | BodyKind::Multipart(t) => Some(t),
            BodyKind::Binary | BodyKind::Text => None,
        });
        self.params.iter().map(|p| &p.ty).chain(body).collect()
    }

    /// The type references of what the operation receives: JSON response
    /// bodies and, when it pages, the item type.
    pub fn received_refs(&self) -> Vec<&TypeRef> {
        self.responses
            .iter()
            .filter_map(|r| match &r.body {
                ResponseBody::Json(t) => Some(t),
                ResponseBody::Empty | ResponseBody::Text | ResponseBody::Binary => None,
            })
            .chain(self.pagination.as_ref().map(|p| &p.item))
            .collect()
    }

    /// Every type reference of the operation.
    pub fn refs(&self) -> Vec<&TypeRef> {
        let mut refs = self.sent_refs();
        refs.extend(self.received_refs());
        refs
    }

    pub fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        let body = self.body.as_mut().and_then(|b| match &mut b.kind {
            BodyKind::Json(t) | BodyKind::Form(t) | BodyKind::Multipart(t) => Some(t),
            BodyKind::Binary | BodyKind::Text => None,
        });
        let responses = self.responses.iter_mut().filter_map(|r| match &mut r.body {
            ResponseBody::Json(t) => Some(t),
            ResponseBody::Empty | ResponseBody::Text | ResponseBody::Binary => None,
        });
        self.params
            .iter_mut()
            .map(|p| &mut p.ty)
            .chain(body)
            .chain(responses)
            .chain(self.pagination.as_mut().map(|p| &mut p.item))
            .collect()
    }
}

impl crate::ir::Api {
    /// The named types a value of `from` can contain, itself included, in
    /// type order.
    pub fn reachable(&self, from: &TypeRef) -> Vec<TypeId> {
        let reached = self.reachable_from(from.named());
        (0..self.types.len())
            .filter(|i| reached[*i])
            .map(TypeId)
            .collect()
    }

    /// Which types (by index) values of the `roots` can contain, roots
    /// included.
    pub fn reachable_from(&self, roots: impl IntoIterator<Item = TypeId>) -> Vec<bool> {
        let mut seen = vec![false; self.types.len()];
        let mut next: Vec<TypeId> = roots.into_iter().collect();
        while let Some(id) = next.pop() {
            if std::mem::replace(&mut seen[id.0], true) {
                continue;
            }
            next.extend(self.ty(id).kind.refs().iter().filter_map(|r| r.named()));
        }
        seen
    }
}
