pub mod service;
pub mod validate;
