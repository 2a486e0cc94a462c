//! What the generated client costs per request against raw `reqwest`, on
//! loopback: a keep-alive server answers `GET /fastedge/v1/apps/1` with a
//! fixed app; the client's `get_app(1)` (no hooks) and `reqwest` GET +
//! `serde_json::from_slice::<App>` (what `.json()` does) take turns, a round of each at a time, and each side's
//! median per-request time is printed with the ratio.
//!
//! Run by `cargo xtask bench` in a release build.
//! `cargo run --release --example request_bench [-- <rounds>]`

use fastedge_api::Client;
use fastedge_api::types::App;
use std::hint::black_box;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Requests per round, so that a round takes milliseconds.
const PER_ROUND: usize = 200;

const APP: &str =
    r#"{"id":1,"name":"app-1","status":1,"binary":12,"api_type":"wasi-http","plan_id":1}"#;

/// A keep-alive HTTP/1.1 server answering every request with `APP`.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{APP}",
                    APP.len()
                );
                let mut buf = vec![0u8; 8192];
                let mut pending = Vec::new();
                loop {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => pending.extend_from_slice(&buf[..n]),
                    }
                    // Requests carry no body: one answer per head.
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    url
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(21);
    let url = serve().await;
    let client = Client::builder()
        .api_key("bench-key")
        .base_url(&url)
        .build()
        .expect("client");
    let raw = fastedge_api::reqwest::Client::new();
    let raw_url = format!("{url}/fastedge/v1/apps/1");

    // Warm up both connection pools.
    client.get_app(1).await.expect("client request");
    raw.get(&raw_url).send().await.expect("raw request");

    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..PER_ROUND {
            black_box(client.get_app(1).await.expect("client request"));
        }
        ours.push(start.elapsed() / PER_ROUND as u32);

        let start = Instant::now();
        for _ in 0..PER_ROUND {
            let body = raw
                .get(&raw_url)
                .header("authorization", "APIKey bench-key")
                .header("accept", "application/json")
                .send()
                .await
                .expect("raw request")
                .bytes()
                .await
                .expect("raw body");
            // What reqwest's `.json()` does.
            let app: App = serde_json::from_slice(&body).expect("raw decode");
            black_box(app);
        }
        theirs.push(start.elapsed() / PER_ROUND as u32);
    }
    let (ours, theirs) = (median(ours), median(theirs));
    println!(
        "per request on loopback (median of {rounds} interleaved rounds of {PER_ROUND}): reqwest GET + json {:.1} us, the client's get_app {:.1} us (ratio {:.3})",
        theirs.as_secs_f64() * 1e6,
        ours.as_secs_f64() * 1e6,
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}
