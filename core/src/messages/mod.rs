//! Messages: sending (top level and in threads), history pages, edits, soft deletes and reactions. Each
//! change runs in one transaction that also writes its `room_events` row(s), mentions and notifications.

pub mod change;
pub mod history;
pub mod mentions;
pub mod reactions;
pub mod send;
pub mod validate;
