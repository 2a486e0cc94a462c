//! Upload a WebAssembly binary and create an app that runs it.
//!
//! `GCORE_API_KEY=... cargo run --example upload_and_create_app -- <app.wasm> <app name>`

use fastedge_api::operations::StoreBinaryError;
use fastedge_api::types::AppInput;
use fastedge_api::{BinaryBody, Client};
use std::collections::BTreeMap;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(wasm), Some(name)) = (args.next(), args.next()) else {
        return Err("usage: upload_and_create_app <app.wasm> <app name>".into());
    };
    let client = Client::from_env()?;

    // The file is streamed from disk, and read again if the upload is retried.
    let binary = match client.store_binary(BinaryBody::from_file(&wasm)).await {
        Ok(binary) => binary,
        Err(e) if matches!(e.api_error(), Some(StoreBinaryError::TooManyRequests(_))) => {
            return Err("binary limit reached: delete binaries no app uses first".into());
        }
        Err(e) => return Err(e.into()),
    };
    println!("binary {} stored ({})", binary.id, binary.api_type);

    let app = client
        .add_app()
        .body(AppInput {
            name: Some(name),
            binary: Some(binary.id),
            // Enabled: it serves traffic at once.
            status: Some(1),
            env: Some(BTreeMap::from([("LOG_LEVEL".into(), "info".into())])),
            ..Default::default()
        })
        .await?;
    println!(
        "app {} created at {}",
        app.name,
        app.url.unwrap_or_default()
    );
    Ok(())
}
