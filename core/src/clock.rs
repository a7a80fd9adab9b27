//! The current time at the precision the databases keep (microseconds), so a timestamp returned right after
//! a write equals the one read back later.

use chrono::{DateTime, SubsecRound, Utc};

pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
