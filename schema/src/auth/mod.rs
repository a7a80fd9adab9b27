pub mod mutation;
pub mod password;
pub mod service;
pub mod sessions;
pub mod token;
pub mod types;
