//! `setTyping` throttle: at most one `TypingStarted` per user and room every few seconds.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

use super::bus::channels;
use super::publish;
use super::room_stream::RoomSignal;
use crate::clock;
use crate::context::{Deps, Viewer};
use crate::error::Result;
use crate::rooms::permissions;

/// Tells a room the viewer is typing (the ephemeral `TypingStarted`): false when the throttle absorbed it.
pub async fn start(deps: &Deps, viewer: Viewer, room_id: Uuid) -> Result<bool> {
    permissions::require_member(&deps.db, room_id, viewer.user_id).await?;
    if !deps.typing.allow(viewer.user_id, room_id) {
        return Ok(false);
    }
    let signal = RoomSignal::Typing {
        user_id: viewer.user_id,
        at: clock::now(),
    };
    publish::send(deps, &channels::room(room_id), &signal).await;
    Ok(true)
}

pub struct TypingThrottle {
    every: Duration,
    last: Mutex<HashMap<(Uuid, Uuid), Instant>>,
}

impl TypingThrottle {
    pub fn new(every: Duration) -> Self {
        Self {
            every,
            last: Mutex::new(HashMap::new()),
        }
    }

    /// True when `user` may announce typing in `room` now (and records it).
    pub fn allow(&self, user: Uuid, room: Uuid) -> bool {
        let now = Instant::now();
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.len() > 10_000 {
            last.retain(|_, at| now.duration_since(*at) < self.every);
        }
        match last.get(&(user, room)) {
            Some(at) if now.duration_since(*at) < self.every => false,
            _ => {
                last.insert((user, room), now);
                true
            }
        }
    }
}

impl TypingThrottle {
    /// `user` sent a message in `room`: clients clear their indicator with it, so their next typing is news
    /// at once (not absorbed by the window of the typing before the message).
    pub fn forget(&self, user: Uuid, room: Uuid) {
        self.last
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&(user, room));
    }
}

impl Default for TypingThrottle {
    fn default() -> Self {
        Self::new(Duration::from_secs(3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_announcement_per_user_and_room_per_interval() {
        let t = TypingThrottle::new(Duration::from_millis(50));
        let (u, r1, r2) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        assert!(t.allow(u, r1));
        assert!(!t.allow(u, r1));
        assert!(t.allow(u, r2));
        std::thread::sleep(Duration::from_millis(60));
        assert!(t.allow(u, r1));
    }

    #[test]
    fn a_sent_message_opens_the_window_again() {
        let t = TypingThrottle::new(Duration::from_secs(60));
        let (u, r) = (Uuid::now_v7(), Uuid::now_v7());
        assert!(t.allow(u, r));
        assert!(!t.allow(u, r));
        t.forget(u, r);
        assert!(t.allow(u, r));
    }
}
