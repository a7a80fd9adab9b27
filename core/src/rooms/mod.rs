pub mod permissions;
pub mod service;
