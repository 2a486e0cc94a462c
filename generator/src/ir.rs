//! The intermediate model: what the emitters (and the change report) read.
//!
//! Every `$ref` is resolved, `allOf` is merged, readOnly/writeOnly views are
//! applied, and every name is already a final Rust identifier. Nothing here
//! refers back to `openapiv3`; `origin` pointers say where an item came from.

use serde::Serialize;

/// A whole API, ready to emit.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    pub title: String,
    /// `info.version`; in Gcore documents a content hash that changes with every
    /// publication, so the emitters write it in one place only.
    pub version: String,
    pub description: Option<String>,
    /// The first server URL, the client's default base URL.
    pub base_url: Option<String>,
    pub auth: Option<Auth>,
    /// Types in a deterministic order (by name); `TypeId` indexes this list.
    pub types: Vec<TypeDef>,
    /// Operations in path order, then method order.
    pub operations: Vec<Operation>,
    /// How many inline schemas were copies of another and share its type
    /// (`types.len() + merged_copies` types without the merge).
    pub merged_copies: usize,
}

impl Api {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// How requests authenticate, from the spec's `securitySchemes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Auth {
    /// The scheme's name in the spec (`APIKey`).
    pub scheme: String,
    pub location: AuthLocation,
    /// Header or query parameter name (`Authorization`).
    pub name: String,
    /// Word put before the key (`APIKey` gives `Authorization: APIKey <key>`),
    /// added only when the user's key does not start with it already.
    pub prefix: Option<String>,
    /// The scheme's `description`, shown in the crate's README.
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AuthLocation {
    Header,
    Query,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TypeId(pub usize);

/// Which way a schema's values travel. A schema with readOnly or writeOnly
/// properties gets a separate type per direction it is used in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum View {
    /// The schema has no direction-dependent properties: one type serves both.
    Neutral,
    /// Sent to the server: readOnly properties are left out.
    Input,
    /// Received from the server: writeOnly properties are left out.
    Output,
}

/// Documentation gathered from a schema or operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Constraints, defaults and examples, one short sentence each.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub name: String,
    /// JSON pointer of the schema the type was made from.
    pub origin: crate::pointer::Pointer,
    pub view: View,
    pub docs: Docs,
    pub deprecated: bool,
    pub kind: TypeKind,
    /// What the type's schema asks of a value beyond its Rust type (for an
    /// alias of a primitive or array: its format, bounds, pattern...).
    pub constraints: Constraints,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// A named schema that is not an object, enum or union: `type Name = ...;`.
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Value type of properties not listed (`additionalProperties`).
    pub additional: Option<TypeRef>,
    /// A `oneOf` beside the properties whose alternatives only list
    /// required properties (wire names): a value has exactly one list. The
    /// type does not check it (the server does); synthesised values meet it.
    pub one_of_required: Vec<Vec<String>>,
    /// `minProperties`, met by synthesised values with additional ones.
    pub min_properties: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Rust identifier, possibly raw (`r#type`).
    pub name: String,
    /// Property name on the wire.
    pub wire: String,
    pub ty: TypeRef,
    pub required: bool,
    /// The value may be `null`.
    pub nullable: bool,
    pub docs: Docs,
    pub deprecated: bool,
    /// writeOnly or a password: never shown by `Debug`.
    pub secret: bool,
    /// The field holds alternatives (`oneOf`/`anyOf`) of the object itself:
    /// their properties sit beside the struct's own (`#[serde(flatten)]`).
    /// `wire` is the keyword it came from.
    pub flatten: bool,
    /// The spec's `default`, used to decode a required field the server
    /// leaves out.
    pub default: Option<serde_json::Value>,
    /// The spec's `example` of the value, for synthesised values.
    pub example: Option<serde_json::Value>,
    /// What the spec asks of the value beyond its type.
    pub constraints: Constraints,
}

/// What a schema asks of a value beyond its Rust type (bounds, lengths,
/// `pattern`, a `format` the type does not carry): written in the docs and
/// met by synthesised values ([`crate::synth`]). The generated types do not
/// check them: the server does.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    pub format: Option<Format>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub multiple_of: Option<serde_json::Number>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// An ECMA-262 regular expression the string matches somewhere.
    pub pattern: Option<String>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    /// The constraints of an array's items or a map's values.
    pub items: Option<Box<Constraints>>,
}

/// A numeric bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bound {
    /// As written: integers stay exact.
    pub value: serde_json::Number,
    pub exclusive: bool,
}

/// A `format` the generator knows (`model/format.rs` reads the keyword and
/// decides which have a Rust type of their own: those are [`Primitive`]s,
/// the others stay `String`s, `i64`s or `f64`s with their format in the
/// docs and in [`Constraints::format`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Format {
    DateTime,
    Date,
    Uuid,
    Binary,
    /// Base64 (`byte`).
    Byte,
    Password,
    Email,
    Hostname,
    Ipv4,
    Ipv6,
    Uri,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Float,
    Double,
    /// Any other format, as written.
    Other(String),
}

/// A reference to a type from a field, parameter, body or other type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum TypeRef {
    Named(TypeId),
    Primitive(Primitive),
    Array(Box<TypeRef>),
    /// String-keyed map.
    Map(Box<TypeRef>),
    /// `null` or the inner type (inside arrays, maps and unions; fields carry
    /// nullability in [`Field::nullable`]).
    Nullable(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Primitive {
    String,
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    DateTime,
    Date,
    Uuid,
    /// `format: binary`: raw bytes.
    Binary,
}

impl Primitive {
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Primitive::I8
                | Primitive::I16
                | Primitive::I32
                | Primitive::I64
                | Primitive::U8
                | Primitive::U16
                | Primitive::U32
                | Primitive::U64
        )
    }

    /// Whether this integer type holds `value` (false for other types).
    pub fn holds(self, value: i128) -> bool {
        let (min, max) = match self {
            Primitive::I8 => (i128::from(i8::MIN), i128::from(i8::MAX)),
            Primitive::I16 => (i128::from(i16::MIN), i128::from(i16::MAX)),
            Primitive::I32 => (i128::from(i32::MIN), i128::from(i32::MAX)),
            Primitive::I64 => (i128::from(i64::MIN), i128::from(i64::MAX)),
            Primitive::U8 => (0, i128::from(u8::MAX)),
            Primitive::U16 => (0, i128::from(u16::MAX)),
            Primitive::U32 => (0, i128::from(u32::MAX)),
            Primitive::U64 => (0, i128::from(u64::MAX)),
            _ => return false,
        };
        (min..=max).contains(&value)
    }
}

/// An enum of strings or of integers: every variant's value is of one kind
/// (`model` builds no other).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    /// Name of the catch-all variant holding values the spec did not list.
    pub unknown: String,
}

impl Enum {
    /// Whether the values are integers rather than strings.
    pub fn is_integer(&self) -> bool {
        matches!(
            self.variants.first().map(|v| &v.value),
            Some(EnumValue::Integer(_))
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumVariant {
    pub name: String,
    pub value: EnumValue,
}

/// An enum variant's wire value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum EnumValue {
    String(String),
    Integer(i64),
}

impl EnumValue {
    /// The value as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            EnumValue::String(s) => serde_json::Value::from(s.as_str()),
            EnumValue::Integer(i) => serde_json::Value::from(*i),
        }
    }
}

/// The value as written in docs and reports: a string without quotes.
impl std::fmt::Display for EnumValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnumValue::String(s) => f.write_str(s),
            EnumValue::Integer(i) => write!(f, "{i}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// Property whose value selects the variant (`discriminator.propertyName`);
    /// `None` for untagged unions, tried in order.
    pub tag: Option<String>,
    /// Name of the catch-all variant for unknown tags (tagged unions only).
    pub unknown: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Discriminator values selecting this variant.
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// `operationId`, or one derived from method and path.
    pub id: String,
    /// Client method (`patch_secret`).
    pub method_name: String,
    /// Operation struct (`PatchSecret`).
    pub type_name: String,
    /// Enum of the documented error responses (`PatchSecretError`).
    pub error_name: String,
    /// Enum of the success responses, used when they have different bodies.
    pub output_name: String,
    pub method: HttpMethod,
    /// Path template (`/fastedge/v1/secrets/{secret_id}`).
    pub path: String,
    /// JSON pointer of the operation (`#/paths/~1apps/get`).
    pub origin: crate::pointer::Pointer,
    /// The operation's first tag, which gives its module and cargo feature
    /// ([`crate::surface::features`]).
    pub tag: Option<String>,
    pub docs: Docs,
    pub deprecated: bool,
    /// Whether requests carry the API key.
    pub auth: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    pub pagination: Option<Pagination>,
}

/// The HTTP methods a path item can hold an operation for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method as sent (`GET`), which is also the name of its constant
    /// on `http::Method`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The method's key in a path item (`get`).
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    pub wire: String,
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub style: ParamStyle,
    pub docs: Docs,
    pub deprecated: bool,
    /// The spec's `example` of the value (the parameter's, else its
    /// schema's), for synthesised values.
    pub example: Option<serde_json::Value>,
    /// What the spec asks of the value beyond its type.
    pub constraints: Constraints,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    /// The parameter's `in` in the spec.
    pub fn key(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// How a query parameter's value is written (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamStyle {
    /// `name=a&name=b` (explode) or `name=a,b`.
    Form { explode: bool },
    /// `name[key]=value`.
    DeepObject,
    /// `a,b` in paths and headers.
    Simple,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Body {
    pub required: bool,
    pub content_type: String,
    pub kind: BodyKind,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BodyKind {
    Json(TypeRef),
    /// Raw bytes (`application/octet-stream` and other binary types).
    Binary,
    Text,
    /// `application/x-www-form-urlencoded`.
    Form(TypeRef),
    /// `multipart/form-data`: one part per property of the struct.
    Multipart(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub status: Status,
    pub description: String,
    pub body: ResponseBody,
    /// The media type of the body the client reads (`application/json`),
    /// as documented; `None` for an empty response.
    pub media_type: Option<String>,
    /// Identifier of the error or success variant (`Conflict`).
    pub variant: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Status {
    Code(u16),
    /// `4XX`: the first digit.
    Range(u16),
    Default,
}

impl Status {
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(&c),
            Status::Range(r) => r == 2,
            Status::Default => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ResponseBody {
    Empty,
    Json(TypeRef),
    Text,
    Binary,
}

/// An auto-paging list operation (see the README for the rule).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pagination {
    /// Field of the response holding the page's items.
    pub items_field: String,
    pub item: TypeRef,
    /// Field of the response holding the total count, when there is one.
    pub count_field: Option<String>,
    pub count_required: bool,
    /// Parameter (Rust name) carrying the offset and its type.
    pub offset_param: String,
    pub offset_ty: Primitive,
    pub offset_required: bool,
}
