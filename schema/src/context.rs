//! What every resolver can reach: the shared service handles ([`Deps`]) and the authenticated caller
//! ([`Auth`]), read through the typed helpers of [`ContextExt`] instead of raw `ctx.data` lookups.

use std::net::IpAddr;
use std::sync::Arc;

use async_graphql::Context;
pub use chorus_core::context::{Auth, ClientIp, Deps, Viewer};

use crate::loaders::Loaders;
use crate::realtime::resolve_once::{SharedLoaders, ViewerRead};
use chorus_core::error::Result;

pub trait ContextExt {
    fn deps(&self) -> &Deps;
    fn auth(&self) -> Auth;
    /// `None` when the transport attached none (schema tests, print-schema).
    fn client_ip(&self) -> Option<IpAddr>;
    fn loaders(&self) -> &Loaders;
    /// The authenticated caller, or UNAUTHENTICATED.
    fn viewer(&self) -> Result<Viewer> {
        self.auth().viewer()
    }
}

/// Whatever the caller's identity decides makes a result the caller's own: an event's result is shared
/// between subscribers only when its execution never came here (`crate::realtime::resolve_once`).
trait ReadsViewer {
    fn viewer_read(&self);
}

impl ReadsViewer for Context<'_> {
    fn viewer_read(&self) {
        if let Some(read) = self.data_opt::<Arc<ViewerRead>>() {
            read.mark();
        }
    }
}

impl ContextExt for Context<'_> {
    fn deps(&self) -> &Deps {
        // `build_schema` always registers `Deps`; a schema without it is a programming error.
        self.data::<Deps>()
            .expect("Deps registered by build_schema")
    }

    fn auth(&self) -> Auth {
        self.viewer_read();
        self.data_opt::<Auth>().copied().unwrap_or(Auth::Anonymous)
    }

    fn client_ip(&self) -> Option<IpAddr> {
        self.viewer_read();
        self.data_opt::<ClientIp>().map(|ip| ip.0)
    }

    fn loaders(&self) -> &Loaders {
        if let Some(shared) = self.data_opt::<SharedLoaders>() {
            return &shared.0;
        }
        // Registered per request by `crate::prepare_request`.
        self.data::<Loaders>()
            .expect("Loaders registered per request")
    }
}
