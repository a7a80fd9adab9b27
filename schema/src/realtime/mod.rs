pub mod bus;
pub mod presence;
