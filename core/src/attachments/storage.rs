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

/// How a stored file is served: its type, whether inline (raster images only), and the name to give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    pub content_type: String,
    pub inline: bool,
    pub file_name: String,
}

impl Served {
    /// The `Content-Disposition` to serve it with.
    pub fn disposition(&self) -> String {
        super::kinds::content_disposition(self.inline, &self.file_name)
    }
}

/// A store of uploaded files, by key.
pub trait Storage: Send + Sync + 'static {
    fn put<'a>(
        &'a self,
        key: &'a str,
        bytes: Vec<u8>,
        content_type: &'a str,
    ) -> BoxFuture<'a, Result<()>>;
    /// The file, or where to get it; a redirect must make the other server answer with `served`'s type and
    /// disposition.
    fn fetch<'a>(&'a self, key: &'a str, served: &'a Served) -> BoxFuture<'a, Result<Fetched>>;
}
