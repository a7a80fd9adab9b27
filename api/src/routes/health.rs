use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::startup::AppState;

/// Liveness: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database and the event bus answer.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let (db, bus) = tokio::join!(state.deps.db.ping(), state.deps.bus.ping());
    if let Err(err) = &db {
        tracing::warn!(error = %err, "readiness: database check failed");
    }
    if let Err(err) = &bus {
        tracing::warn!(error = ?err, "readiness: bus check failed");
    }
    let word = |ok: bool| if ok { "ok" } else { "error" };
    let ready = db.is_ok() && bus.is_ok();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ready { "ready" } else { "unavailable" },
        "database": word(db.is_ok()),
        "bus": word(bus.is_ok()),
    });
    (status, Json(body))
}
