//! Where domain errors become GraphQL errors, once for every operation: resolvers return
//! [`chorus_core::Error`] through `?` (async-graphql keeps it as the error's source), and [`ErrorCodes`]
//! rewrites each such error with the public message, `extensions.code` and `extensions.field`, logging
//! internal failures on the way.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextRequest, NextSubscribe,
};
use async_graphql::{ErrorExtensionValues, Response, ServerError};
use chorus_core::Error;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

/// A GraphQL error for a domain error outside any resolver (e.g. a refused request).
pub fn server_error(err: &Error) -> ServerError {
    let mut server_error = ServerError::new(err.public_message(), None);
    server_error.extensions = Some(extensions(err));
    server_error
}

fn extensions(err: &Error) -> ErrorExtensionValues {
    let mut values = ErrorExtensionValues::default();
    set_extensions(&mut values, err);
    values
}

fn set_extensions(values: &mut ErrorExtensionValues, err: &Error) {
    values.set("code", err.code());
    if let Some(field) = err.field() {
        values.set("field", field);
    }
}

/// Rewrites the errors of a response whose source is a domain error.
fn map_response(mut response: Response) -> Response {
    for error in &mut response.errors {
        // A domain error itself, or one shared by a DataLoader batch.
        let Some(domain) = error.source.as_ref().and_then(|source| {
            source
                .downcast_ref::<Error>()
                .or_else(|| source.downcast_ref::<Arc<Error>>().map(|shared| &**shared))
        }) else {
            continue;
        };
        domain.log_if_internal();
        error.message = domain.public_message();
        set_extensions(
            error.extensions.get_or_insert_with(Default::default),
            domain,
        );
    }
    response
}

/// The schema extension that maps domain errors (register it first, so it sees every other extension's
/// errors too).
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        map_response(next.run(ctx).await)
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream).map(map_response).boxed()
    }
}
