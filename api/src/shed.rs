//! Load shedding for request/response traffic: at most `CHORUS_MAX_IN_FLIGHT` GraphQL and REST requests run
//! at once; past that a request is answered at once with 503, `Retry-After` and the code UNAVAILABLE instead
//! of queueing. Past saturation the server then keeps answering what it admits at full speed (throughput
//! levels off) instead of every request slowing down together until clients time out. Long-lived streams
//! (WebSocket, SSE) are not counted: they are bounded by the connection and socket caps.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::startup::AppState;

/// The admission gate shared by every listener of one process.
pub struct InFlight {
    permits: Arc<Semaphore>,
    shed: AtomicU64,
}

impl InFlight {
    pub fn new(max: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(max.max(1))),
            shed: AtomicU64::new(0),
        }
    }

    /// Requests refused since start (for `/metrics`).
    pub fn shed(&self) -> u64 {
        self.shed.load(Ordering::Relaxed)
    }
}

/// The middleware: admits the request while a permit is free, holding it until the response is produced.
pub async fn admit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Ok(_permit) = state.in_flight.permits.clone().try_acquire_owned() else {
        state.in_flight.shed.fetch_add(1, Ordering::Relaxed);
        let err = chorus_core::Error::Unavailable("the server is busy; retry shortly");
        let mut response = (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(crate::routes::graphql::error_body(&err)),
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    };
    next.run(request).await
}
