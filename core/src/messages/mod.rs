pub mod mentions;
pub mod service;
pub mod validate;
