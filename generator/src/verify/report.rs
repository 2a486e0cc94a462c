/// Reads `json` as an argument's type.
fn arg<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("a synthesised argument does not decode: {e}: {json}"))
}

/// Prints one JSON line per call: the operation, the call, the status and
/// whether it passed (a 2xx whose body decoded), with what went wrong.
struct Report;

impl Report {
    fn skip(&mut self, id: &str, reason: &str) {
        line(id, "skip", None, true, reason);
    }

    async fn call<Op: Operation + Clone + 'static>(
        &mut self,
        id: &str,
        label: &str,
        client: &Client,
        operation: Op,
        rounds: u32,
    ) {
        let result = client.request(operation.clone()).send_with_response().await;
        record(id, label, result.map(|r| r.status.as_u16()));
        if label != "all" {
            return;
        }
        // Random schema-valid responses, each of which must decode.
        for _ in 0..rounds {
            let result = client
                .request(operation.clone())
                .header(
                    reqwest::header::HeaderName::from_static("prefer"),
                    reqwest::header::HeaderValue::from_static("dynamic=true"),
                )
                .send_with_response()
                .await;
            record(id, "dynamic", result.map(|r| r.status.as_u16()));
        }
    }
}

impl Report {
    /// Asks for the documented error `status`, which must decode as it.
    async fn documented_error<Op: Operation + 'static>(
        &mut self,
        id: &str,
        status: u16,
        client: &Client,
        operation: Op,
    ) {
        let prefer = format!("code={status}");
        let result = client
            .request(operation)
            .header(
                reqwest::header::HeaderName::from_static("prefer"),
                reqwest::header::HeaderValue::from_str(&prefer).expect("a header value"),
            )
            .send_with_response()
            .await;
        let label = format!("error {status}");
        match result {
            Err(Error::Api(e)) if e.status.as_u16() == status => {
                line(id, &label, Some(status), true, "")
            }
            Ok(r) => line(
                id,
                &label,
                Some(r.status.as_u16()),
                false,
                "answered as a success",
            ),
            Err(e) => record::<Op::Error>(id, &label, Err(e)),
        }
    }
}

fn record<E: std::fmt::Debug>(id: &str, label: &str, result: Result<u16, Error<E>>) {
    match result {
        Ok(status) => line(id, label, Some(status), true, ""),
        Err(e) => {
            // Prism names the rule a request broke in this header.
            let violations = e
                .headers()
                .and_then(|h| h.get("sl-violations"))
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let detail = if violations.is_empty() {
                e.to_string()
            } else {
                format!("{e}; violations: {violations}")
            };
            line(id, label, e.status().map(|s| s.as_u16()), false, &detail);
        }
    }
}

fn line(id: &str, label: &str, status: Option<u16>, ok: bool, detail: &str) {
    println!(
        "{}",
        serde_json::json!({"operation": id, "call": label, "status": status, "ok": ok, "detail": detail})
    );
}
