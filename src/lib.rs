//! ixsim: a simulator for teaching machine learning in production.
pub mod sim;
