//! argon2id password hashing, run off the async runtime on a bounded number of blocking threads with reused
//! working memory.

use std::sync::{Arc, Mutex, OnceLock};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use chorus_core::auth::password::PasswordHasher;
use chorus_core::error::{Error, Result};
use futures_util::future::BoxFuture;

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

/// Hashing work admitted at once: below the core count, so a burst of log-ins queues here instead of
/// starving the async workers (and each hash needs its own `memory_kib` of working memory).
fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1).max(1))
        .unwrap_or(1)
}

#[derive(Clone)]
pub struct Passwords {
    params: Params,
    /// Hash checked when a log-in names an unknown e-mail, so that it costs the same as a wrong password.
    dummy: Arc<OnceLock<String>>,
    /// At most [`workers`] hashes run at once.
    admit: Arc<Semaphore>,
    /// Working memory reused across hashes: allocating (and freeing) 19 MiB per hash leaves glibc holding
    /// the freed blocks, so a burst of log-ins would keep gigabytes of RSS.
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
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
            admit: Arc::new(Semaphore::new(workers())),
            memory: Arc::default(),
        })
    }

    /// Runs `work` on the blocking pool once admitted, with pooled working memory.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Memory) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let _permit = self
            .admit
            .acquire()
            .await
            .map_err(|_| Error::internal("password hashing stopped"))?;
        let memory = Memory(self.memory.clone());
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            work(&memory)
        })
        .await?
    }

    async fn hash_now(&self, password: &str) -> Result<String> {
        let params = self.params.clone();
        let password = password.to_owned();
        self.run(move |memory| hash_blocking(&params, &password, memory))
            .await
    }

    /// Checks `password` against a stored PHC string. `None` (unknown account) checks against a dummy hash
    /// and always fails, taking the same time as a real check.
    async fn verify_now(&self, password: &str, stored: Option<&str>) -> Result<bool> {
        let params = self.params.clone();
        let dummy = self.dummy.clone();
        let password = password.to_owned();
        let stored = stored.map(str::to_owned);
        self.run(move |memory| {
            let (phc, real) = match &stored {
                Some(phc) => (phc.as_str(), true),
                None => {
                    if dummy.get().is_none() {
                        let made = hash_blocking(&params, "chorus-dummy-password", memory)?;
                        let _ = dummy.set(made);
                    }
                    (dummy.get().map(String::as_str).unwrap_or_default(), false)
                }
            };
            Ok(verify_blocking(phc, &password, memory)? && real)
        })
        .await
    }
}

impl PasswordHasher for Passwords {
    fn hash<'a>(&'a self, password: &'a str) -> BoxFuture<'a, Result<String>> {
        Box::pin(self.hash_now(password))
    }

    fn verify<'a>(
        &'a self,
        password: &'a str,
        stored: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool>> {
        Box::pin(self.verify_now(password, stored))
    }
}

/// The pool of argon2 working memory.
struct Memory(Arc<Mutex<Vec<Vec<Block>>>>);

impl Memory {
    fn with<T>(&self, blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
        let reused = {
            let mut pool = self.0.lock().unwrap_or_else(|e| e.into_inner());
            pool.iter()
                .position(|b| b.len() == blocks)
                .map(|i| pool.swap_remove(i))
        };
        let mut buffer = reused.unwrap_or_else(|| vec![Block::default(); blocks]);
        let out = f(&mut buffer);
        let mut pool = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // One buffer per admitted worker is all that is ever needed at once.
        if pool.len() < workers() {
            pool.push(buffer);
        }
        out
    }
}

fn hash_blocking(params: &Params, password: &str, memory: &Memory) -> Result<String> {
    let mut salt = [0u8; Salt::RECOMMENDED_LENGTH];
    getrandom::fill(&mut salt).map_err(|e| Error::internal(format!("no randomness: {e}")))?;
    let salt = Salt::new(&salt).map_err(Error::internal)?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    memory
        .with(params.block_count(), |blocks| {
            argon2.hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, blocks)
        })
        .map_err(Error::internal)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(Error::internal)?,
        salt: Some(salt),
        hash: Some(Output::new(&out).map_err(Error::internal)?),
    };
    Ok(phc.to_string())
}

/// Recomputes the hash with the stored parameters and salt and compares in constant time.
fn verify_blocking(phc: &str, password: &str, memory: &Memory) -> Result<bool> {
    let parsed = PasswordHash::new(phc).map_err(Error::internal)?;
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return Err(Error::internal("stored password hash without salt or hash"));
    };
    let algorithm = Algorithm::new(parsed.algorithm.as_str()).map_err(Error::internal)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(Error::internal)?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(Error::internal)?;
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params.clone());
    memory
        .with(params.block_count(), |blocks| {
            argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks)
        })
        .map_err(Error::internal)?;
    Ok(Output::new(&out).map_err(Error::internal)? == *expected)
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    use super::*;
    use chorus_core::auth::password::PasswordHasher as _;

    fn cheap() -> Passwords {
        Passwords::new(PasswordSettings {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let passwords = cheap();
        let phc = passwords.hash("correct horse").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        assert!(passwords.verify("correct horse", Some(&phc)).await.unwrap());
        assert!(!passwords.verify("wrong horse", Some(&phc)).await.unwrap());
        assert!(!passwords.verify("correct horse", None).await.unwrap());
    }

    #[tokio::test]
    async fn hashes_are_standard_phc_strings_both_ways() {
        let passwords = cheap();
        // Ours verify with the argon2 crate's own verifier...
        let ours = passwords.hash("pw").await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"pw", &parsed).is_ok());
        // ...and hashes made by it (e.g. with other costs) verify with ours.
        let theirs = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(128, 2, 1, None).unwrap(),
        )
        .hash_password(b"pw")
        .unwrap()
        .to_string();
        assert!(passwords.verify("pw", Some(&theirs)).await.unwrap());
        assert!(!passwords.verify("px", Some(&theirs)).await.unwrap());
    }
}
