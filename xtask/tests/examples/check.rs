/// Decodes `json` as the response `status` of `Op` (a success must be `Ok`,
/// a documented error `Error::Api`), then as the body's type `T`, which must
/// encode back without losing a field (but the `undeclared` ones, which
/// its schema does not declare); records what went wrong.
fn example<Op, T>(
    failures: &mut Vec<String>,
    name: &str,
    status: u16,
    success: bool,
    json: &str,
    undeclared: &[&str],
) where
    Op: Operation,
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    let status = reqwest::StatusCode::from_u16(status).expect("a status");
    let raw = RawResponse::new(status, headers, json.as_bytes().to_vec());
    match (Op::decode(&raw), success) {
        (Ok(_), true) | (Err(Error::Api(_)), false) => {}
        (Ok(_), false) => failures.push(format!("{name}: decodes as a success")),
        (Err(e), _) => failures.push(format!("{name}: {e}")),
    }
    let sent: serde_json::Value = serde_json::from_str(json).expect("the example is JSON");
    match serde_json::from_str::<T>(json).map(|decoded| serde_json::to_value(&decoded)) {
        Ok(Ok(back)) => {
            let mut lost = Vec::new();
            lost_fields(&sent, &back, String::new(), &mut lost);
            lost.retain(|path| !undeclared.contains(&path.as_str()));
            if !lost.is_empty() {
                failures.push(format!("{name}: encoding back loses {}", lost.join(", ")));
            }
        }
        Ok(Err(e)) => failures.push(format!("{name}: does not encode: {e}")),
        Err(e) => failures.push(format!("{name}: does not decode as the body's type: {e}")),
    }
}

/// The paths of the fields `sent` has (not null) that `back` lacks.
fn lost_fields(
    sent: &serde_json::Value,
    back: &serde_json::Value,
    at: String,
    lost: &mut Vec<String>,
) {
    use serde_json::Value;
    match (sent, back) {
        (Value::Object(sent), Value::Object(back)) => {
            for (key, value) in sent {
                let path = format!("{at}.{key}");
                match back.get(key) {
                    _ if value.is_null() => {}
                    Some(kept) => lost_fields(value, kept, path, lost),
                    None => lost.push(path),
                }
            }
        }
        (Value::Array(sent), Value::Array(back)) => {
            for (i, (value, kept)) in sent.iter().zip(back).enumerate() {
                lost_fields(value, kept, format!("{at}[{i}]"), lost);
            }
            if back.len() < sent.len() {
                lost.push(format!("{at}[{}..]", back.len()));
            }
        }
        _ => {}
    }
}
