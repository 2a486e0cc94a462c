//! A hook that adds a header to every attempt and times attempts, requests
//! spawned on tasks, and a list walked page by page, resumable.
//!
//! `GCORE_API_KEY=... cargo run --example hooks_spawn_and_pages`

use fastedge_api::{AttemptInfo, AttemptOutcome, ClientBuilder, Hook, HookFuture, reqwest};
use futures_util::TryStreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Adds a correlation header to every attempt, and sums the time attempts took.
#[derive(Default)]
struct Correlate {
    total_ms: AtomicU64,
}

impl Hook for Correlate {
    fn before_attempt<'a>(
        &'a self,
        attempt: &'a AttemptInfo,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a> {
        Box::pin(async move {
            let id = format!("{}-{}", attempt.operation_id, attempt.number);
            request
                .headers_mut()
                .insert("x-correlation-id", id.parse()?);
            Ok(())
        })
    }

    fn after_attempt(&self, _attempt: &AttemptInfo, outcome: &AttemptOutcome<'_>) {
        let elapsed = match outcome {
            AttemptOutcome::Response { elapsed, .. } | AttemptOutcome::Failed { elapsed, .. } => {
                *elapsed
            }
            _ => return,
        };
        self.total_ms
            .fetch_add(elapsed.as_millis() as u64, Ordering::Relaxed);
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let timing = Arc::new(Correlate::default());
    let client = ClientBuilder::from_env()?
        // Shared: the application keeps a handle to read the figures.
        .hook(timing.clone())
        .build()?;

    // Requests own what they need: spawn them, join them later.
    let tasks: Vec<_> = [1, 2, 3]
        .into_iter()
        .map(|id| tokio::spawn(client.get_app(id).send()))
        .collect();
    for task in tasks {
        match task.await? {
            Ok(app) => println!("app {:?}", app.name),
            Err(e) => println!("error: {e}"),
        }
    }

    // Whole pages, with the total; `next_offset` resumes a walk later.
    let mut pages = std::pin::pin!(client.list_apps().limit(50).into_pages());
    let mut resume_at = None;
    while let Some(page) = pages.try_next().await? {
        println!(
            "{} apps from {} (of {:?})",
            page.items.len(),
            page.offset,
            page.total
        );
        resume_at = page.next_offset();
    }
    println!("resume at {resume_at:?}");
    println!(
        "attempts took {} ms",
        timing.total_ms.load(Ordering::Relaxed)
    );
    Ok(())
}
