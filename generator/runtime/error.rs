//! Errors returned by operations and by client construction.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::fmt;

/// Headers that carry the server's id for a request, in order of preference.
const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "request-id", "x-correlation-id"];

/// The id the server gave the request, for support tickets and logs.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

/// Everything an operation can fail with. `E` is the operation's enum of
/// documented error responses (for example `PatchSecretError`).
///
/// The variants that carry a response are boxed to keep `Result`s small.
#[derive(Debug)]
pub enum Error<E> {
    /// The server answered with an error status the operation documents;
    /// the body is decoded into `E`.
    Api(Box<ApiError<E>>),
    /// The server answered with a status the operation does not document.
    UnexpectedStatus(Box<UnexpectedResponse>),
    /// The response body did not match the documented schema.
    Decode(Box<DecodeError>),
    /// Connecting, sending or receiving failed, or the request timed out
    /// ([`Error::is_timeout`]).
    Transport(reqwest::Error),
    /// The request could not be built from the arguments.
    Build(BuildError),
    /// A [`Hook`](crate::Hook) stopped the request before an attempt.
    Hook(crate::HookError),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(e) => e.status(),
            Error::Build(_) | Error::Hook(_) => None,
        }
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.headers),
            Error::UnexpectedStatus(e) => Some(&e.headers),
            Error::Decode(e) => Some(&e.headers),
            Error::Transport(_) | Error::Build(_) | Error::Hook(_) => None,
        }
    }

    /// The server's id for the request (`X-Request-ID`), when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.headers().and_then(request_id)
    }

    /// The decoded body of a documented error response.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: connection failures,
    /// timeouts, and the statuses 408, 429 and 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_connect() || e.is_timeout(),
            Error::Build(_) | Error::Hook(_) => false,
            _ => self.status().is_some_and(is_retryable_status),
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }
}

/// Statuses that say "try again": 408, 429 and 5xx.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "the API answered {}: {:?}", e.status, e.body),
            Error::UnexpectedStatus(e) => write!(
                f,
                "the API answered with an undocumented status {}: {}",
                e.status,
                excerpt(&e.body)
            ),
            Error::Decode(e) => e.fmt(f),
            Error::Transport(e) => write!(f, "the request failed: {}", ErrorChain(e)),
            Error::Build(e) => e.fmt(f),
            Error::Hook(e) => write!(f, "a hook stopped the request: {}", ErrorChain(e.as_ref())),
        }
    }
}

/// The message of every variant includes its causes (a transport error's
/// "connection refused", a decode error's position), so `source` is `None`;
/// match the variant for the underlying error.
impl<E: fmt::Debug> std::error::Error for Error<E> {}

impl<E> From<BuildError> for Error<E> {
    fn from(e: BuildError) -> Self {
        Error::Build(e)
    }
}

/// An error and its causes, `: `-separated (reqwest's errors say what failed
/// but leave the cause, such as "connection refused", to their source).
pub(crate) struct ErrorChain<'a>(pub(crate) &'a dyn std::error::Error);

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

/// A transport error for logs: what failed and why, without the URL (its
/// query may carry values the caller would not log).
pub(crate) struct TransportSummary<'a>(pub(crate) &'a reqwest::Error);

impl fmt::Display for TransportSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        let what = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else if e.is_body() || e.is_decode() {
            "reading the response failed"
        } else {
            "sending the request failed"
        };
        f.write_str(what)?;
        if let Some(source) = std::error::Error::source(e) {
            write!(f, ": {}", ErrorChain(source))?;
        }
        Ok(())
    }
}

/// A documented error response.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The decoded body; its variant names the documented status.
    pub body: E,
}

impl<E> ApiError<E> {
    /// The server's id for the request (`X-Request-ID`), when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

/// A response with a status the operation does not document.
#[derive(Debug, Clone)]
pub struct UnexpectedResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Bytes,
}

/// A response body that does not match its documented schema.
#[derive(Debug)]
pub struct DecodeError {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// Where in the body decoding failed, as a path of fields and list
    /// indices (`results[0].created_at`); `.` is the body itself. An error
    /// inside a union that is the last field of its object names the object.
    pub path: String,
    /// The Rust type the body was decoded as (`ThingList`).
    pub expected: String,
    pub source: serde_json::Error,
    /// The whole body, as received.
    pub body: Bytes,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the {} response body as {}: ",
            self.status, self.expected
        )?;
        if self.path != "." {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{} (body: {})", self.source, excerpt(&self.body))
    }
}

/// A type's name without module paths (`Vec<ThingList>`, not
/// `alloc::vec::Vec<my_api::types::ThingList>`), and without the `Box`
/// that error variants wrap bodies in.
pub(crate) fn short_type_name(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    // Where the current path segment started in `out`.
    let mut segment = 0;
    let mut rest = full;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("::") {
            out.truncate(segment);
            rest = after;
            continue;
        }
        out.push(c);
        if !(c.is_alphanumeric() || c == '_') {
            segment = out.len();
        }
        rest = &rest[c.len_utf8()..];
    }
    match out.strip_prefix("Box<").and_then(|s| s.strip_suffix('>')) {
        Some(inner) => inner.to_string(),
        None => out,
    }
}

/// The first bytes of a body as text, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 512;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX)]);
    if body.len() > MAX {
        format!("{text}...")
    } else if body.is_empty() {
        "<empty>".to_string()
    } else {
        text.into_owned()
    }
}

/// A request that could not be built: a value that cannot be sent in a
/// path, query or header, or a body that failed to encode or open.
#[derive(Debug)]
pub struct BuildError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl BuildError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        BuildError {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        BuildError {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(source) => write!(f, "{}: {}", self.message, ErrorChain(source.as_ref())),
            None => f.write_str(&self.message),
        }
    }
}

/// The message includes the causes.
impl std::error::Error for BuildError {}

/// Why a client could not be configured.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// No API key was given, and the environment variable holding one is unset.
    MissingApiKey { variable: String },
    /// An API key or header value that cannot be sent in a header.
    InvalidHeader { name: String, reason: String },
    /// The base URL does not parse.
    InvalidBaseUrl { url: String, reason: String },
    /// The base URL is `https`, but the crate was built without a TLS
    /// feature (`rustls`, `rustls-aws-lc-rs` or `native-tls`).
    TlsUnavailable { url: String },
    /// The HTTP client could not be created (TLS initialisation).
    Http(reqwest::Error),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingApiKey { variable } => write!(
                f,
                "no API key: pass one to the client builder or set {variable}"
            ),
            ConfigError::InvalidHeader { name, reason } => {
                write!(f, "invalid header {name}: {reason}")
            }
            ConfigError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL {url:?}: {reason}")
            }
            ConfigError::TlsUnavailable { url } => write!(
                f,
                "base URL {url:?} needs TLS, but this crate was built without it: \
                 enable its `rustls` or `native-tls` feature, or pass a client to `http_client`"
            ),
            ConfigError::Http(e) => write!(f, "could not create the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Http(e) => Some(e),
            _ => None,
        }
    }
}

/// Where in a JSON body serde_json stopped with `error`, as a path of fields
/// and list indices (`results[3].size`; `.` for the body itself).
///
/// Read from the error's line and column, in one pass over the body that is
/// compiled once: decoding again with a path-tracking deserializer would
/// compile every response type's decoder a second time. The place is the
/// one serde's path tracking names: the value being read when decoding
/// failed (a field of the wrong type, an unknown enum value), or the
/// object or list that was (a missing field, a syntax error after a value,
/// the body ending early). One place is named less closely: serde_json
/// reports an error inside a value that is read whole before it is decoded
/// (a union, an internally tagged object) where it reports a missing field,
/// so when that value is the last of its object, the object is named.
pub(crate) fn json_path(body: &[u8], error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let category = error.classify();
    let mut end = consumed(body, error.line(), error.column());
    // The last byte a syntax error read is the one at fault; what came
    // before it says where. A `]` there ends a list after a comma.
    let mut list_ends = false;
    if category == Category::Syntax {
        end = end.saturating_sub(1);
        list_ends = body.get(end) == Some(&b']');
    }
    let end = end.min(body.len());
    // After a whole value, a syntax error or the end of the body is the
    // container's: it was reading on.
    let reading_on = matches!(category, Category::Eof | Category::Syntax);
    let eof = category == Category::Eof;

    let mut open: Vec<Container> = Vec::new();
    let mut last = Last::Between;
    let mut i = 0;
    while i < end {
        let byte = body[i];
        let awaits_key = matches!(open.last(), Some(Container::Object { colon: false, .. }));
        i += 1;
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => continue,
            b'{' => open.push(Container::Object {
                key: None,
                colon: false,
            }),
            b'[' => open.push(Container::List { index: 0 }),
            b'}' | b']' => {
                let path = place(&open[..open.len().saturating_sub(1)]);
                open.pop();
                last = Last::Closed(path);
                continue;
            }
            b':' => {
                if let Some(Container::Object { colon, .. }) = open.last_mut() {
                    *colon = true;
                }
            }
            b',' => match open.last_mut() {
                Some(Container::Object { key, colon }) => {
                    *key = None;
                    *colon = false;
                }
                Some(Container::List { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let close = string_end(body, i);
                if awaits_key {
                    if let Some(Container::Object { key, .. }) = open.last_mut() {
                        let inner = body.get(i..close).unwrap_or_default();
                        let quoted = body.get(i - 1..=close).unwrap_or_default();
                        *key = Some(
                            serde_json::from_slice(quoted)
                                .unwrap_or_else(|_| String::from_utf8_lossy(inner).into_owned()),
                        );
                    }
                    last = Last::Between;
                } else {
                    last = if close < end {
                        Last::Value
                    } else {
                        Last::Partial
                    };
                }
                i = close + 1;
                continue;
            }
            _ => {
                // A number, `true`, `false`, `null`, or what is not JSON.
                let start = i - 1;
                while i < end && !b" \t\n\r,:{}[]\"".contains(&body[i]) {
                    i += 1;
                }
                last = if awaits_key {
                    Last::Between
                } else if unfinished(&body[start..i]) {
                    Last::Partial
                } else {
                    Last::Value
                };
                continue;
            }
        }
        last = Last::Between;
    }
    let container = |open: &[Container]| place(&open[..open.len().saturating_sub(1)]);
    match last {
        Last::Value if reading_on => container(&open),
        Last::Value | Last::Partial => place(&open),
        Last::Closed(path) if !reading_on => path,
        Last::Closed(_) => container(&open),
        // Between tokens: the value a key announced, the next item of a
        // list, or the container itself.
        Last::Between => match open.last() {
            Some(Container::Object { colon: true, .. }) => place(&open),
            Some(Container::List { .. }) if !eof && !list_ends => place(&open),
            _ => container(&open),
        },
    }
}

/// An object or list being read, with where in it the reading is.
enum Container {
    Object { key: Option<String>, colon: bool },
    List { index: usize },
}

/// What the last token read was.
enum Last {
    /// Nothing since a key, a `:` or a `,`, or an opening bracket.
    Between,
    /// A whole scalar or string value.
    Value,
    /// A string the error stopped inside.
    Partial,
    /// The end of an object or list, at this path.
    Closed(String),
}

/// Whether a scalar stops short: the start of `true`, `false` or `null`, or a
/// number without its last digits.
fn unfinished(token: &[u8]) -> bool {
    let word = [&b"true"[..], b"false", b"null"]
        .iter()
        .any(|word| word.len() > token.len() && word.starts_with(token));
    let number = matches!(token.first(), Some(b'-' | b'0'..=b'9'));
    word || number && matches!(token.last(), Some(b'-' | b'+' | b'.' | b'e' | b'E'))
}

/// The index of the quote that ends the string whose text starts at `from`
/// (the body's length when none does).
fn string_end(body: &[u8], mut from: usize) -> usize {
    while from < body.len() {
        match body[from] {
            b'\\' => from += 2,
            b'"' => return from,
            _ => from += 1,
        }
    }
    body.len()
}

/// The number of bytes read when serde_json stopped at `line`:`column`
/// (both counted from 1; the column in bytes).
fn consumed(body: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match body[start..].iter().position(|&b| b == b'\n') {
            Some(n) => start += n + 1,
            None => break,
        }
    }
    start + column
}

/// The path of where each container is reading: `results[3].size`.
fn place(open: &[Container]) -> String {
    let mut path = String::new();
    for container in open {
        match container {
            Container::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Container::Object { key: None, .. } => break,
            Container::List { index } => {
                use std::fmt::Write as _;
                let _ = write!(path, "[{index}]");
            }
        }
    }
    if path.is_empty() {
        ".".to_string()
    } else {
        path
    }
}
