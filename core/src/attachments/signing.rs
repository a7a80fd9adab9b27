//! Signed file URLs: `/files/{key}?exp=…&viewer=…&sig=…`.
//!
//! `<img src>` sends no `Authorization` header, so a file URL carries its own short-lived permission: an
//! HMAC-SHA256 over the storage key, the expiry and the viewer it was minted for, made when `Attachment.url`
//! or `User.avatarUrl` is resolved for someone allowed to see the file. `/files/…` refuses a missing,
//! expired or altered signature with 403, and a request that does carry credentials of another user than
//! the URL's viewer too. Without credentials, holding the unexpired URL is enough: that is what lets images
//! load, and why the URLs expire soon.
//!
//! Expiries are rounded up to a step of a third of the lifetime, so the same file resolved again within a
//! step gets the same URL and browsers can cache it.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

/// Why a file URL was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Expired,
    BadSignature,
    OtherViewer,
}

pub struct FileUrls {
    key: HmacSha256,
    ttl: Duration,
}

impl FileUrls {
    /// `secret`: the server's signing secret; a key of its own is derived from it for file URLs, so a file
    /// signature can never pass for anything else signed with the secret.
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        let mut derive = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
        derive.update(b"chorus/file-urls/v1");
        let derived = derive.finalize().into_bytes();
        Self {
            key: HmacSha256::new_from_slice(&derived).expect("HMAC takes keys of any length"),
            ttl: ttl.max(Duration::from_secs(3)),
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The URL of `storage_key` for `viewer`, valid for at least the configured lifetime from now.
    pub fn url(&self, storage_key: &str, viewer: Uuid) -> String {
        self.url_at(storage_key, viewer, crate::clock::now().timestamp())
    }

    pub fn url_at(&self, storage_key: &str, viewer: Uuid, now: i64) -> String {
        let ttl = i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX / 4);
        let step = (ttl / 3).max(1);
        let exp = (now.saturating_add(ttl) / step)
            .saturating_add(1)
            .saturating_mul(step);
        let sig =
            URL_SAFE_NO_PAD.encode(self.mac(storage_key, exp, viewer).finalize().into_bytes());
        format!("/files/{storage_key}?exp={exp}&viewer={viewer}&sig={sig}")
    }

    fn mac(&self, storage_key: &str, exp: i64, viewer: Uuid) -> HmacSha256 {
        let mut mac = self.key.clone();
        // Length-prefixed key: no two (key, exp, viewer) triples give the same message.
        mac.update(format!("{}:{storage_key}:{exp}:{viewer}", storage_key.len()).as_bytes());
        mac
    }

    /// Checks a request for `storage_key` with the URL's query parameters; `requester` is the user of the
    /// request's own credentials, when it carried any.
    pub fn verify(
        &self,
        storage_key: &str,
        params: &SignedParams,
        requester: Option<Uuid>,
        now: i64,
    ) -> Result<(), Refusal> {
        let (Some(exp), Some(viewer), Some(sig)) =
            (params.exp, params.viewer, params.sig.as_deref())
        else {
            return Err(Refusal::Missing);
        };
        let sig = URL_SAFE_NO_PAD
            .decode(sig)
            .map_err(|_| Refusal::BadSignature)?;
        // Constant-time comparison.
        self.mac(storage_key, exp, viewer)
            .verify_slice(&sig)
            .map_err(|_| Refusal::BadSignature)?;
        if exp < now {
            return Err(Refusal::Expired);
        }
        if requester.is_some_and(|r| r != viewer) {
            return Err(Refusal::OtherViewer);
        }
        Ok(())
    }
}

/// The query parameters of a signed file URL.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SignedParams {
    pub exp: Option<i64>,
    pub viewer: Option<Uuid>,
    pub sig: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(url: &str) -> SignedParams {
        let query = url.split_once('?').unwrap().1;
        let mut p = SignedParams::default();
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap();
            match k {
                "exp" => p.exp = v.parse().ok(),
                "viewer" => p.viewer = v.parse().ok(),
                "sig" => p.sig = Some(v.to_owned()),
                _ => {}
            }
        }
        p
    }

    #[test]
    fn a_url_is_valid_for_its_key_and_viewer_until_it_expires() {
        let urls = FileUrls::new(b"secret", Duration::from_secs(900));
        let viewer = Uuid::new_v4();
        let url = urls.url_at("abc.png", viewer, 1_000);
        assert!(url.starts_with("/files/abc.png?exp="));
        let p = params(&url);
        let exp = p.exp.unwrap();
        assert!((1_900..=1_900 + 300).contains(&exp), "{exp}");
        assert_eq!(urls.verify("abc.png", &p, None, 1_000), Ok(()));
        assert_eq!(urls.verify("abc.png", &p, Some(viewer), exp), Ok(()));
        assert_eq!(
            urls.verify("abc.png", &p, None, exp + 1),
            Err(Refusal::Expired)
        );
        assert_eq!(
            urls.verify("other.png", &p, None, 1_000),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            urls.verify("abc.png", &p, Some(Uuid::new_v4()), 1_000),
            Err(Refusal::OtherViewer)
        );
        let mut later = params(&url);
        later.exp = Some(exp + 3_600);
        assert_eq!(
            urls.verify("abc.png", &later, None, 1_000),
            Err(Refusal::BadSignature)
        );
        let mut other = params(&url);
        other.viewer = Some(Uuid::new_v4());
        assert_eq!(
            urls.verify("abc.png", &other, None, 1_000),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            urls.verify("abc.png", &SignedParams::default(), None, 1_000),
            Err(Refusal::Missing)
        );
        let foreign = FileUrls::new(b"another secret", Duration::from_secs(900));
        assert_eq!(
            foreign.verify("abc.png", &p, None, 1_000),
            Err(Refusal::BadSignature)
        );
    }

    #[test]
    fn urls_minted_close_together_are_the_same_so_browsers_can_cache_them() {
        let urls = FileUrls::new(b"secret", Duration::from_secs(900));
        let viewer = Uuid::new_v4();
        assert_eq!(
            urls.url_at("k.png", viewer, 1_200),
            urls.url_at("k.png", viewer, 1_201)
        );
    }
}
