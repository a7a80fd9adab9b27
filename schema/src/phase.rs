//! How far a request got. GraphQL over HTTP tells a *request error* (the document did not parse or
//! validate, no operation could be selected, the variables could not be coerced: nothing ran and the
//! response has no `data`) from an operation that ran and failed (`data` present, maybe null). Transports
//! that answer the two differently attach a [`Started`] to the request and read it afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::Response;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};

/// Set when the request's operation starts executing (everything before that succeeded).
#[derive(Clone, Default)]
pub struct Started(Arc<AtomicBool>);

impl Started {
    /// Whether the operation started executing.
    pub fn get(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// The schema extension that sets a request's [`Started`], when the transport attached one.
pub struct Phase;

impl ExtensionFactory for Phase {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PhaseExtension)
    }
}

struct PhaseExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for PhaseExtension {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(started) = ctx.data_opt::<Started>() {
            started.0.store(true, Ordering::Release);
        }
        next.run(ctx, operation_name).await
    }
}
