pub mod mutation;
pub mod types;
