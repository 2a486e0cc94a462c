//! Set a new value for a secret, active from a given time: secret rotation.
//!
//! `GCORE_API_KEY=... cargo run --example rotate_secret -- <secret id> <value>`

use fastedge_api::Client;
use fastedge_api::types::{SecretInput, SecretSlotInput};
use std::time::{SystemTime, UNIX_EPOCH};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(id), Some(value)) = (args.next(), args.next()) else {
        return Err("usage: rotate_secret <secret id> <value>".into());
    };
    let client = Client::from_env()?;
    // The new value takes over in five minutes; the old slot stays until then.
    let active_from = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64 + 300;
    let secret = client
        .patch_secret(
            id.parse()?,
            SecretInput {
                secret_slots: Some(vec![SecretSlotInput {
                    slot: active_from,
                    value: Some(value),
                }]),
                ..Default::default()
            },
        )
        .await?;
    for slot in secret.secret_slots.unwrap_or_default() {
        println!(
            "slot {} checksum {}",
            slot.slot,
            slot.checksum.unwrap_or_default()
        );
    }
    Ok(())
}
