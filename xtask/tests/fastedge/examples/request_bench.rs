//! What the generated client costs per request against raw `reqwest`, on
//! loopback: a keep-alive server answers `GET /fastedge/v1/apps/1` with a
//! fixed app; the client's `get_app(1)` (no hooks), `reqwest` GET +
//! `serde_json::from_slice::<App>` (what `.json()` does), and the same with
//! the client's default timeout set on reqwest take turns, a round of each
//! at a time, and each side's median per-request time is printed with the
//! ratios. (A timeout costs reqwest a timer per request; the client always
//! has one.)
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
    let timed = fastedge_api::reqwest::Client::builder()
        .timeout(fastedge_api::DEFAULT_TIMEOUT)
        .build()
        .expect("reqwest client");
    let raw_url = format!("{url}/fastedge/v1/apps/1");

    // Warm up both connection pools.
    client.get_app(1).await.expect("client request");
    raw.get(&raw_url).send().await.expect("raw request");
    timed.get(&raw_url).send().await.expect("raw request");

    let (mut ours, mut bare, mut with_timeout) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..PER_ROUND {
            black_box(client.get_app(1).await.expect("client request"));
        }
        ours.push(start.elapsed() / PER_ROUND as u32);
        bare.push(reqwest_round(&raw, &raw_url).await);
        with_timeout.push(reqwest_round(&timed, &raw_url).await);
    }
    let (ours, bare, with_timeout) = (median(ours), median(bare), median(with_timeout));
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "per request on loopback (median of {rounds} interleaved rounds of {PER_ROUND}): reqwest GET + json {:.1} us, with a timeout {:.1} us, the client's get_app {:.1} us (ratio {:.3}; {:.3} against reqwest with a timeout)",
        us(bare),
        us(with_timeout),
        us(ours),
        ours.as_secs_f64() / bare.as_secs_f64(),
        ours.as_secs_f64() / with_timeout.as_secs_f64()
    );
}

/// A round of raw reqwest requests: the time per request.
async fn reqwest_round(http: &fastedge_api::reqwest::Client, url: &str) -> Duration {
    let start = Instant::now();
    for _ in 0..PER_ROUND {
        let body = http
            .get(url)
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
    start.elapsed() / PER_ROUND as u32
}
