/// Reads `json` as an argument's type.
fn arg<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("a synthesised argument does not decode: {e}: {json}"))
}

/// Checks that a response body of the status re-encodes as received: what
/// was lost, empty when nothing was. Written per operation.
type RoundTrip = fn(u16, &[u8]) -> Vec<Loss>;

/// A place where re-encoding a body did not give it back.
#[derive(serde::Serialize)]
struct Loss {
    /// JSON pointer into the body.
    pointer: String,
    /// The property at `pointer` was left out.
    dropped: bool,
    detail: String,
}

/// Differences reported per body: enough to tell one loss from many.
const MAX_LOSSES: usize = 20;

/// Decodes `body` as `T` and encodes it again: where the result differs
/// from `body`.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(body: &[u8]) -> Vec<Loss> {
    let loss = |detail: String| {
        vec![Loss {
            pointer: String::new(),
            dropped: false,
            detail,
        }]
    };
    // A body that is not JSON was already refused by the decoder.
    let Ok(sent) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let decoded: T = match serde_json::from_slice(body) {
        Ok(decoded) => decoded,
        Err(e) => return loss(format!("does not decode: {e}")),
    };
    match serde_json::to_value(&decoded) {
        Ok(back) => {
            let mut losses = Vec::new();
            differences(&sent, &back, String::new(), &mut losses);
            losses
        }
        Err(e) => loss(format!("does not encode: {e}")),
    }
}

/// The differences between what was sent and what was encoded back.
/// Numbers compare by value (`5` is `5.0`; a `float` keeps what `f32`
/// holds); date-times by instant (`…41.0Z` is `…41Z`).
fn differences(
    sent: &serde_json::Value,
    back: &serde_json::Value,
    pointer: String,
    out: &mut Vec<Loss>,
) {
    use serde_json::Value;
    if out.len() >= MAX_LOSSES {
        return;
    }
    let at = |key: &str| format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
    let mut changed = |pointer: String, dropped: bool, detail: String| {
        out.push(Loss {
            pointer,
            dropped,
            detail,
        })
    };
    match (sent, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, w) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                changed(at(k), false, format!("was added ({w})"));
            }
            for (k, v) in a {
                match b.get(k) {
                    Some(w) => differences(v, w, at(k), out),
                    None => out.push(Loss {
                        pointer: at(k),
                        dropped: true,
                        detail: format!("was dropped ({v})"),
                    }),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                differences(v, w, at(&i.to_string()), out);
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            let (x, y) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            let close = x == y || ((x - y).abs() <= 1e-6 * x.abs().max(y.abs()));
            if !close {
                changed(pointer, false, format!("{a} came back as {b}"));
            }
        }
        (Value::String(a), Value::String(b))
            if instant(a).is_some_and(|i| instant(b) == Some(i)) => {}
        (a, b) if a == b => {}
        (a, b) => changed(pointer, false, format!("{a} came back as {b}")),
    }
}

/// An RFC 3339 date-time with its fraction's trailing zeros and a zero
/// offset's spelling made canonical, to compare two spellings of one
/// instant; `None` for other strings.
fn instant(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let looks = text.is_ascii()
        && bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't' | b' ')
        && bytes[13] == b':';
    if !looks {
        return None;
    }
    let (time, offset) = match text.strip_suffix(['Z', 'z']) {
        Some(time) => (time, "+00:00"),
        None => text.split_at(text.len().checked_sub(6)?),
    };
    let offset = if offset == "-00:00" { "+00:00" } else { offset };
    let time = match time.split_once('.') {
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                whole.to_string()
            } else {
                format!("{whole}.{fraction}")
            }
        }
        None => time.to_string(),
    };
    Some(format!("{}T{}{offset}", &time[..10], &time[11..]))
}

/// Calls operations and prints one JSON line per call: the operation, the
/// call, the status, and its class: `pass`; `client` (a failure of the
/// generated client); `mock` (the mock server's doing: no answer, or a value
/// it invented outside what the schema's format allows); `spec` (the spec
/// gives the mock server nothing to answer with).
struct Report {
    /// Operations before this index were verified by an earlier run (one
    /// stopped by a mock server that did not answer).
    from: usize,
    rounds: u32,
    timeout: std::time::Duration,
    url: String,
    operation: &'static str,
}

impl Report {
    fn from_env() -> Report {
        let var = |name: &str| std::env::var(name).ok();
        Report {
            from: var("VERIFY_FROM").and_then(|v| v.parse().ok()).unwrap_or(0),
            rounds: var("VERIFY_ROUNDS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(20),
            timeout: std::time::Duration::from_secs(
                var("VERIFY_TIMEOUT")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(20),
            ),
            url: var("VERIFY_URL").expect("VERIFY_URL names the mock server"),
            operation: "",
        }
    }

    fn client(&self) -> Client {
        Client::builder()
            .api_key("verify-key")
            .base_url(&self.url)
            .max_retries(0)
            .timeout(self.timeout)
            .build()
            .expect("a client for the mock server")
    }

    /// Whether to call the operation at `index`.
    fn start(&mut self, index: usize, id: &'static str) -> bool {
        self.operation = id;
        index >= self.from
    }

    fn line(&self, call: &str, status: Option<u16>, class: &str, detail: &str) {
        self.line_with(call, status, class, detail, &[], None);
    }

    /// With what re-encoding the body lost, or the body that did not
    /// decode, for `cargo xtask verify` to look up in the schema.
    fn line_with(
        &self,
        call: &str,
        status: Option<u16>,
        class: &str,
        detail: &str,
        losses: &[Loss],
        body: Option<&[u8]>,
    ) {
        let body: Option<serde_json::Value> = body.and_then(|b| serde_json::from_slice(b).ok());
        println!(
            "{}",
            serde_json::json!({
                "operation": self.operation,
                "call": call,
                "status": status,
                "class": class,
                "detail": detail,
                "losses": losses,
                "body": body,
            })
        );
    }

    /// The call with the required parameters, the call with all of them,
    /// and the random responses (`Prefer: dynamic=true`) to the latter.
    async fn calls<Op: Operation + Clone + 'static>(
        &self,
        client: &Client,
        required: Op,
        all: Op,
        trip: RoundTrip,
    ) {
        self.call(client, "required", None, required, trip).await;
        self.call(client, "all", None, all.clone(), trip).await;
        for _ in 0..self.rounds {
            self.call(client, "dynamic", Some("dynamic=true"), all.clone(), trip)
                .await;
        }
    }

    /// Asks for the documented error `status`, which must decode as it.
    async fn documented_error<Op: Operation + 'static>(
        &self,
        client: &Client,
        status: u16,
        operation: Op,
        trip: RoundTrip,
    ) {
        let call = format!("error {status}");
        let prefer = format!("code={status}");
        self.call(client, &call, Some(&prefer), operation, trip)
            .await;
    }

    async fn call<Op: Operation + 'static>(
        &self,
        client: &Client,
        call: &str,
        prefer: Option<&str>,
        operation: Op,
        trip: RoundTrip,
    ) {
        let mut request = client.request(operation);
        if let Some(prefer) = prefer {
            request = request.header(
                api::reqwest::header::HeaderName::from_static("prefer"),
                api::reqwest::header::HeaderValue::from_str(prefer).expect("a header value"),
            );
        }
        let raw = match request.send_raw().await {
            Ok(raw) => raw,
            Err(api::Error::Transport(e)) => {
                let detail = if e.is_timeout() {
                    let waited = self.timeout.as_secs();
                    format!("the mock server did not answer within {waited} s")
                } else {
                    format!("the mock server did not answer (it stopped?): {e}")
                };
                self.line(call, None, "mock", &detail);
                // `cargo xtask verify` restarts the mock server and goes on
                // with the next operation.
                std::process::exit(3);
            }
            Err(e) => return self.line(call, None, "client", &e.to_string()),
        };
        let status = raw.status().as_u16();
        let wanted = prefer
            .and_then(|p| p.strip_prefix("code="))
            .and_then(|c| c.parse::<u16>().ok());
        let answered_as_asked = match wanted {
            Some(code) => status == code,
            None => raw.status().is_success(),
        };
        if !answered_as_asked {
            let body = String::from_utf8_lossy(raw.body());
            let (class, detail) = match raw.headers().get("sl-violations") {
                Some(violations) => (
                    "client",
                    format!(
                        "refused; violations: {}",
                        violations.to_str().unwrap_or_default()
                    ),
                ),
                None if status == 500 && body.contains("schema is not defined") => (
                    "spec",
                    "the response has an example but no schema: Prism cannot invent one".into(),
                ),
                None => ("client", format!("answered {status}: {body}")),
            };
            return self.line(call, Some(status), class, &detail);
        }
        let decoded = match Op::decode(&raw) {
            Ok(_) => Ok(()),
            Err(api::Error::Api(e)) if Some(e.status.as_u16()) == wanted => Ok(()),
            Err(api::Error::Decode(e)) => Err(invented(&e)
                .map_or_else(|| ("client", e.to_string()), |artefact| ("mock", artefact))),
            Err(e) => Err(("client", e.to_string())),
        };
        match decoded.map(|()| trip(status, raw.body())) {
            Ok(losses) if losses.is_empty() => self.line(call, Some(status), "pass", ""),
            Ok(losses) => {
                let detail = format!("round trip: {} {}", losses[0].pointer, losses[0].detail);
                self.line_with(call, Some(status), "client", &detail, &losses, None);
            }
            Err((class, detail)) => {
                self.line_with(call, Some(status), class, &detail, &[], Some(raw.body()))
            }
        }
    }
}

/// A decode failure caused by a value the mock server invented outside
/// what the schema's format allows (an integer out of the format's range:
/// Prism ignores `format` when it invents numbers), described with the
/// value; `None` for any other failure.
fn invented(e: &api::DecodeError) -> Option<String> {
    let message = e.source.to_string();
    let value = message.strip_prefix("invalid value: integer `")?;
    let (value, rest) = value.split_once('`')?;
    let expected = rest.strip_prefix(", expected ")?.split(" at line").next()?;
    Some(format!(
        "Prism sent {value} at {} where the format allows {expected}",
        e.path
    ))
}
