//! One span per call when the `tracing` feature is on; nothing at all when it is off.

use crate::transport::HttpResponse;

/// The span of one call: operation, attempt, status and request id, never anything secret.
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl CallSpan {
    pub(crate) fn new(operation: &'static str) -> Self {
        let _ = operation;
        Self {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                "imagekit.call",
                operation,
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            ),
        }
    }

    /// Notes that attempt `number` (1 for the first) starts.
    pub(crate) fn attempt(&self, number: u32) {
        let _ = number;
        #[cfg(feature = "tracing")]
        self.span.record("attempt", number);
    }

    /// Notes an attempt's answer.
    pub(crate) fn answered(&self, response: &HttpResponse) {
        let _ = response;
        #[cfg(feature = "tracing")]
        {
            self.span.record("status", response.status().as_u16());
            let id = response.headers().get(crate::response::REQUEST_ID_HEADER);
            if let Some(id) = id.and_then(|v| v.to_str().ok()) {
                self.span.record("request_id", id);
            }
        }
    }

    /// Enters the span for as long as the guard lives (one poll of the call's future).
    #[cfg(feature = "tracing")]
    pub(crate) fn enter(&self) -> tracing::span::Entered<'_> {
        self.span.enter()
    }

    /// Nothing to enter without the `tracing` feature.
    #[cfg(not(feature = "tracing"))]
    pub(crate) fn enter(&self) -> NotEntered {
        NotEntered
    }
}

/// What entering a span gives without the `tracing` feature: nothing to leave.
#[cfg(not(feature = "tracing"))]
pub(crate) struct NotEntered;
