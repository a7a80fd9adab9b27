pub mod mutation;
pub mod service;
pub mod signing;
pub mod storage;
pub mod types;
