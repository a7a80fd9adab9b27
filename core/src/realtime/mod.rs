//! Live delivery: the event bus, the `roomEvents` delivery contract, the per-viewer stream, presence and
//! typing. Storage (`room_events`, `notifications`) is the truth; the bus only wakes subscribers up.

pub mod bus;
pub mod inbox;
pub mod presence;
pub mod presence_watch;
pub mod publish;
pub mod room_stream;
pub mod typing;
pub mod viewer_stream;
