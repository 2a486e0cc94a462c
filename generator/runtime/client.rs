//! The client: configuration, authentication, retries and timeouts.

use crate::error::{BuildError, ConfigError, Error, TransportSummary, is_retryable_status};
use crate::hook::{AttemptInfo, AttemptOutcome, Hook, HookError};
use crate::request::{
    Body, Operation, RawResponse, Received, Request, RequestOptions, RequestParts,
};
use backon::{ExponentialBuilder, Retryable};
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, StatusCode};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// Time allowed for one attempt (connect, send, and read the whole response).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Backoff between retries: exponential from this delay, with jitter...
const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// ...up to this one.
const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// A `Retry-After` longer than this is not waited for; backoff applies.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// What the generator read from the spec: the client's defaults.
pub(crate) struct ApiSpec {
    /// The spec's first server.
    pub(crate) default_base_url: &'static str,
    /// How the API key is sent, from the spec's security scheme.
    pub(crate) auth: Option<AuthSpec>,
    /// Prefix of the environment variables `Client::from_env` reads.
    pub(crate) env_prefix: &'static str,
}

pub(crate) struct AuthSpec {
    /// In a query parameter rather than a header.
    pub(crate) in_query: bool,
    /// Header or query parameter name.
    pub(crate) name: &'static str,
    /// Credential type put before a bare key (`APIKey` in `APIKey <key>`).
    pub(crate) prefix: Option<&'static str>,
}

/// An API client. Cloning is cheap: clones share connections and settings.
///
/// Build one with [`Client::new`] (an API key), [`Client::from_env`]
/// (`<PREFIX>_API_KEY`, `<PREFIX>_BASE_URL`, `<PREFIX>_CUSTOM_HEADERS`) or
/// [`Client::builder`]. Every operation is a method returning a [`Request`]
/// to await. Each attempt may take [`DEFAULT_TIMEOUT`]; failed attempts are
/// retried up to [`DEFAULT_MAX_RETRIES`] times with exponential backoff and
/// jitter, or after the wait the server asks for (`Retry-After`,
/// `retry-after-ms`): GET, PUT and DELETE on connection failures, timeouts,
/// 408, 429 and 5xx; POST and PATCH only when the connection was never
/// established or the server answered 429 or 503, so a write is never
/// duplicated. The API key never appears in `Debug` output, errors or logs.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// `base_url` parsed once: requests fill in its path.
    base: reqwest::Url,
    /// Headers every request carries: user agent, custom headers and, for
    /// header authentication, the credential (marked sensitive).
    headers: HeaderMap,
    /// Query-parameter authentication: the parameter and the key.
    query_credential: Option<(&'static str, String)>,
    timeout: Duration,
    /// Whether `http` applies `timeout` itself (it was built here).
    http_has_timeout: bool,
    max_retries: u32,
    hooks: Vec<Arc<dyn Hook>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.max_retries)
            .field("headers", &self.inner.headers)
            .field("hooks", &self.inner.hooks.len())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with the given API key and default settings.
    pub fn new(api_key: impl Into<String>) -> Result<Client, ConfigError> {
        ClientBuilder::new().api_key(api_key).build()
    }

    /// A client configured from the environment (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Client, ConfigError> {
        ClientBuilder::from_env()?.build()
    }

    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A request for any operation, from its parameters. The request holds
    /// a clone of the client (cheap: they share settings and connections),
    /// so it can be sent from a spawned task.
    pub fn request<Op: Operation>(&self, operation: Op) -> Request<Op> {
        Request::new(self.clone(), operation)
    }

    /// Sends a request, retrying as the method allows, and reads the
    /// response: all of it, or only the head of a success when
    /// `stream_success` is set (downloads).
    ///
    /// Everything happens in a `request` span with the operation, method and
    /// path template, and records the attempts, final status and elapsed
    /// time; each attempt logs its outcome. Neither carries the URL's query,
    /// headers or bodies. Not generic: compiled once for all operations,
    /// whatever their types. (Not an `async fn`: the future returned is the
    /// instrumented `execute_in`, without a wrapper to move it through.)
    pub(crate) fn execute<'a>(
        &'a self,
        operation: OperationInfo,
        parts: RequestParts,
        options: &'a RequestOptions,
        stream_success: bool,
    ) -> impl Future<Output = Result<Received, Unanswered>> + Send + 'a {
        let span = tracing::info_span!(
            "request",
            operation = operation.id,
            method = %operation.method,
            path = operation.path,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        self.execute_in(span.clone(), operation, parts, options, stream_success)
            .instrument(span)
    }

    async fn execute_in(
        &self,
        span: tracing::Span,
        operation: OperationInfo,
        mut parts: RequestParts,
        options: &RequestOptions,
        stream_success: bool,
    ) -> Result<Received, Unanswered> {
        let inner = &*self.inner;
        let OperationInfo { method, auth, .. } = operation;
        // The base URL's path (if any) then the operation's; the rest of the
        // base URL was parsed once, when the client was built.
        let mut url = inner.base.clone();
        let base_path = inner.base.path().trim_end_matches('/');
        let mut path = String::with_capacity(base_path.len() + parts.path.len());
        path.push_str(base_path);
        path.push_str(&parts.path);
        url.set_path(&path);
        if !parts.query.is_empty() || (auth && inner.query_credential.is_some()) {
            let mut pairs = url.query_pairs_mut();
            pairs.extend_pairs(&parts.query);
            if let (true, Some((name, key))) = (auth, &inner.query_credential) {
                pairs.append_pair(name, key);
            }
        }
        // What the request adds to the client's headers; options override
        // the operation's parameters, the body's content type both.
        let mut extra = std::mem::take(&mut parts.headers);
        if !options.headers.is_empty() {
            extra.extend(options.headers.clone());
        }
        if let Some(Body::Bytes { content_type, .. }) = &parts.body {
            let value = HeaderValue::try_from(*content_type)
                .map_err(|e| BuildError::with_source("the body's content type is invalid", e))?;
            extra.insert(CONTENT_TYPE, value);
        }
        // `Accept`, unless the request sets its own (a documented `Accept`
        // parameter).
        let accept = (!operation.accept.is_empty()
            && !extra.contains_key(ACCEPT)
            && !inner.headers.contains_key(ACCEPT))
        .then(|| HeaderValue::from_static(operation.accept));
        // Each attempt's headers, built with room for all of them (no
        // growing on the way): the client's, then the request's.
        let attempt_headers = || {
            let mut all = HeaderMap::with_capacity(
                inner.headers.len() + extra.len() + usize::from(accept.is_some()),
            );
            for (name, value) in &inner.headers {
                if auth || name != AUTHORIZATION {
                    all.append(name, value.clone());
                }
            }
            // The request's values of a header replace the client's.
            for name in extra.keys() {
                all.remove(name);
            }
            for (name, value) in &extra {
                all.append(name, value.clone());
            }
            if let Some(accept) = &accept {
                all.insert(ACCEPT, accept.clone());
            }
            all
        };
        // reqwest applies the client's own timeout when it built the
        // connection pool here; otherwise each attempt carries it.
        let timeout = match options.timeout {
            Some(timeout) => Some(timeout),
            None if inner.http_has_timeout => None,
            None => Some(inner.timeout),
        };
        let max_retries = if parts.not_replayable {
            0
        } else {
            options.max_retries.unwrap_or(inner.max_retries)
        };

        // Clocks are read only for those who read the times: the span's
        // subscriber, the attempts' debug events, the hooks.
        let started = (!span.is_disabled()).then(Instant::now);
        let timed = !inner.hooks.is_empty() || tracing::enabled!(tracing::Level::DEBUG);
        let attempts = AtomicU32::new(0);
        // The first attempt takes the headers built here; a retry builds
        // them again.
        let mut first_headers = Some(attempt_headers());
        let OperationInfo {
            id,
            path: path_template,
            ..
        } = operation;
        let (span, url, parts, method) = (&span, &url, &parts, &method);
        let attempt_headers = &attempt_headers;
        let attempts = &attempts;
        let attempt = || {
            let headers = first_headers.take().unwrap_or_else(attempt_headers);
            async move {
                let n = attempts.fetch_add(1, Ordering::Relaxed) + 1;
                span.record("attempts", n);
                let mut request = reqwest::Request::new(method.clone(), url.clone());
                *request.headers_mut() = headers;
                *request.timeout_mut() = timeout;
                match &parts.body {
                    Some(Body::Bytes { bytes, .. }) => {
                        *request.body_mut() = Some(bytes.clone().into());
                    }
                    Some(Body::Custom(apply)) => {
                        let builder =
                            reqwest::RequestBuilder::from_parts(inner.http.clone(), request);
                        request = apply(builder)
                            .await
                            .map_err(Attempt::Build)?
                            .build()
                            .map_err(|e| Attempt::Transport(self.redact(e)))?;
                    }
                    None => {}
                }
                // Hooks see each attempt's request first, and may change it.
                let info = (!inner.hooks.is_empty()).then(|| AttemptInfo {
                    operation_id: id,
                    method: method.clone(),
                    path_template,
                    number: n,
                });
                if let Some(info) = &info {
                    for hook in &inner.hooks {
                        hook.before_attempt(info, &mut request)
                            .await
                            .map_err(Attempt::Hook)?;
                    }
                }
                let sent = timed.then(Instant::now);
                let result = async {
                    let response = inner.http.execute(request).await?;
                    if stream_success && response.status().is_success() {
                        return Ok(Received::Streaming(response));
                    }
                    RawResponse::read(response).await.map(Received::Full)
                }
                .await;
                let elapsed = sent.map_or(Duration::ZERO, |sent| sent.elapsed());
                let elapsed_ms = millis(elapsed);
                let result = result.map_err(|e| self.redact(e));
                if let Some(info) = &info {
                    let outcome = match &result {
                        Ok(received) => AttemptOutcome::Response {
                            status: received.status(),
                            headers: received.headers(),
                            elapsed,
                        },
                        Err(error) => AttemptOutcome::Failed { error, elapsed },
                    };
                    for hook in &inner.hooks {
                        hook.after_attempt(info, &outcome);
                    }
                }
                match result {
                    Ok(received) => {
                        let status = received.status();
                        tracing::debug!(
                            attempt = n,
                            status = status.as_u16(),
                            elapsed_ms,
                            "response"
                        );
                        match received {
                            Received::Full(raw) if retryable_status(method, status) => {
                                Err(Attempt::Status(raw))
                            }
                            received => Ok(received),
                        }
                    }
                    Err(e) => {
                        tracing::debug!(attempt = n, error = %TransportSummary(&e), elapsed_ms, "request failed");
                        Err(Attempt::Transport(e))
                    }
                }
            }
        };
        let backoff = ExponentialBuilder::new()
            .with_min_delay(INITIAL_BACKOFF)
            .with_max_delay(MAX_BACKOFF)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(max_retries as usize);
        let outcome = attempt
            .retry(backoff)
            .sleep(tokio::time::sleep)
            .when(|e: &Attempt| e.retryable(method))
            .adjust(|e: &Attempt, delay| delay.map(|d| e.retry_after().unwrap_or(d)))
            .notify(|e: &Attempt, delay: Duration| {
                tracing::info!(delay_ms = millis(delay), reason = %e, "retrying");
            })
            .await;
        if let Some(started) = started {
            span.record("elapsed_ms", millis(started.elapsed()));
        }
        let received = match outcome {
            Ok(received) => received,
            // Out of retries: the last answer is decoded as usual.
            Err(Attempt::Status(raw)) => Received::Full(raw),
            Err(Attempt::Transport(e)) => return Err(Unanswered::Transport(e)),
            Err(Attempt::Build(e)) => return Err(Unanswered::Build(e)),
            Err(Attempt::Hook(e)) => return Err(Unanswered::Hook(e)),
        };
        span.record("status", received.status().as_u16());
        Ok(received)
    }

    /// The error without the API key, when the key travels in the URL.
    pub(crate) fn redact(&self, error: reqwest::Error) -> reqwest::Error {
        match &self.inner.query_credential {
            Some((name, _)) => redact_query(error, name),
            None => error,
        }
    }
}

/// The error with the value of the query parameter `name` in its URL
/// replaced by `<redacted>`.
fn redact_query(mut error: reqwest::Error, name: &str) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == name { "<redacted>".into() } else { v };
                (k.into_owned(), v.into_owned())
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    error
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// What sending needs of an operation: its constants, as a value, so that
/// the sending code is compiled once rather than once per operation.
pub(crate) struct OperationInfo {
    id: &'static str,
    method: Method,
    path: &'static str,
    auth: bool,
    accept: &'static str,
}

impl OperationInfo {
    pub(crate) fn of<Op: Operation>() -> Self {
        OperationInfo {
            id: Op::ID,
            method: Op::METHOD,
            path: Op::PATH,
            auth: Op::AUTH,
            accept: Op::ACCEPT,
        }
    }
}

/// Why a request has no response to decode (apart from [`Error`], which is
/// generic over each operation's error type).
pub(crate) enum Unanswered {
    Transport(reqwest::Error),
    Build(BuildError),
    Hook(HookError),
}

impl From<BuildError> for Unanswered {
    fn from(error: BuildError) -> Self {
        Unanswered::Build(error)
    }
}

impl<E> From<Unanswered> for Error<E> {
    fn from(unanswered: Unanswered) -> Self {
        match unanswered {
            Unanswered::Transport(e) => Error::Transport(e),
            Unanswered::Build(e) => Error::Build(e),
            Unanswered::Hook(e) => Error::Hook(e),
        }
    }
}

/// The outcome of one attempt that may be retried.
enum Attempt {
    Transport(reqwest::Error),
    Build(BuildError),
    Hook(HookError),
    /// A status that asks for a retry (the response is kept in case no retry
    /// is left).
    Status(RawResponse),
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attempt::Transport(e) => TransportSummary(e).fmt(f),
            Attempt::Build(e) => e.fmt(f),
            Attempt::Hook(e) => write!(f, "hook: {e}"),
            Attempt::Status(raw) => write!(f, "status {}", raw.status),
        }
    }
}

/// Methods that may be sent twice without changing the result.
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Whether a status asks for a retry of this method. Writes that are not
/// idempotent (POST, PATCH) are retried only when the server says it did not
/// act on the request (429, 503).
fn retryable_status(method: &Method, status: StatusCode) -> bool {
    if is_idempotent(method) {
        is_retryable_status(status)
    } else {
        status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE
    }
}

impl Attempt {
    fn retryable(&self, method: &Method) -> bool {
        match self {
            // The connection was never established: the server saw nothing.
            Attempt::Transport(e) if e.is_connect() => true,
            // Anything else may have reached the server.
            Attempt::Transport(e) => is_idempotent(method) && !e.is_builder(),
            Attempt::Build(_) | Attempt::Hook(_) => false,
            Attempt::Status(raw) => retryable_status(method, raw.status),
        }
    }

    /// The wait the server asked for (`retry-after-ms`, `Retry-After` in
    /// seconds or as an HTTP date), if reasonable.
    fn retry_after(&self) -> Option<Duration> {
        let Attempt::Status(raw) = self else {
            return None;
        };
        let header = |name: &str| raw.headers.get(name)?.to_str().ok();
        let wait =
            if let Some(ms) = header("retry-after-ms").and_then(|v| v.trim().parse::<f64>().ok()) {
                Duration::try_from_secs_f64(ms / 1000.0).ok()?
            } else {
                let value = header("retry-after")?.trim();
                match value.parse::<f64>() {
                    Ok(secs) => Duration::try_from_secs_f64(secs).ok()?,
                    Err(_) => httpdate::parse_http_date(value)
                        .ok()?
                        .duration_since(SystemTime::now())
                        .unwrap_or(Duration::ZERO),
                }
            };
        (wait <= MAX_RETRY_AFTER).then_some(wait)
    }
}

/// Settings for a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    headers: HeaderMap,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    #[cfg(feature = "__tls")]
    root_certificates: Vec<reqwest::Certificate>,
    hooks: Vec<Arc<dyn Hook>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("headers", &self.headers)
            .field("user_agent", &self.user_agent)
            .field("hooks", &self.hooks.len())
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// Default settings: the spec's server, 60 s per attempt, 10 s to
    /// connect, 2 retries.
    pub fn new() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            headers: HeaderMap::new(),
            user_agent: None,
            http: None,
            #[cfg(feature = "__tls")]
            root_certificates: Vec::new(),
            hooks: Vec::new(),
        }
    }

    /// Settings from the environment: `<PREFIX>_API_KEY`, `<PREFIX>_BASE_URL`
    /// and `<PREFIX>_CUSTOM_HEADERS` (one `Name: value` per line), where the
    /// prefix is `GCORE` for Gcore APIs. Unset or empty variables are skipped.
    pub fn from_env() -> Result<Self, ConfigError> {
        let prefix = crate::SPEC.env_prefix;
        let var = |name: &str| {
            std::env::var(format!("{prefix}_{name}"))
                .ok()
                .filter(|v| !v.trim().is_empty())
        };
        let mut builder = ClientBuilder::new();
        if let Some(key) = var("API_KEY") {
            builder = builder.api_key(key);
        }
        if let Some(url) = var("BASE_URL") {
            builder = builder.base_url(url);
        }
        if let Some(headers) = var("CUSTOM_HEADERS") {
            for line in headers.lines().filter(|l| !l.trim().is_empty()) {
                let (name, value) =
                    line.split_once(':')
                        .ok_or_else(|| ConfigError::InvalidHeader {
                            name: format!("{prefix}_CUSTOM_HEADERS"),
                            reason: format!("line {line:?} is not `Name: value`"),
                        })?;
                let (name, value) = parse_header(name.trim(), value.trim())?;
                builder.headers.append(name, value);
            }
        }
        Ok(builder)
    }

    /// The API key. A bare key gets the credential type the spec asks for
    /// (`APIKey <key>`); a key that already has one is sent as it is.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// Where requests go, instead of the spec's server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Time allowed for each attempt (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to connect (default 10 s). Ignored with [`Self::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retries after a failed first attempt (default 2).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// A header sent with every request.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// The `User-Agent` (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// A `reqwest::Client` to send requests with (proxies, TLS settings).
    /// Settings of the HTTP connection made here (`connect_timeout`,
    /// `add_root_certificate`) are then the given client's.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Runs `hook` around every attempt of every request (see [`Hook`]),
    /// after the hooks added before it.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Trusts this certificate authority too, besides the system's (a
    /// company proxy, a test server). Only with a TLS feature.
    ///
    /// ```no_run
    #[doc = concat!("# use ", env!("CARGO_CRATE_NAME"), "::{reqwest, Client};")]
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let pem = std::fs::read("ca.pem")?;
    /// let client = Client::builder()
    ///     .api_key("key")
    ///     .add_root_certificate(reqwest::Certificate::from_pem(&pem)?)
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "__tls")]
    pub fn add_root_certificate(mut self, certificate: reqwest::Certificate) -> Self {
        self.root_certificates.push(certificate);
        self
    }

    pub fn build(self) -> Result<Client, ConfigError> {
        let spec = &crate::SPEC;
        let base_url = self
            .base_url
            .unwrap_or_else(|| spec.default_base_url.to_string())
            .trim_end_matches('/')
            .to_string();
        let base = reqwest::Url::parse(&base_url).map_err(|e| ConfigError::InvalidBaseUrl {
            url: base_url.clone(),
            reason: e.to_string(),
        })?;
        // Without a TLS feature, an https URL would fail at the first
        // request with a connection error that does not say why.
        if !cfg!(feature = "__tls") && self.http.is_none() && base.scheme() == "https" {
            return Err(ConfigError::TlsUnavailable { url: base_url });
        }

        let mut headers = HeaderMap::new();
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let (name, value) = parse_header(USER_AGENT.as_str(), user_agent)?;
        headers.insert(name, value);
        headers.extend(self.headers);

        let mut query_credential = None;
        if let Some(auth) = &spec.auth {
            let key = self.api_key.ok_or_else(|| ConfigError::MissingApiKey {
                variable: format!("{}_API_KEY", spec.env_prefix),
            })?;
            let key = key.trim();
            if auth.in_query {
                query_credential = Some((auth.name, key.to_string()));
            } else {
                let credential = match auth.prefix {
                    Some(prefix) if !key.contains(char::is_whitespace) => format!("{prefix} {key}"),
                    _ => key.to_string(),
                };
                // The key itself must not appear in the error.
                let mut value =
                    HeaderValue::try_from(credential).map_err(|_| ConfigError::InvalidHeader {
                        name: auth.name.to_string(),
                        reason: "the API key contains characters a header cannot carry".into(),
                    })?;
                value.set_sensitive(true);
                let name = HeaderName::from_bytes(auth.name.as_bytes()).map_err(|e| {
                    ConfigError::InvalidHeader {
                        name: auth.name.to_string(),
                        reason: e.to_string(),
                    }
                })?;
                headers.insert(name, value);
            }
        }

        let http_has_timeout = self.http.is_none();
        let http = match self.http {
            Some(http) => http,
            None => {
                #[cfg(all(feature = "rustls", not(feature = "rustls-aws-lc-rs")))]
                install_ring_provider();
                let builder = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .timeout(self.timeout);
                #[cfg(feature = "__tls")]
                let builder = self
                    .root_certificates
                    .into_iter()
                    .fold(builder, reqwest::ClientBuilder::add_root_certificate);
                builder.build().map_err(ConfigError::Http)?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base,
                headers,
                query_credential,
                timeout: self.timeout,
                http_has_timeout,
                max_retries: self.max_retries,
                hooks: self.hooks,
            }),
        })
    }
}

/// rustls needs a process-wide crypto provider: ring, unless the application
/// has installed one.
#[cfg(all(feature = "rustls", not(feature = "rustls-aws-lc-rs")))]
fn install_ring_provider() {
    if ::rustls::crypto::CryptoProvider::get_default().is_none() {
        // Fails only if another thread installed one meanwhile: that one is used.
        let _ = ::rustls::crypto::ring::default_provider().install_default();
    }
}

fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), ConfigError> {
    let invalid = |reason: String| ConfigError::InvalidHeader {
        name: name.to_string(),
        reason,
    };
    let header_name =
        HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(e.to_string()))?;
    let header_value = HeaderValue::try_from(value).map_err(|e| invalid(e.to_string()))?;
    Ok((header_name, header_value))
}
