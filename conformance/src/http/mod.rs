//! The pieces of the HTTP differential runner (`crate::http_cases`): how a
//! case directory is read (`case`), how a server is started and stopped in a
//! prefix (`server`), how raw requests go over TCP and responses come back
//! (`client`, plain or over TLS), the echo backends proxy cases point
//! at (`backend`), and how two servers' answers are normalised, compared and
//! shown (`transcript`).

pub mod backend;
pub mod case;
pub mod client;
pub mod server;
pub mod transcript;
