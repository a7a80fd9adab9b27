//! Rate limits (GCRA via `governor`), per process: log-in attempts per e-mail address (password guessing)
//! and messages per user (flooding). Refusals are RATE_LIMITED (HTTP 429 on REST).

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use uuid::Uuid;

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug)]
pub struct RateSettings {
    /// Log-in attempts per e-mail address per minute (a burst of as many is allowed).
    pub login_per_minute: u32,
    /// Messages (and thread replies) per user per minute, sustained.
    pub messages_per_minute: u32,
    /// Messages a user may send at once before the sustained rate applies.
    pub message_burst: u32,
}

impl Default for RateSettings {
    fn default() -> Self {
        Self {
            login_per_minute: 10,
            messages_per_minute: 600,
            message_burst: 120,
        }
    }
}

pub struct RateLimits {
    login: DefaultKeyedRateLimiter<String>,
    messages: DefaultKeyedRateLimiter<Uuid>,
}

fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

impl RateLimits {
    pub fn new(settings: RateSettings) -> Self {
        let login = Quota::per_minute(at_least_one(settings.login_per_minute));
        let messages = Quota::per_minute(at_least_one(settings.messages_per_minute))
            .allow_burst(at_least_one(settings.message_burst));
        Self {
            login: RateLimiter::keyed(login),
            messages: RateLimiter::keyed(messages),
        }
    }

    pub fn login(&self, email: &str) -> Result<()> {
        if self.login.len() > 100_000 {
            self.login.retain_recent();
        }
        self.login.check_key(&email.to_owned()).map_err(|_| {
            Error::RateLimited("too many log-in attempts for this account; try again in a minute")
        })
    }

    pub fn message(&self, user: Uuid) -> Result<()> {
        if self.messages.len() > 100_000 {
            self.messages.retain_recent();
        }
        self.messages
            .check_key(&user)
            .map_err(|_| Error::RateLimited("you are sending messages too fast; slow down"))
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::new(RateSettings::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_per_key() {
        let limits = RateLimits::new(RateSettings {
            login_per_minute: 2,
            messages_per_minute: 60,
            message_burst: 1,
        });
        assert!(limits.login("a@x").is_ok());
        assert!(limits.login("a@x").is_ok());
        assert_eq!(limits.login("a@x").unwrap_err().code(), "RATE_LIMITED");
        assert!(limits.login("b@x").is_ok());
        let (u1, u2) = (Uuid::now_v7(), Uuid::now_v7());
        assert!(limits.message(u1).is_ok());
        assert!(limits.message(u1).is_err());
        assert!(limits.message(u2).is_ok());
    }
}
