//! rginx's HTTP side, one module per nginx module: each declares the
//! directives it implements (with their setters) and owns its typed
//! configuration; [`compile`] lowers a parsed nginx.conf into a [`Config`].

pub mod access;
pub mod auth;
pub mod auth_basic;
pub mod charset;
pub mod compile;
pub mod core_main;
pub mod directives_doc;
pub mod empty_gif;
pub mod error_log;
pub mod geo;
pub mod gzip;
pub mod headers_filter;
pub mod http_core;
pub mod log;
pub mod map;
pub mod proxy;
pub mod realip;
pub mod referer;
pub mod regex;
pub mod registry;
pub mod resolver;
pub mod rewrite;
pub mod serve;
pub mod split_clients;
pub mod ssl;
pub mod static_files;
pub mod stats;
pub mod stub_status;
pub mod upstream;
pub mod values;
pub mod variables;

#[cfg(test)]
mod test_rng;

pub use compile::{CompileOptions, Config, Failure, compile};

/// Every module's directive table, in nginx's module order. Adding a module
/// means adding its table here.
pub static MODULES: &[&[registry::Spec]] = &[
    core_main::SPECS,
    http_core::SPECS,
    http_core::client::SPECS,
    http_core::limits::SPECS,
    auth::SPECS,
    upstream::SPECS,
    rewrite::SPECS,
    auth_basic::SPECS,
    access::SPECS,
    realip::SPECS,
    referer::SPECS,
    map::SPECS,
    split_clients::SPECS,
    geo::SPECS,
    stub_status::SPECS,
    empty_gif::SPECS,
    log::SPECS,
    static_files::SPECS,
    headers_filter::SPECS,
    charset::SPECS,
    gzip::SPECS,
    proxy::SPECS,
    upstream::HASH_SPECS,
    upstream::IP_HASH_SPECS,
    upstream::LEAST_CONN_SPECS,
    upstream::RANDOM_SPECS,
    upstream::KEEPALIVE_SPECS,
    upstream::ZONE_SPECS,
    ssl::SPECS,
    ssl::http2::SPECS,
];
