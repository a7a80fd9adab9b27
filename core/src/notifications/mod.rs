//! Notifications: the stored per-person feed (mentions, invitations) and its read state, and the kinds of
//! the live alerts (new messages are alerted live only, see `crate::realtime::viewer_stream`).

pub mod service;

/// Why a notification was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationKind {
    /// A new message (or thread reply) in one of my rooms: a live alert only, never stored.
    Message,
    /// A message that `@mentions` me.
    Mention,
    /// I was added to a room.
    Invite,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Message => "MESSAGE",
            NotificationKind::Mention => "MENTION",
            NotificationKind::Invite => "INVITE",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "MESSAGE" => NotificationKind::Message,
            "MENTION" => NotificationKind::Mention,
            "INVITE" => NotificationKind::Invite,
            _ => return None,
        })
    }
}
