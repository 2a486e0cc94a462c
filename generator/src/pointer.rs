//! JSON pointers (RFC 6901) into the document, written as URI fragments
//! (`#/paths/~1apps/get`): the one place that escapes and splits them.

use serde::Serialize;
use std::fmt;
use std::ops::Deref;

/// Where a node is in the document. Built from the root by pushing
/// unescaped tokens; read back as tokens. It reads as the `#/...` text it
/// is (`Deref<Target = str>`, `Display`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Pointer(String);

impl Pointer {
    /// `#`, the whole document.
    pub fn root() -> Pointer {
        Pointer("#".to_string())
    }

    /// A `#...` pointer as written (in a `$ref`, already percent-decoded);
    /// `None` for text that is not one.
    pub fn parse(text: &str) -> Option<Pointer> {
        (text == "#" || text.starts_with("#/")).then(|| Pointer(text.to_string()))
    }

    /// The pointer to `token` (unescaped) under this node.
    pub fn push(&self, token: &str) -> Pointer {
        let mut out = String::with_capacity(self.0.len() + token.len() + 1);
        out.push_str(&self.0);
        out.push('/');
        for c in token.chars() {
            match c {
                '~' => out.push_str("~0"),
                '/' => out.push_str("~1"),
                c => out.push(c),
            }
        }
        Pointer(out)
    }

    /// The unescaped tokens, from the root.
    pub fn tokens(&self) -> Vec<String> {
        match self.0.strip_prefix("#/") {
            Some(rest) => rest
                .split('/')
                .map(|t| t.replace("~1", "/").replace("~0", "~"))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The last token: a name for what the pointer points to (empty for
    /// the root).
    pub fn last_token(&self) -> String {
        self.tokens().pop().unwrap_or_default()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This pointer with its prefix `from` (itself or an ancestor) replaced
    /// by `to`; `None` when `from` is neither.
    pub fn rebase(&self, from: &Pointer, to: &Pointer) -> Option<Pointer> {
        let rest = self.0.strip_prefix(from.as_str())?;
        (rest.is_empty() || rest.starts_with('/')).then(|| Pointer(format!("{to}{rest}")))
    }

    /// How many tokens deep it is.
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// Back to the ancestor whose text is `len` bytes long (a length read
    /// from it earlier), for walks that go up and down the document.
    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }
}

impl Deref for Pointer {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Pointer> for String {
    fn from(p: Pointer) -> String {
        p.0
    }
}

impl From<&Pointer> for Pointer {
    fn from(p: &Pointer) -> Pointer {
        p.clone()
    }
}

/// A `#/...` text as written (literals in code and tests).
impl From<&str> for Pointer {
    fn from(text: &str) -> Pointer {
        Pointer(text.to_string())
    }
}

impl PartialEq<str> for Pointer {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Pointer {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_and_read_back() {
        let p = Pointer::root().push("paths").push("/apps/{id}").push("a~b");
        assert_eq!(p.as_str(), "#/paths/~1apps~1{id}/a~0b");
        assert_eq!(p.tokens(), ["paths", "/apps/{id}", "a~b"]);
        assert_eq!(p.last_token(), "a~b");
        assert_eq!(Pointer::parse("#/x~1y").unwrap().tokens(), ["x/y"]);
        assert!(Pointer::parse("x").is_none());
        assert!(Pointer::root().tokens().is_empty());
    }
}
