use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;

use crate::startup::AppState;

/// `GET /graphql/ws`: GraphQL over WebSocket; the token comes in `connection_init`.
pub async fn upgrade(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    ws: WebSocketUpgrade,
) -> Response {
    ws.protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let deps = state.deps.clone();
            GraphQLWebSocket::new(socket, state.schema.clone(), protocol)
                .on_connection_init(move |payload| async move {
                    let token = payload
                        .get("authorization")
                        .or_else(|| payload.get("Authorization"))
                        .or_else(|| payload.get("token"))
                        .and_then(|v| v.as_str());
                    let auth = deps.tokens.authenticate(token);
                    auth.viewer()?;
                    let mut data = Data::default();
                    data.insert(auth);
                    data.insert(schema::loaders::Loaders::new(&deps.db));
                    Ok(data)
                })
                .serve()
        })
}
