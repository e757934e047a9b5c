//! nginx's static content: `root`, `alias`, `try_files`, `index`,
//! `autoindex`, and the static handler with its conditional (304/412) and
//! range (206/416) answers -- the precontent and content phases of a
//! location without another handler.
//!
//! Handlers run in nginx's order: `try_files` (precontent), then the index,
//! autoindex and static handlers; the first that does not decline answers.
//! `index`, `try_files` and its fallback URI redirect internally, which
//! starts the request over at the server-rewrite phase with the new URI.

pub mod autoindex;
pub mod body;
pub mod conditional;
pub mod conf;
pub mod content_cache;
pub mod escape;
pub mod file;
pub mod gzip_static;
pub mod index;
pub mod path;
pub mod range;
pub mod try_files;

use crate::core_main::LogLevel;
use crate::http_core::request::{self, Ctx, Outcome};
use conditional::ImsMode;
pub use conf::SPECS;
use path::Root;
use std::sync::Arc;
use std::time::Duration;

/// `autoindex_format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoindexFormat {
    Html,
    Json,
    Jsonp,
    Xml,
}

/// `disable_symlinks`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DisableSymlinks {
    Off,
    On,
    IfNotOwner,
}

/// One name of `index`.
#[derive(Clone, Debug)]
pub enum IndexName {
    Literal(Vec<u8>),
    Template(crate::variables::Template),
}

/// One argument of `try_files`.
#[derive(Clone, Debug)]
pub struct TryFile {
    pub name: IndexName,
    /// A trailing `/` (not on the last argument): only a directory matches.
    pub test_dir: bool,
}

/// `try_files`: the candidates, the last being the fallback URI, and the
/// fallback's `=code` (0 when it is a URI).
#[derive(Clone, Debug)]
pub struct TryFiles {
    pub files: Vec<TryFile>,
    pub code: u16,
}

/// `open_file_cache max=N inactive=T` (accepted and not used: each worker
/// keeps small files' contents itself, `content_cache`, and relies on the
/// kernel's dentry and page caches for the rest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenFileCache {
    pub max: u64,
    pub inactive: Duration,
}

/// Static-module settings of a location (and of server/http levels). Every
/// field is `None` until set at some level; `merge` fills it from the
/// enclosing level, and the request side applies nginx's defaults.
#[derive(Clone, Debug, Default)]
pub struct StaticConf {
    pub root: Option<Arc<Root>>,
    /// Not inherited: nginx's try_files module has no merge.
    pub try_files: Option<Arc<TryFiles>>,
    pub index: Option<Vec<IndexName>>,
    pub autoindex: Option<bool>,
    pub autoindex_format: Option<AutoindexFormat>,
    pub autoindex_localtime: Option<bool>,
    pub autoindex_exact_size: Option<bool>,
    pub etag: Option<bool>,
    pub if_modified_since: Option<ImsMode>,
    pub max_ranges: Option<u64>,
    pub log_not_found: Option<bool>,
    pub disable_symlinks: Option<DisableSymlinks>,
    pub sendfile_max_chunk: Option<u64>,
    pub aio: Option<bool>,
    pub aio_write: Option<bool>,
    pub read_ahead: Option<u64>,
    /// `directio`: `Some(None)` is `off`.
    pub directio: Option<Option<u64>>,
    pub directio_alignment: Option<u64>,
    pub output_buffers: Option<(u64, u64)>,
    /// `open_file_cache`: `Some(None)` is `off`.
    pub open_file_cache: Option<Option<OpenFileCache>>,
    pub open_file_cache_valid: Option<Duration>,
    pub open_file_cache_min_uses: Option<u64>,
    pub open_file_cache_errors: Option<bool>,
    pub open_file_cache_events: Option<bool>,
    /// The headers filter's settings (`expires`, `add_header`), kept here
    /// until LocConf has a field of its own for them.
    pub headers: crate::headers_filter::HeadersConf,
    /// The gzip modules' settings, kept here for the same reason.
    pub gzip: crate::gzip::GzipConf,
}

fn inherit<T: Clone>(slot: &mut Option<T>, parent: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(parent);
    }
}

impl StaticConf {
    /// nginx's merge: what this level leaves unset comes from `parent`
    /// (`try_files` excepted, as in nginx).
    pub fn merge(&mut self, parent: &StaticConf) {
        inherit(&mut self.root, &parent.root);
        inherit(&mut self.index, &parent.index);
        inherit(&mut self.autoindex, &parent.autoindex);
        inherit(&mut self.autoindex_format, &parent.autoindex_format);
        inherit(&mut self.autoindex_localtime, &parent.autoindex_localtime);
        inherit(&mut self.autoindex_exact_size, &parent.autoindex_exact_size);
        inherit(&mut self.etag, &parent.etag);
        inherit(&mut self.if_modified_since, &parent.if_modified_since);
        inherit(&mut self.max_ranges, &parent.max_ranges);
        inherit(&mut self.log_not_found, &parent.log_not_found);
        inherit(&mut self.disable_symlinks, &parent.disable_symlinks);
        inherit(&mut self.sendfile_max_chunk, &parent.sendfile_max_chunk);
        inherit(&mut self.aio, &parent.aio);
        inherit(&mut self.aio_write, &parent.aio_write);
        inherit(&mut self.read_ahead, &parent.read_ahead);
        inherit(&mut self.directio, &parent.directio);
        inherit(&mut self.directio_alignment, &parent.directio_alignment);
        inherit(&mut self.output_buffers, &parent.output_buffers);
        inherit(&mut self.open_file_cache, &parent.open_file_cache);
        inherit(
            &mut self.open_file_cache_valid,
            &parent.open_file_cache_valid,
        );
        inherit(
            &mut self.open_file_cache_min_uses,
            &parent.open_file_cache_min_uses,
        );
        inherit(
            &mut self.open_file_cache_errors,
            &parent.open_file_cache_errors,
        );
        inherit(
            &mut self.open_file_cache_events,
            &parent.open_file_cache_events,
        );
        self.headers.merge(&parent.headers);
        self.gzip.merge(&parent.gzip);
    }

    /// nginx's defaults that depend on the command line: the root is
    /// `html` under the prefix. Called on the http level before merging.
    pub fn fill_defaults(&mut self, prefix: &[u8]) {
        if self.root.is_none() {
            self.root = Some(Arc::new(Root::default_for(prefix)));
        }
    }

    /// The root in force (nginx's default when none was set anywhere and
    /// `fill_defaults` was not run: `html` relative to the working
    /// directory).
    pub fn root(&self) -> Arc<Root> {
        match &self.root {
            Some(root) => root.clone(),
            None => Arc::new(Root::default_for(b"")),
        }
    }

    pub fn log_not_found(&self) -> bool {
        self.log_not_found.unwrap_or(true)
    }
}

/// Request state the static handlers share within one location visit.
#[derive(Debug, Default)]
pub struct RequestState {
    /// nginx's `r->add_uri_to_alias`: try_files found a file under a regex
    /// location's alias, so the URI is appended to the alias again.
    pub add_uri_to_alias: bool,
    /// nginx's `r->gzip_vary`: gzip_static looked at the request, so the
    /// answer varies with Accept-Encoding.
    pub gzip_vary: bool,
}

/// How a handler ended.
pub enum Step {
    /// Not mine: the next handler.
    Declined,
    /// The answer, still to go through the header filters (boxed, as
    /// every step: an outcome is ~450 bytes, moved through several calls).
    Respond(Box<Outcome>),
    /// The answer, already through the header filters.
    Done(Box<Outcome>),
    /// An internal redirect to a URI (with its arguments).
    Redirect { uri: Vec<u8>, args: Option<Vec<u8>> },
    /// An internal redirect to a named location (`@name`).
    Named(Vec<u8>),
}

impl Step {
    pub fn respond(outcome: Outcome) -> Step {
        Step::Respond(Box::new(outcome))
    }

    pub fn done(outcome: Outcome) -> Step {
        Step::Done(Box::new(outcome))
    }
}

/// The content phase for a location without another handler.
pub fn content(ctx: &mut Ctx<'_>) -> Box<Outcome> {
    let mut state = RequestState::default();
    let step = try_files::phase(ctx, &mut state);
    if !matches!(step, Step::Declined) {
        return finish(ctx, step, &state);
    }
    let step = index::handle(ctx, &state);
    if !matches!(step, Step::Declined) {
        return finish(ctx, step, &state);
    }
    let step = autoindex::handle(ctx, &state);
    if !matches!(step, Step::Declined) {
        return finish(ctx, step, &state);
    }
    let step = gzip_static::handle(ctx, &mut state);
    if !matches!(step, Step::Declined) {
        return finish(ctx, step, &state);
    }
    let step = file::handle(ctx, &state);
    if !matches!(step, Step::Declined) {
        return finish(ctx, step, &state);
    }
    Box::new(no_handler(ctx, &state))
}

/// The header filters rginx runs for static responses (nginx runs them
/// for every response): the headers filter of the location in force.
pub fn header_filters(ctx: &Ctx<'_>, outcome: &mut Outcome) {
    crate::headers_filter::apply(ctx, &ctx.loc_conf().static_files.headers, outcome);
    outcome.headers_filtered = true;
}

/// nginx's end of the content phase when every handler declined.
fn no_handler(ctx: &Ctx<'_>, state: &RequestState) -> Outcome {
    let conf = ctx.loc_conf();
    if ctx.uri.ends_with(b"/") {
        let root = conf.static_files.root();
        let mapped = path::map_uri_to_path(ctx, &root, &ctx.uri, state.add_uri_to_alias);
        crate::log::error(
            ctx,
            LogLevel::Error,
            &format!(
                "directory index of \"{}\" is forbidden",
                String::from_utf8_lossy(&mapped.path)
            ),
        );
        let mut outcome = Outcome::status(403, conf);
        header_filters(ctx, &mut outcome);
        return outcome;
    }
    crate::log::error(ctx, LogLevel::Error, "no handler found");
    let mut outcome = Outcome::status(404, conf);
    header_filters(ctx, &mut outcome);
    outcome
}

fn finish(ctx: &mut Ctx<'_>, step: Step, state: &RequestState) -> Box<Outcome> {
    match step {
        Step::Declined => Box::new(no_handler(ctx, &RequestState::default())),
        Step::Respond(mut outcome) => {
            header_filters(ctx, &mut outcome);
            if state.gzip_vary && ctx.loc_conf().static_files.gzip.vary() {
                outcome.headers.insert(
                    0,
                    (
                        http::header::VARY,
                        http::HeaderValue::from_static("Accept-Encoding"),
                    ),
                );
            }
            outcome
        }
        Step::Done(outcome) => outcome,
        Step::Redirect { uri, args } => Box::new(request::internal_redirect(ctx, uri, args)),
        Step::Named(name) => Box::new(request::named_location(ctx, &name)),
    }
}

/// An empty response body (HEAD answers keep their `Content-Length`).
pub fn empty_body() -> crate::serve::handler::Body {
    use http_body_util::BodyExt;
    http_body_util::Empty::new()
        .map_err(|never| match never {})
        .boxed()
}
