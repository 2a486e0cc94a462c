//! Testing code that uses the client, without the real API (cargo feature
//! `test-util`, off by default): a local mock server that answers an
//! operation with a typed value, built on [`wiremock`].
//!
//! To decode a response received some other way, build it with
//! [`RawResponse::new`](crate::RawResponse::new) and call the operation's
//! [`Operation::decode`]. Code that prefers a trait object over a mock
//! server can wrap [`Client`] in a trait of its own.

use crate::client::Client;
use crate::request::Operation;
use serde::Serialize;
use std::marker::PhantomData;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The mock server library, for matchers and responses of your own.
pub use wiremock;

/// A local server standing in for the API, and a client for it.
///
/// ```no_run
#[doc = concat!("use ", env!("CARGO_CRATE_NAME"), "::testing::MockApi;")]
///
/// async fn test_my_code() {
///     let api = MockApi::start().await;
///     // api.on::<SomeOperation>().respond_with(&value).mount().await;
///     let client = api.client();
///     // ... call the code under test with `client` ...
/// }
/// ```
#[derive(Debug)]
pub struct MockApi {
    server: MockServer,
}

impl MockApi {
    /// Starts a server on a free local port. Requests that no mounted
    /// response matches get a 404.
    pub async fn start() -> Self {
        MockApi {
            server: MockServer::start().await,
        }
    }

    /// A client for this server, with a test API key and no retries.
    pub fn client(&self) -> Client {
        // Only an invalid URL or header fails, and these are valid.
        Client::builder()
            .api_key("test-key")
            .base_url(self.server.uri())
            .max_retries(0)
            .build()
            .unwrap_or_else(|e| panic!("a client for the mock server: {e}"))
    }

    /// The server's URL.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The `wiremock` server, to mount mocks of your own or read the
    /// requests it received.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// A response to requests for `Op`: its method and any path its
    /// template matches.
    pub fn on<Op: Operation>(&self) -> OnOperation<'_, Op> {
        OnOperation {
            api: self,
            response: ResponseTemplate::new(Op::SUCCESS_STATUS),
            times: None,
            operation: PhantomData,
        }
    }
}

/// A response to mount for one operation (see [`MockApi::on`]).
///
/// ```no_run
#[doc = concat!("use ", env!("CARGO_CRATE_NAME"), "::{Operation, testing::MockApi};")]
///
/// // Any operation: the first two requests get a 503, later ones a success.
/// async fn flaky<Op: Operation>(api: &MockApi, success: &Op::Output)
/// where
///     Op::Output: serde::Serialize,
/// {
///     api.on::<Op>()
///         .respond_with_json(503, &serde_json::json!({"error": "try again"}))
///         .times(2)
///         .mount()
///         .await;
///     api.on::<Op>().respond_with(success).mount().await;
/// }
/// ```
#[must_use = "a mock does nothing until it is mounted"]
pub struct OnOperation<'a, Op> {
    api: &'a MockApi,
    response: ResponseTemplate,
    times: Option<u64>,
    operation: PhantomData<fn() -> Op>,
}

impl<Op: Operation> OnOperation<'_, Op> {
    /// Answers with the operation's success status and `output` as JSON.
    pub fn respond_with(self, output: &Op::Output) -> Self
    where
        Op::Output: Serialize,
    {
        self.respond_with_json(Op::SUCCESS_STATUS, output)
    }

    /// Answers with `status` and `body` as JSON (a documented error, say).
    pub fn respond_with_json(mut self, status: u16, body: &impl Serialize) -> Self {
        self.response = ResponseTemplate::new(status).set_body_json(body);
        self
    }

    /// Answers with a response of your own.
    pub fn respond_with_template(mut self, response: ResponseTemplate) -> Self {
        self.response = response;
        self
    }

    /// Answers only the first `n` matching requests.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Mounts the response on the server.
    pub async fn mount(self) {
        let mock = Mock::given(method(Op::METHOD.as_str()))
            .and(path_regex(path_pattern(Op::PATH)))
            .respond_with(self.response);
        let mock = match self.times {
            Some(n) => mock.up_to_n_times(n),
            None => mock,
        };
        mock.mount(&self.api.server).await;
    }
}

/// A regular expression matching the paths of a template: each `{name}` one
/// segment, everything else as written.
fn path_pattern(template: &str) -> String {
    let mut pattern = String::from("^");
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        pattern.push_str(&regex::escape(&rest[..start]));
        pattern.push_str("[^/]+");
        rest = rest[start..]
            .find('}')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push('$');
    pattern
}

#[cfg(test)]
mod tests {
    use super::path_pattern;

    #[test]
    fn a_template_matches_one_segment_per_parameter() {
        assert_eq!(path_pattern("/v1/apps/{id}"), "^/v1/apps/[^/]+$");
        assert_eq!(path_pattern("/a.b/{x}/c/{y}"), r"^/a\.b/[^/]+/c/[^/]+$");
    }
}
