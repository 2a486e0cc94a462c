/// Decodes `json` as `T`, checks the alternative it became (for unions) and
/// that encoding gives `json` back; records what went wrong in `failures`.
fn check<T>(failures: &mut Vec<String>, name: &str, json: &str, variant: Option<&str>)
where
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let sent: serde_json::Value = serde_json::from_str(json).expect("the instance is JSON");
    let decoded: T = match serde_json::from_str(json) {
        Ok(decoded) => decoded,
        Err(e) => {
            failures.push(format!("{name}: {json} does not decode: {e}"));
            return;
        }
    };
    if let Some(variant) = variant {
        let debug = format!("{decoded:?}");
        if !debug.starts_with(&format!("{variant}(")) {
            failures.push(format!("{name}: {json} decodes as {debug}, not {variant}"));
        }
    }
    match serde_json::to_value(&decoded) {
        Ok(back) if back == sent => {}
        Ok(back) => failures.push(format!("{name}: {json} encodes back as {back}")),
        Err(e) => failures.push(format!("{name}: {json} does not encode: {e}")),
    }
}
