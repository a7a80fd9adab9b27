pub mod mutation;
pub mod service;
pub mod storage;
pub mod types;
