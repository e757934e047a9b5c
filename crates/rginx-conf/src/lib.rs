//! rginx's configuration front end: nginx's tokenizer and parser (syntax
//! only), `include` expansion, the `-T` dump, and the tables that describe
//! nginx's directives. Nothing here knows what a directive means; the modules
//! in `rginx-http` do.

pub mod ast;
pub mod dump;
pub mod error;
pub mod known_directives;
pub mod nginx_flags;
pub mod parser;
pub mod tokenizer;

pub use ast::{Arg, Block, Directive, Loc};
pub use error::ConfError;
pub use parser::{Parsed, SourceFile, parse_bytes, parse_file, parse_param};
