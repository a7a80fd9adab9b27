//! The fault suite's harness (see `tests/tests/faults.rs`): throwaway Redis and PostgreSQL, real api
//! processes, a fault-injecting TCP proxy, and the workload with its checker.

pub mod infra;
pub mod proxy;
pub mod workload;
