use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::response::Html;

use crate::startup::AppState;

/// `POST /graphql`: the caller is authenticated here, at the edge, and handed to the schema.
pub async fn execute(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let auth = state
        .deps
        .tokens
        .authenticate(headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()));
    let request = schema::prepare_request(request.into_inner(), &state.deps, auth);
    state.schema.execute(request).await.into()
}

/// `GET /graphql`: the GraphiQL playground.
pub async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .title("Chorus GraphiQL")
            .finish(),
    )
}
