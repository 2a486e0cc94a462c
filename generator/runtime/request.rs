//! How an operation becomes an HTTP request and its response a result.
//!
//! Each operation in [`crate::operations`] is a plain struct of its
//! parameters implementing [`Operation`]. [`Request`] wraps one with the
//! client and per-request options; awaiting it sends the request.

use crate::Client;
use crate::client::OperationInfo;
use crate::error::{
    BuildError, DecodeError, Error, UnexpectedResponse, json_path, request_id, short_type_name,
};
use bytes::Bytes;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// One API operation: its parameters, how they are sent and how the
/// response is read.
pub trait Operation: Send + Sync {
    /// What a successful call returns.
    type Output: Send;
    /// The documented error responses.
    type Error: fmt::Debug + Send;
    /// The spec's `operationId`.
    const ID: &'static str;
    const METHOD: Method;
    /// The path template, as in the spec (used in logs, never filled in).
    const PATH: &'static str;
    /// Whether the request carries the API key.
    const AUTH: bool;
    /// The status of a success: the first documented 2xx (200 when the
    /// spec documents a range or none).
    const SUCCESS_STATUS: u16;
    /// The `Accept` header: the media types of the documented responses,
    /// successes and errors (empty when none has a body). A request that
    /// sets `Accept` itself (a documented header parameter) keeps its own.
    const ACCEPT: &'static str;

    /// Writes the path, query, headers and body into `parts`.
    fn build(&self, parts: &mut RequestParts) -> Result<(), BuildError>;

    /// Reads the response into the output or a documented error.
    fn decode(response: &RawResponse) -> Result<Self::Output, Error<Self::Error>>;
}

/// Characters escaped in a path segment: everything but unreserved
/// characters (RFC 3986), so `/`, `?`, `#` and `%` in a value stay inside it.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'&')
    .add(b'+')
    .add(b';')
    .add(b'=')
    .add(b'@')
    .add(b':')
    .add(b',')
    .add(b'$')
    .add(b'!')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*');

/// A path parameter's value, percent-encoded for one path segment.
pub fn path_segment<T: Serialize + ?Sized>(value: &T) -> Result<String, BuildError> {
    let text = scalar_text(&to_value(value)?)
        .ok_or_else(|| BuildError::new("a path parameter must be a single value"))?;
    Ok(utf8_percent_encode(&text, PATH_SEGMENT).to_string())
}

/// How a query parameter is written (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=a&name=b`; objects as `key=value` pairs.
    Form,
    /// `name=a,b`; objects as `name=key,value`.
    FormNoExplode,
    /// `name[key]=value`.
    DeepObject,
}

/// The body of a request, kept so that every attempt can send it again.
#[derive(Clone)]
pub(crate) enum Body {
    Bytes {
        bytes: Bytes,
        content_type: &'static str,
    },
    /// Added afresh to each attempt's request (multipart forms, files,
    /// streams).
    Custom(Arc<dyn Fn(reqwest::RequestBuilder) -> BodyFuture + Send + Sync>),
}

/// What adds a body to one attempt's request.
pub(crate) type BodyFuture =
    Pin<Box<dyn Future<Output = Result<reqwest::RequestBuilder, BuildError>> + Send>>;

/// The parts of a request an operation fills in.
#[derive(Clone, Default)]
pub struct RequestParts {
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Body>,
    /// The body can be sent only once (a one-shot stream): no retries.
    pub(crate) not_replayable: bool,
}

impl RequestParts {
    /// Sets the path, with parameters already encoded by [`path_segment`].
    pub fn set_path(&mut self, path: String) {
        self.path = path;
    }

    /// Adds a query parameter; `None` (null) adds nothing.
    pub fn query<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
    ) -> Result<(), BuildError> {
        match to_value(value)? {
            Value::Null => {}
            Value::Array(items) => {
                let texts = items.iter().filter_map(scalar_text);
                if style == QueryStyle::FormNoExplode {
                    let joined: Vec<String> = texts.collect();
                    self.query.push((name.to_string(), joined.join(",")));
                } else {
                    self.query.extend(texts.map(|t| (name.to_string(), t)));
                }
            }
            Value::Object(map) => match style {
                QueryStyle::DeepObject => {
                    for (key, v) in &map {
                        if let Some(text) = scalar_text(v) {
                            self.query.push((format!("{name}[{key}]"), text));
                        }
                    }
                }
                QueryStyle::Form => {
                    for (key, v) in &map {
                        if let Some(text) = scalar_text(v) {
                            self.query.push((key.clone(), text));
                        }
                    }
                }
                QueryStyle::FormNoExplode => {
                    let mut parts = Vec::new();
                    for (key, v) in &map {
                        if let Some(text) = scalar_text(v) {
                            parts.push(key.clone());
                            parts.push(text);
                        }
                    }
                    self.query.push((name.to_string(), parts.join(",")));
                }
            },
            scalar => {
                if let Some(text) = scalar_text(&scalar) {
                    self.query.push((name.to_string(), text));
                }
            }
        }
        Ok(())
    }

    /// Adds a header parameter; `None` adds nothing, lists are joined with `,`.
    pub fn header<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), BuildError> {
        let text = match to_value(value)? {
            Value::Null => return Ok(()),
            Value::Array(items) => items
                .iter()
                .filter_map(scalar_text)
                .collect::<Vec<_>>()
                .join(","),
            other => scalar_text(&other)
                .ok_or_else(|| BuildError::new(format!("header {name} must be a single value")))?,
        };
        let value = HeaderValue::try_from(text).map_err(|e| {
            BuildError::with_source(format!("header {name} has an invalid value"), e)
        })?;
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| BuildError::with_source(format!("invalid header name {name}"), e))?;
        self.headers.append(name, value);
        Ok(())
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), BuildError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| BuildError::with_source("the body could not be encoded as JSON", e))?;
        self.bytes(bytes, "application/json");
        Ok(())
    }

    /// Sets a body of bytes with its content type.
    pub fn bytes(&mut self, bytes: impl Into<Bytes>, content_type: &'static str) {
        self.body = Some(Body::Bytes {
            bytes: bytes.into(),
            content_type,
        });
    }

    /// Adds a cookie parameter; `None` adds nothing.
    pub fn cookie<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), BuildError> {
        let Some(text) = scalar_text(&to_value(value)?) else {
            return Ok(());
        };
        let pair = format!("{name}={text}");
        let cookie = match self.headers.get(reqwest::header::COOKIE) {
            Some(existing) => format!("{}; {pair}", existing.to_str().unwrap_or_default()),
            None => pair,
        };
        let value = HeaderValue::try_from(cookie).map_err(|e| {
            BuildError::with_source(format!("cookie {name} has an invalid value"), e)
        })?;
        self.headers.insert(reqwest::header::COOKIE, value);
        Ok(())
    }

    /// Sets a body added afresh to each attempt's request (multipart forms):
    /// `apply` gets the request and adds the body.
    pub fn custom_body(
        &mut self,
        apply: impl Fn(reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, BuildError>
        + Send
        + Sync
        + 'static,
    ) {
        self.body = Some(Body::Custom(Arc::new(move |request| {
            Box::pin(std::future::ready(apply(request)))
        })));
    }
}

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, BuildError> {
    serde_json::to_value(value)
        .map_err(|e| BuildError::with_source("a parameter could not be encoded", e))
}

/// The text of a scalar: strings as they are, numbers and booleans in JSON
/// form; `None` for null, lists and objects.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The text of a form field: scalars as text, lists and objects as JSON;
/// `None` for null.
pub fn form_text<T: Serialize + ?Sized>(value: &T) -> Result<Option<String>, BuildError> {
    let value = to_value(value)?;
    Ok(match &value {
        Value::Null => None,
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
        scalar => scalar_text(scalar),
    })
}

/// A response as received: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl RawResponse {
    /// Reads the whole response.
    pub(crate) async fn read(mut response: reqwest::Response) -> Result<Self, reqwest::Error> {
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }

    /// A response received some other way (recorded, replayed), to decode
    /// with [`Operation::decode`].
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        RawResponse {
            status,
            headers,
            body: body.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the JSON body. A failure names the path of the value that
    /// failed, the type expected, and keeps the whole body.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|error| {
            Error::Decode(Box::new(
                self.decode_error(error, std::any::type_name::<T>()),
            ))
        })
    }

    /// Not generic: compiled once, whatever the type that failed.
    #[cold]
    fn decode_error(&self, source: serde_json::Error, type_name: &str) -> DecodeError {
        let path = json_path(&self.body, &source);
        let expected = short_type_name(type_name);
        tracing::warn!(
            status = self.status.as_u16(),
            path = %path,
            expected = %expected,
            error = %source,
            "the response body does not match its schema"
        );
        DecodeError {
            status: self.status,
            headers: self.headers.clone(),
            path,
            expected,
            source,
            body: self.body.clone(),
        }
    }

    /// The body as text (invalid UTF-8 is replaced).
    pub fn text<E>(&self) -> Result<String, Error<E>> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The raw body.
    pub fn bytes<E>(&self) -> Result<Bytes, Error<E>> {
        Ok(self.body.clone())
    }

    /// A documented error with its decoded body.
    pub fn error<E>(&self, body: E) -> Error<E> {
        Error::Api(Box::new(crate::error::ApiError {
            status: self.status,
            headers: self.headers.clone(),
            body,
        }))
    }

    /// An undocumented status.
    pub fn unexpected<E>(&self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(UnexpectedResponse {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
        }))
    }
}

/// A response as the client got it: whole, or a success whose body is left
/// to read as a stream (downloads).
pub(crate) enum Received {
    Full(RawResponse),
    Streaming(reqwest::Response),
}

impl Received {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Received::Full(raw) => raw.status,
            Received::Streaming(response) => response.status(),
        }
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        match self {
            Received::Full(raw) => &raw.headers,
            Received::Streaming(response) => response.headers(),
        }
    }
}

/// A successful response: the decoded body with the status and headers.
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: T,
}

impl<T> Response<T> {
    /// The server's id for the request (`X-Request-ID`), when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    pub fn into_body(self) -> T {
        self.body
    }
}

/// Per-request settings that override the client's.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: HeaderMap,
}

/// A request ready to send. Set optional parameters with its methods, then
/// `.await` it (or call [`Request::send_with_response`] for status and
/// headers too). It owns what it needs (a clone of the client, the
/// parameters), so it and its future are `Send + 'static`: they can be
/// stored, or spawned with `tokio::spawn(client.some_operation(..).send())`.
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<Op> {
    pub(crate) client: Client,
    pub(crate) operation: Op,
    pub(crate) options: RequestOptions,
}

impl<Op: fmt::Debug> fmt::Debug for Request<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<Op: Operation> Request<Op> {
    pub(crate) fn new(client: Client, operation: Op) -> Self {
        Request {
            client,
            operation,
            options: RequestOptions::default(),
        }
    }

    /// The operation's parameters.
    pub fn operation(&self) -> &Op {
        &self.operation
    }

    /// The operation's parameters, to change before sending.
    pub fn operation_mut(&mut self) -> &mut Op {
        &mut self.operation
    }

    /// Time allowed for each attempt, overriding the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Retries allowed for this request, overriding the client's setting.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.options.max_retries = Some(max_retries);
        self
    }

    /// An extra header for this request.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.options.headers.append(name, value);
        self
    }

    /// Sends the request and decodes the response.
    pub async fn send(self) -> Result<Op::Output, Error<Op::Error>> {
        let raw = self.send_raw().await?;
        Op::decode(&raw)
    }

    /// Sends the request; the result carries the status and headers too.
    pub async fn send_with_response(self) -> Result<Response<Op::Output>, Error<Op::Error>> {
        let raw = self.send_raw().await?;
        let body = Op::decode(&raw)?;
        Ok(Response {
            status: raw.status,
            headers: raw.headers,
            body,
        })
    }

    /// Sends the request (with the client's retries and hooks) and returns
    /// the response as received, undecoded, whatever its status: to record
    /// it, or to decode it later with [`Operation::decode`].
    pub async fn send_raw(self) -> Result<RawResponse, Error<Op::Error>> {
        let mut parts = RequestParts::default();
        self.operation.build(&mut parts)?;
        match self
            .client
            .execute(OperationInfo::of::<Op>(), parts, &self.options, false)
            .await?
        {
            Received::Full(raw) => Ok(raw),
            Received::Streaming(response) => {
                RawResponse::read(response).await.map_err(Error::Transport)
            }
        }
    }
}

impl<Op> IntoFuture for Request<Op>
where
    Op: Operation + 'static,
{
    type Output = Result<Op::Output, Error<Op::Error>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
