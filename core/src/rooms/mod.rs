pub mod direct;
pub mod list;
pub mod membership;
pub mod permissions;
pub mod service;
