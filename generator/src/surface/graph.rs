//! Facts about the type graph that the emitter and the change report read:
//! which references must be boxed (recursion), which aliases must be
//! newtypes (an alias cannot refer to itself), which types can derive
//! `Default`, and which mention deprecated types.

use crate::ir::{Api, TypeId, TypeKind, TypeRef};

pub struct TypeGraph {
    /// Strongly connected component of each type in the by-value graph.
    component: Vec<usize>,
    /// Types with a by-value edge to themselves.
    self_loop: Vec<bool>,
    newtype: Vec<bool>,
    defaultable: Vec<bool>,
}

impl TypeGraph {
    pub fn new(api: &Api) -> Self {
        let n = api.types.len();
        // Aliases whose expansion reaches themselves through other aliases
        // (`type A = Vec<A>`) become newtype structs.
        let alias_edges: Vec<Vec<usize>> = api
            .types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Alias(target) => target
                    .named()
                    .filter(|id| matches!(api.ty(*id).kind, TypeKind::Alias(_)))
                    .map(|id| vec![id.0])
                    .unwrap_or_default(),
                _ => Vec::new(),
            })
            .collect();
        let (alias_scc, _) = strongly_connected(&alias_edges);
        let mut newtype = vec![false; n];
        for (i, edges) in alias_edges.iter().enumerate() {
            if edges.iter().any(|j| alias_scc[*j] == alias_scc[i]) {
                newtype[i] = true;
            }
        }

        // By-value edges: a struct holds its fields, a union its variants, an
        // alias is its target. Vec and map contents live on the heap.
        let value_edges: Vec<Vec<usize>> = api
            .types
            .iter()
            .map(|t| {
                let mut out = Vec::new();
                match &t.kind {
                    TypeKind::Struct(s) => s
                        .fields
                        .iter()
                        .for_each(|f| named_by_value(&f.ty, &mut out)),
                    TypeKind::Union(u) => u
                        .variants
                        .iter()
                        .for_each(|v| named_by_value(&v.ty, &mut out)),
                    TypeKind::Alias(target) => named_by_value(target, &mut out),
                    TypeKind::Enum(_) => {}
                }
                out
            })
            .collect();
        let (component, _) = strongly_connected(&value_edges);
        let self_loop = (0..n).map(|i| value_edges[i].contains(&i)).collect();

        // Default: structs whose required fields all have a default.
        let mut defaultable: Vec<bool> = api
            .types
            .iter()
            .map(|t| matches!(t.kind, TypeKind::Struct(_) | TypeKind::Alias(_)))
            .collect();
        loop {
            let mut changed = false;
            for (i, t) in api.types.iter().enumerate() {
                if !defaultable[i] {
                    continue;
                }
                let ok = match &t.kind {
                    TypeKind::Struct(s) => s
                        .fields
                        .iter()
                        .all(|f| !f.required || f.nullable || has_default(&f.ty, &defaultable)),
                    TypeKind::Alias(target) => has_default(target, &defaultable),
                    _ => false,
                };
                if !ok {
                    defaultable[i] = false;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        TypeGraph {
            component,
            self_loop,
            newtype,
            defaultable,
        }
    }

    pub fn is_newtype(&self, id: TypeId) -> bool {
        self.newtype[id.0]
    }

    pub fn is_defaultable(&self, id: TypeId) -> bool {
        self.defaultable[id.0]
    }

    /// Whether a field of `owner` with type `ty` holds a type that contains
    /// `owner` by value (a recursive type needs a `Box` there).
    pub fn needs_box(&self, owner: TypeId, ty: &TypeRef) -> bool {
        let target = match ty {
            TypeRef::Named(id) => id.0,
            TypeRef::Nullable(inner) => match inner.as_ref() {
                TypeRef::Named(id) => id.0,
                _ => return false,
            },
            _ => return false,
        };
        if target == owner.0 {
            return self.self_loop[owner.0];
        }
        self.component[target] == self.component[owner.0]
    }

    /// Union variants holding structs are boxed, so one large alternative
    /// does not make every value large (and recursion works).
    pub fn boxed_variant(&self, api: &Api, owner: TypeId, ty: &TypeRef) -> bool {
        self.needs_box(owner, ty) || is_large(api, ty)
    }

    /// Whether the definition of `id` refers to a deprecated type.
    pub fn mentions_deprecated(&self, api: &Api, id: TypeId) -> bool {
        api.ty(id)
            .kind
            .refs()
            .iter()
            .filter_map(|t| t.named())
            .any(|i| api.ty(i).deprecated)
    }
}

/// Whether values of `ty` are a struct or a union, directly, as a nullable
/// value (`Option` of a large value is as large) or through aliases: an enum
/// variant holding one is boxed, so that one large alternative does not make
/// every value of the enum large.
pub fn is_large(api: &Api, ty: &TypeRef) -> bool {
    large(api, ty, &mut Vec::new())
}

/// `is_large`, with the aliases followed so far: aliases can reach each other
/// through a nullable (`A: B`, `B: A or null`), which the model keeps (as
/// newtypes); such a cycle holds no struct by value.
fn large(api: &Api, ty: &TypeRef, seen: &mut Vec<TypeId>) -> bool {
    match ty {
        TypeRef::Nullable(inner) => large(api, inner, seen),
        TypeRef::Named(id) if !seen.contains(id) => {
            seen.push(*id);
            match &api.ty(*id).kind {
                TypeKind::Struct(_) | TypeKind::Union(_) => true,
                TypeKind::Alias(inner) => large(api, inner, seen),
                _ => false,
            }
        }
        _ => false,
    }
}

fn has_default(ty: &TypeRef, defaultable: &[bool]) -> bool {
    match ty {
        TypeRef::Named(id) => defaultable[id.0],
        _ => true,
    }
}

fn named_by_value(ty: &TypeRef, out: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(id) => out.push(id.0),
        TypeRef::Nullable(inner) => named_by_value(inner, out),
        _ => {}
    }
}

/// Tarjan's algorithm, iterative (schemas can be deep): the component of
/// each node and the number of components.
fn strongly_connected(edges: &[Vec<usize>]) -> (Vec<usize>, usize) {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut count = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // (node, position in its edge list)
        let mut work: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next_index;
        low[start] = next_index;
        next_index += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some((node, pos)) = work.last_mut() {
            let node = *node;
            if let Some(&next) = edges[node].get(*pos) {
                *pos += 1;
                if index[next] == usize::MAX {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some((parent, _)) = work.last() {
                low[*parent] = low[*parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = count;
                    if member == node {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    (component, count)
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn components_group_cycles() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 alone
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![]];
        let (c, count) = strongly_connected(&edges);
        assert_eq!(count, 3);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[3]);
    }
}
