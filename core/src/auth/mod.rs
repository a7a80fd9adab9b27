pub mod password;
pub mod service;
pub mod sessions;
pub mod token;
