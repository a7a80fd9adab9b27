//! argon2id password hashing, run off the async runtime.

use std::sync::{Arc, OnceLock};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};

/// argon2id cost parameters. The default is OWASP's recommendation (m = 19 MiB, t = 2, p = 1); tests use
/// cheap ones through configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordSettings {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordSettings {
    fn default() -> Self {
        Self {
            memory_kib: Params::DEFAULT_M_COST,
            iterations: Params::DEFAULT_T_COST,
            parallelism: Params::DEFAULT_P_COST,
        }
    }
}

#[derive(Clone)]
pub struct Passwords {
    params: Params,
    /// Hash checked when a log-in names an unknown e-mail, so that it costs the same as a wrong password.
    dummy: Arc<OnceLock<String>>,
}

impl Passwords {
    pub fn new(settings: PasswordSettings) -> Result<Self> {
        let params = Params::new(
            settings.memory_kib,
            settings.iterations,
            settings.parallelism,
            None,
        )
        .map_err(|e| Error::internal(format!("invalid argon2 parameters: {e}")))?;
        Ok(Self {
            params,
            dummy: Arc::default(),
        })
    }

    fn hasher(params: Params) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    pub async fn hash(&self, password: &str) -> Result<String> {
        let params = self.params.clone();
        let password = password.to_owned();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            hash_blocking(params, &password)
        })
        .await?
    }

    /// Checks `password` against a stored PHC string. `None` (unknown account) checks against a dummy hash
    /// and always fails, taking the same time as a real check.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool> {
        let params = self.params.clone();
        let dummy = self.dummy.clone();
        let password = password.to_owned();
        let stored = stored.map(str::to_owned);
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let (phc, real) = match &stored {
                Some(phc) => (phc.as_str(), true),
                None => {
                    if dummy.get().is_none() {
                        let made = hash_blocking(params, "chorus-dummy-password")?;
                        let _ = dummy.set(made);
                    }
                    (dummy.get().map(String::as_str).unwrap_or_default(), false)
                }
            };
            let parsed = PasswordHash::new(phc).map_err(Error::internal)?;
            let ok = Passwords::hasher(Params::DEFAULT)
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok(ok && real)
        })
        .await?
    }
}

fn hash_blocking(params: Params, password: &str) -> Result<String> {
    Passwords::hasher(params)
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(Error::internal)
}
