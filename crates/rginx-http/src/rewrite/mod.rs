//! nginx's rewrite module: `return`, `rewrite`, `if`, `set`, `break`,
//! `rewrite_log`, `uninitialized_variable_warn`, run in the server-rewrite
//! phase (server-level directives) and the rewrite phase (the location's).
//!
//! As in nginx, the directives of a level form one program run top to
//! bottom; they are not inherited by inner levels. An `if` in a location
//! carries its own location configuration (nginx's "noname" location), in
//! force for the request when its condition holds.

mod condition;
mod directives;
mod run;

pub use condition::Condition;
pub use directives::{SPECS, define_named_captures};
pub use run::{location_rewrite, server_rewrite};

use crate::http_core::location::LocationBuild;
use crate::regex::Regex;
use crate::variables::Template;

/// What a matching `rewrite` does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// No flag: go on with the next directive.
    None,
    /// `last`: stop, search the location for the new URI.
    Last,
    /// `break`: stop, stay in this location.
    Break,
    /// `redirect` (302), `permanent` (301), or an absolute replacement.
    Redirect(u16),
}

/// One rewrite-module directive, compiled.
#[derive(Clone, Debug)]
pub enum Stmt {
    Return {
        status: u16,
        text: Option<Template>,
    },
    Rewrite {
        regex: Regex,
        replacement: Template,
        flag: Flag,
        /// The replacement ended with `?`: drop the request's arguments.
        drop_args: bool,
    },
    Set {
        id: usize,
        value: Template,
    },
    Break,
    If {
        condition: Condition,
        body: Vec<Stmt>,
        /// The `if` block's own configuration (location-level `if` only).
        location: Option<Box<LocationBuild>>,
    },
}

/// Rewrite-module settings of one level.
#[derive(Clone, Debug, Default)]
pub struct RewriteConf {
    /// This level's program (not inherited).
    pub program: Vec<Stmt>,
    pub rewrite_log: Option<bool>,
    pub uninitialized_variable_warn: Option<bool>,
}

impl RewriteConf {
    /// Only the flags are inherited; the program belongs to its level.
    pub fn merge(&mut self, parent: &RewriteConf) {
        self.rewrite_log = self.rewrite_log.or(parent.rewrite_log);
        self.uninitialized_variable_warn = self
            .uninitialized_variable_warn
            .or(parent.uninitialized_variable_warn);
    }

    /// The `if` locations of this level's program, for the merge pass.
    pub fn if_locations_mut(&mut self) -> Vec<&mut LocationBuild> {
        let mut out = Vec::new();
        collect_if_locations(&mut self.program, &mut out);
        out
    }
}

fn collect_if_locations<'a>(program: &'a mut [Stmt], out: &mut Vec<&'a mut LocationBuild>) {
    for stmt in program {
        if let Stmt::If { body, location, .. } = stmt {
            if let Some(location) = location {
                out.push(location);
            }
            collect_if_locations(body, out);
        }
    }
}
