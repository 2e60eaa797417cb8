//! Pure rules, no I/O: what is allowed and how values are checked. Routes call
//! these; they never touch the database or the network.

pub mod account;
pub mod audit;
pub mod text;
