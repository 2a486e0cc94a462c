//! Hooks: code of the application run around every attempt of every request
//! (retries included), to sign requests, refresh a token, add a header per
//! attempt, or count and time attempts.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Why a hook stopped a request: any error, returned as
/// [`Error::Hook`](crate::Error::Hook).
pub type HookError = Box<dyn std::error::Error + Send + Sync>;

/// What [`Hook::before_attempt`] returns.
pub type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), HookError>> + Send + 'a>>;

/// Code run around every attempt; add hooks with
/// [`ClientBuilder::hook`](crate::ClientBuilder::hook). They run in the order
/// they were added. Both methods do nothing by default.
///
/// A hook sees the request as it is sent: its headers include the
/// credential (in a header marked sensitive, which `Debug` output hides) and,
/// when the API takes its key in the query, the URL includes it. A hook that
/// does not read them never has them in clear; do not log them.
///
/// ```
#[doc = concat!("use ", env!("CARGO_CRATE_NAME"), "::{AttemptInfo, AttemptOutcome, Client, Hook, HookFuture, reqwest};")]
/// use std::sync::atomic::{AtomicU32, Ordering};
///
/// /// Signs every attempt, and counts them.
/// #[derive(Default)]
/// struct Signer {
///     attempts: AtomicU32,
/// }
///
/// impl Hook for Signer {
///     fn before_attempt<'a>(
///         &'a self,
///         _attempt: &'a AttemptInfo,
///         request: &'a mut reqwest::Request,
///     ) -> HookFuture<'a> {
///         Box::pin(async move {
///             let signature = format!("{} {}", request.method(), request.url().path());
///             request.headers_mut().insert("x-signature", signature.parse()?);
///             Ok(())
///         })
///     }
///
///     fn after_attempt(&self, _attempt: &AttemptInfo, _outcome: &AttemptOutcome<'_>) {
///         self.attempts.fetch_add(1, Ordering::Relaxed);
///     }
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder().api_key("key").hook(Signer::default()).build()?;
/// # Ok(())
/// # }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Before each attempt, with the request about to be sent, which it may
    /// change (headers, URL). An error stops the request: it is not sent,
    /// and not retried.
    fn before_attempt<'a>(
        &'a self,
        attempt: &'a AttemptInfo,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a> {
        let _ = (attempt, request);
        Box::pin(std::future::ready(Ok(())))
    }

    /// After each attempt, with how it ended.
    fn after_attempt(&self, attempt: &AttemptInfo, outcome: &AttemptOutcome<'_>) {
        let _ = (attempt, outcome);
    }
}

/// A shared hook: the application keeps a clone (to read what it counted).
impl<H: Hook + ?Sized> Hook for std::sync::Arc<H> {
    fn before_attempt<'a>(
        &'a self,
        attempt: &'a AttemptInfo,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a> {
        (**self).before_attempt(attempt, request)
    }

    fn after_attempt(&self, attempt: &AttemptInfo, outcome: &AttemptOutcome<'_>) {
        (**self).after_attempt(attempt, outcome);
    }
}

/// Which attempt of which operation a hook is called for.
///
/// ```
#[doc = concat!("use ", env!("CARGO_CRATE_NAME"), "::{AttemptInfo, AttemptOutcome, Hook};")]
///
/// /// Logs retries.
/// struct Retries;
///
/// impl Hook for Retries {
///     fn after_attempt(&self, attempt: &AttemptInfo, outcome: &AttemptOutcome<'_>) {
///         if attempt.number > 1 {
///             println!("{} {} retried ({})", attempt.method, attempt.path_template, attempt.operation_id);
///         }
///         let _ = outcome;
///     }
/// }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AttemptInfo {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    pub method: Method,
    /// The path template, as in the spec (`/apps/{id}`), not filled in.
    pub path_template: &'static str,
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub number: u32,
}

/// How an attempt ended.
///
/// ```
#[doc = concat!("use ", env!("CARGO_CRATE_NAME"), "::AttemptOutcome;")]
///
/// fn describe(outcome: &AttemptOutcome<'_>) -> String {
///     match outcome {
///         AttemptOutcome::Response { status, elapsed, .. } => format!("{status} in {elapsed:?}"),
///         AttemptOutcome::Failed { error, .. } => format!("failed: {error}"),
///         _ => "other".to_string(),
///     }
/// }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum AttemptOutcome<'a> {
    /// The server answered, with any status; `elapsed` includes reading the
    /// body (only its head, for a download).
    Response {
        status: StatusCode,
        headers: &'a HeaderMap,
        elapsed: Duration,
    },
    /// No answer: connecting, sending or receiving failed, or the attempt
    /// timed out.
    Failed {
        error: &'a reqwest::Error,
        elapsed: Duration,
    },
}
