use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::startup::AppState;

/// The longest a readiness check waits for the database: a load balancer needs an answer, not a hang.
const DB_CHECK: Duration = Duration::from_millis(800);

/// Liveness: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: ready means the database answers (within a second). The bus is reported, not required: without
/// Redis, writes still work and delivery across processes falls back to storage (`"bus": "degraded"`).
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let db = match tokio::time::timeout(DB_CHECK, state.deps.db.ping()).await {
        Ok(Ok(())) => true,
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness: database check failed");
            false
        }
        Err(_) => {
            tracing::warn!("readiness: database check timed out");
            false
        }
    };
    let bus = state.deps.bus.health();
    let status = if db {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if db { "ready" } else { "unavailable" },
        "database": if db { "ok" } else { "error" },
        "bus": if bus.connected { "ok" } else { "degraded" },
        "busPublishFailures": bus.publish_failures,
        "busDisconnects": bus.disconnects,
    });
    (status, Json(body))
}

/// Prometheus text exposition of the process's own health gauges and counters.
pub async fn metrics(
    State(state): State<AppState>,
) -> ([(axum::http::HeaderName, &'static str); 1], String) {
    let bus = state.deps.bus.health();
    let events = state.events.stats();
    let previews = *state.deps.previews.tally().borrow();
    let mut body = format!(
        "# HELP chorus_bus_connected Whether the event bus reaches its broker (1) or is degraded (0).\n\
         # TYPE chorus_bus_connected gauge\n\
         chorus_bus_connected {}\n\
         # HELP chorus_bus_publish_failures_total Publishes that failed or timed out (subscribers caught up from storage).\n\
         # TYPE chorus_bus_publish_failures_total counter\n\
         chorus_bus_publish_failures_total {}\n\
         # HELP chorus_bus_disconnects_total Times the event bus lost its broker connection.\n\
         # TYPE chorus_bus_disconnects_total counter\n\
         chorus_bus_disconnects_total {}\n\
         # HELP chorus_requests_shed_total Requests answered 503 because CHORUS_MAX_IN_FLIGHT were running.\n\
         # TYPE chorus_requests_shed_total counter\n\
         chorus_requests_shed_total {}\n\
         # HELP chorus_event_results_executed_total Deliveries of stored events resolved by running their selection.\n\
         # TYPE chorus_event_results_executed_total counter\n\
         chorus_event_results_executed_total {}\n\
         # HELP chorus_event_results_shared_total Deliveries of stored events sent as another delivery's serialised result.\n\
         # TYPE chorus_event_results_shared_total counter\n\
         chorus_event_results_shared_total {}\n",
        u8::from(bus.connected),
        bus.publish_failures,
        bus.disconnects,
        state.in_flight.shed(),
        events.executed,
        events.shared,
    );
    body.push_str(
        "# HELP chorus_link_previews_total Link preview tasks by how they ended (fetched: pages requested).\n\
         # TYPE chorus_link_previews_total counter\n",
    );
    for (outcome, count) in [
        ("changed", previews.changed),
        ("unchanged", previews.unchanged),
        ("empty", previews.empty),
        ("refused", previews.refused),
        ("failed", previews.failed),
        ("fetched", previews.fetched),
    ] {
        body.push_str(&format!(
            "chorus_link_previews_total{{outcome=\"{outcome}\"}} {count}\n"
        ));
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        body,
    )
}
