//! A sleeper that does not wait, so retry tests run instantly and can assert the waits.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use imagekit_core::Sleep;
use imagekit_core::runtime::BoxFuture;

/// Returns at once from every sleep and records the durations asked for.
///
/// ```
/// use imagekit_core::{Client, RetryPolicy};
/// use imagekit_mock::{fixtures, InstantSleep, ScriptedTransport};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let transport = ScriptedTransport::new();
/// transport.push_response(fixtures::server_error()).push_response(fixtures::ok(fixtures::file()));
/// let sleep = InstantSleep::new();
/// let client = Client::builder()
///     .private_key("test")
///     .transport(transport.clone())
///     .sleeper(sleep.clone())
///     .retry_policy(RetryPolicy::default().with_jitter(false))
///     .build()
///     .unwrap();
/// client.files().get("file_1").await.unwrap();
/// assert_eq!(transport.request_count(), 2);
/// assert_eq!(sleep.waits(), [std::time::Duration::from_millis(500)]);
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct InstantSleep {
    waits: Arc<Mutex<Vec<Duration>>>,
}

impl InstantSleep {
    /// A sleeper with no recorded waits.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every duration asked for, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Sleep for InstantSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.waits.lock().unwrap_or_else(|p| p.into_inner()).push(duration);
        Box::pin(std::future::ready(()))
    }
}
