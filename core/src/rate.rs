//! Rate limits. Refusals are RATE_LIMITED (HTTP 429 on REST).
//!
//! What is limited, and by which key:
//! - log-ins: per (account, client IP) strictly, per account loosely (so an attacker elsewhere cannot lock the
//!   real user out, yet a password cannot be guessed from many addresses at full speed), per client IP (one
//!   address trying many accounts);
//! - sign-ups per client IP;
//! - messages, room creations and presence changes per user;
//! - GraphQL operations per API token (on top of the limits of the token's user).
//!
//! With Redis configured every api process counts in the same Redis keys (a fixed window per key: `INCR`, and
//! `PEXPIRE … NX` on the first hit), so N processes share one budget. Without Redis, or while Redis does not
//! answer, each process counts for itself (GCRA via `governor`): a limiter that cannot reach Redis must neither
//! hang the request nor refuse it.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use uuid::Uuid;

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug)]
pub struct RateSettings {
    /// Log-in attempts per (e-mail address, client IP) per minute.
    pub login_per_minute: u32,
    /// Log-in attempts per e-mail address per hour, from any address.
    pub login_account_per_hour: u32,
    /// Log-in attempts per client IP per minute, whatever the account.
    pub login_ip_per_minute: u32,
    /// Sign-ups per client IP per hour.
    pub signups_per_ip_per_hour: u32,
    /// Messages (and thread replies) per user per minute, sustained.
    pub messages_per_minute: u32,
    /// Messages a user may send at once before the sustained rate applies.
    pub message_burst: u32,
    /// Rooms (group or new direct) a user may create per hour.
    pub rooms_per_hour: u32,
    /// `setPresence` calls per user per minute.
    pub presence_per_minute: u32,
    /// `search` pages per user per minute (each can scan many rooms).
    pub searches_per_minute: u32,
    /// GraphQL operations per API token per minute.
    pub api_token_operations_per_minute: u32,
}

impl Default for RateSettings {
    fn default() -> Self {
        Self {
            login_per_minute: 10,
            login_account_per_hour: 200,
            login_ip_per_minute: 30,
            signups_per_ip_per_hour: 30,
            messages_per_minute: 600,
            message_burst: 120,
            rooms_per_hour: 100,
            presence_per_minute: 30,
            searches_per_minute: 60,
            api_token_operations_per_minute: 600,
        }
    }
}

/// One limit: at most `count` hits per `window` and key.
#[derive(Clone, Copy, Debug)]
struct Rule {
    /// Part of the Redis key.
    name: &'static str,
    count: u32,
    window: Duration,
    refusal: &'static str,
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    LoginIp,
    Login,
    LoginAccount,
    SignUpIp,
    Messages,
    Rooms,
    Presence,
    Search,
    ApiToken,
}

const KINDS: usize = 9;

impl RateSettings {
    fn rule(&self, kind: Kind) -> Rule {
        const MINUTE: Duration = Duration::from_secs(60);
        const HOUR: Duration = Duration::from_secs(3600);
        let rule = |name, count: u32, window, refusal| Rule {
            name,
            count: count.max(1),
            window,
            refusal,
        };
        match kind {
            Kind::LoginIp => rule(
                "login-ip",
                self.login_ip_per_minute,
                MINUTE,
                "too many log-in attempts from this address; try again in a minute",
            ),
            Kind::Login => rule(
                "login",
                self.login_per_minute,
                MINUTE,
                "too many log-in attempts for this account; try again in a minute",
            ),
            Kind::LoginAccount => rule(
                "login-account",
                self.login_account_per_hour,
                HOUR,
                "too many log-in attempts for this account; try again later",
            ),
            Kind::SignUpIp => rule(
                "signup-ip",
                self.signups_per_ip_per_hour,
                HOUR,
                "too many sign-ups from this address; try again later",
            ),
            // A window holding one burst, at the sustained rate: `burst` per `burst / per_minute` minutes.
            Kind::Messages => {
                let per_minute = self.messages_per_minute.max(1);
                let burst = self.message_burst.max(1);
                let window = MINUTE.mul_f64(f64::from(burst) / f64::from(per_minute));
                rule(
                    "messages",
                    burst,
                    window.max(Duration::from_millis(1)),
                    "you are sending messages too fast; slow down",
                )
            }
            Kind::Rooms => rule(
                "rooms",
                self.rooms_per_hour,
                HOUR,
                "you have created too many rooms; try again later",
            ),
            Kind::Presence => rule(
                "presence",
                self.presence_per_minute,
                MINUTE,
                "you are changing your presence too often; slow down",
            ),
            Kind::Search => rule(
                "search",
                self.searches_per_minute,
                MINUTE,
                "you are searching too often; try again in a minute",
            ),
            Kind::ApiToken => rule(
                "api-token",
                self.api_token_operations_per_minute,
                MINUTE,
                "this API token is sending too many requests; slow down",
            ),
        }
    }
}

/// Counters shared by every api process (e.g. in Redis): one per limit and subject, living one window.
pub trait SharedCounters: Send + Sync + 'static {
    /// Counts one hit of `key` under the limit `name`, whose window starts at its first hit; `None` when
    /// the store did not answer in time (the in-process limiter answers then).
    fn hit<'a>(
        &'a self,
        name: &'a str,
        key: &'a str,
        window: Duration,
    ) -> BoxFuture<'a, Option<u64>>;
}

pub struct RateLimits {
    settings: RateSettings,
    local: Vec<DefaultKeyedRateLimiter<String>>,
    shared: Option<Arc<dyn SharedCounters>>,
}

impl RateLimits {
    /// In-process counting only.
    pub fn new(settings: RateSettings) -> Self {
        Self::with_shared(settings, None)
    }

    /// Counting in `shared` when given, in-process otherwise (and whenever it does not answer).
    pub fn with_shared(settings: RateSettings, shared: Option<Arc<dyn SharedCounters>>) -> Self {
        let all = [
            Kind::LoginIp,
            Kind::Login,
            Kind::LoginAccount,
            Kind::SignUpIp,
            Kind::Messages,
            Kind::Rooms,
            Kind::Presence,
            Kind::Search,
            Kind::ApiToken,
        ];
        debug_assert_eq!(all.len(), KINDS);
        let local = all
            .iter()
            .map(|kind| {
                let rule = settings.rule(*kind);
                let count = NonZeroU32::new(rule.count).unwrap_or(NonZeroU32::MIN);
                let period = rule.window / rule.count;
                let quota = Quota::with_period(period.max(Duration::from_nanos(1)))
                    .unwrap_or_else(|| Quota::per_second(count))
                    .allow_burst(count);
                RateLimiter::keyed(quota)
            })
            .collect();
        Self {
            settings,
            local,
            shared,
        }
    }

    pub fn settings(&self) -> &RateSettings {
        &self.settings
    }

    async fn check(&self, kind: Kind, key: String) -> Result<()> {
        let rule = self.settings.rule(kind);
        if let Some(shared) = &self.shared
            && let Some(count) = shared.hit(rule.name, &key, rule.window).await
        {
            return if count <= u64::from(rule.count) {
                Ok(())
            } else {
                Err(Error::RateLimited(rule.refusal))
            };
        }
        let limiter = &self.local[kind as usize];
        if limiter.len() > 100_000 {
            limiter.retain_recent();
        }
        limiter
            .check_key(&key)
            .map_err(|_| Error::RateLimited(rule.refusal))
    }

    /// A log-in attempt for `email` (normalised) from `ip` (unknown: counted as one shared address). The strict
    /// (account, address) limit comes first, so an address past its budget does not spend the account's.
    pub async fn login(&self, email: &str, ip: Option<IpAddr>) -> Result<()> {
        let ip = ip_key(ip);
        self.check(Kind::LoginIp, ip.clone()).await?;
        self.check(Kind::Login, format!("{email}|{ip}")).await?;
        self.check(Kind::LoginAccount, email.to_owned()).await
    }

    pub async fn sign_up(&self, ip: Option<IpAddr>) -> Result<()> {
        self.check(Kind::SignUpIp, ip_key(ip)).await
    }

    pub async fn message(&self, user: Uuid) -> Result<()> {
        self.check(Kind::Messages, user.to_string()).await
    }

    pub async fn room_creation(&self, user: Uuid) -> Result<()> {
        self.check(Kind::Rooms, user.to_string()).await
    }

    pub async fn presence_change(&self, user: Uuid) -> Result<()> {
        self.check(Kind::Presence, user.to_string()).await
    }

    pub async fn search(&self, user: Uuid) -> Result<()> {
        self.check(Kind::Search, user.to_string()).await
    }

    /// One GraphQL operation sent with API token `token_id`.
    pub async fn api_token(&self, token_id: Uuid) -> Result<()> {
        self.check(Kind::ApiToken, token_id.to_string()).await
    }
}

fn ip_key(ip: Option<IpAddr>) -> String {
    match ip {
        // IPv6 clients usually own a whole /64: count it as one address.
        Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map(|v4| v4.to_string())
            .unwrap_or_default(),
        Some(ip) => ip.to_string(),
        None => "unknown".to_owned(),
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

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[tokio::test]
    async fn the_strict_login_limit_is_per_account_and_address() {
        let limits = RateLimits::new(RateSettings {
            login_per_minute: 2,
            login_account_per_hour: 3,
            ..RateSettings::default()
        });
        let (attacker, user) = (ip("203.0.113.9"), ip("198.51.100.7"));
        assert!(limits.login("a@x", attacker).await.is_ok());
        assert!(limits.login("a@x", attacker).await.is_ok());
        let refused = limits.login("a@x", attacker).await.unwrap_err();
        assert_eq!(refused.code(), "RATE_LIMITED");
        // Refused attempts did not spend the account's budget: the user still gets in from elsewhere.
        assert!(limits.login("a@x", user).await.is_ok());
        // The looser per-account limit still caps guesses spread over many addresses.
        assert!(limits.login("a@x", ip("192.0.2.1")).await.is_err());
        assert!(limits.login("b@x", attacker).await.is_ok());
    }

    #[tokio::test]
    async fn per_user_limits_are_per_user() {
        let limits = RateLimits::new(RateSettings {
            messages_per_minute: 60,
            message_burst: 1,
            rooms_per_hour: 1,
            presence_per_minute: 1,
            ..RateSettings::default()
        });
        let (u1, u2) = (Uuid::now_v7(), Uuid::now_v7());
        assert!(limits.message(u1).await.is_ok());
        assert!(limits.message(u1).await.is_err());
        assert!(limits.message(u2).await.is_ok());
        assert!(limits.room_creation(u1).await.is_ok());
        assert!(limits.room_creation(u1).await.is_err());
        assert!(limits.presence_change(u1).await.is_ok());
        assert!(limits.presence_change(u1).await.is_err());
        assert!(limits.presence_change(u2).await.is_ok());
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(ip_key(ip("2001:db8:1:2:3:4:5:6")), "2001:db8:1:2::/64");
        assert_eq!(ip_key(ip("2001:db8:1:2:ffff::1")), "2001:db8:1:2::/64");
        assert_eq!(ip_key(ip("::ffff:10.0.0.1")), "10.0.0.1");
        assert_eq!(ip_key(None), "unknown");
    }
}
