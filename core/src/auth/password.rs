//! Password hashing, as the services need it (`chorus_adapters::passwords` implements it with argon2id).

use futures_util::future::BoxFuture;

use crate::error::Result;

pub trait PasswordHasher: Send + Sync + 'static {
    /// A PHC string for `password`, with a fresh salt.
    fn hash<'a>(&'a self, password: &'a str) -> BoxFuture<'a, Result<String>>;
    /// Checks `password` against a stored PHC string. `None` (unknown account) must fail, taking the same
    /// time as a real check, so log-in does not reveal which accounts exist.
    fn verify<'a>(
        &'a self,
        password: &'a str,
        stored: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool>>;
}
