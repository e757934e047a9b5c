//! rginx's configuration front end: nginx's tokenizer and parser (syntax only),
//! `include` expansion, the directive registry machinery and the `-T` dump.
//! Nothing here knows what a directive means; modules do.

pub mod known_directives;
pub mod nginx_flags;
