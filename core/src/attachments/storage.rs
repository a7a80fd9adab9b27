//! Where uploaded bytes live (the port; `chorus_adapters::files` has the local disk and S3 stores).
//! Clients always fetch through the api's `/files/{key}`; S3 objects are answered with a redirect to a
//! short-lived presigned URL, so buckets stay private.

use futures_util::future::BoxFuture;

use crate::error::Result;

/// How `/files/{key}` answers.
pub enum Fetched {
    Bytes(Vec<u8>),
    Redirect(String),
    Missing,
}

/// A store of uploaded files, by key.
pub trait Storage: Send + Sync + 'static {
    fn put<'a>(
        &'a self,
        key: &'a str,
        bytes: Vec<u8>,
        content_type: &'a str,
    ) -> BoxFuture<'a, Result<()>>;
    fn fetch<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Fetched>>;
}
