pub mod kinds;
pub mod service;
pub mod signing;
pub mod storage;
