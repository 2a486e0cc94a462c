//! List every app, fetching pages of 100 as the stream is read.
//!
//! `GCORE_API_KEY=... cargo run --example page_through_apps [-- <name filter>]`

use fastedge_api::Client;
use fastedge_api::types::Ordering;
use futures_util::TryStreamExt;
use std::pin::pin;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let mut request = client.list_apps().limit(100).ordering(Ordering::Name);
    if let Some(filter) = std::env::args().nth(1) {
        request = request.name(filter);
    }
    let mut apps = pin!(request.into_stream());
    let mut count = 0;
    while let Some(app) = apps.try_next().await? {
        count += 1;
        println!("{:>8}  {:<40} status {}", app.id, app.name, app.status);
    }
    println!("{count} apps");
    Ok(())
}
