//! Live delivery: the event bus, the `roomEvents` delivery contract, presence and typing, and the
//! subscription root. Storage (`room_events`, `notifications`) is the truth; the bus only wakes
//! subscribers up.

pub mod bus;
pub mod mutation;
pub mod presence;
pub mod publish;
pub mod redis;
pub mod redis_bus;
pub mod room_stream;
pub mod subscription;
pub mod types;
pub mod typing;
pub mod viewer_stream;
