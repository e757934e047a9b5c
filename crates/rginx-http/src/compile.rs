//! The compile step: walks the syntax tree in nginx's order, runs each
//! directive's setter, and produces the typed, immutable [`Config`].
//!
//! nginx runs a directive's handler the moment it is read, so a semantic
//! error early in a file wins over a syntax error later on. The parser hands
//! over the tree up to its first syntax error (open blocks marked
//! incomplete); the walk below reports that syntax error only once it has
//! run every directive read before it, which gives nginx's first error.

use crate::core_main::{EventsBuild, EventsConf, MainBuild, MainConf};
use crate::http_core::{HttpBuild, HttpConf, LocationBuild, ServerBuild};
use crate::registry::{self, Context};
use crate::upstream::UpstreamConf;
use crate::variables::VarRegistry;
use rginx_conf::{Block, ConfError, Directive, Parsed};
use std::path::{Path, PathBuf};

/// What the command line says about where things are.
#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// `-p`: relative paths (logs, pid) are resolved against it.
    pub prefix: PathBuf,
    /// The `-c` file.
    pub conf_file: PathBuf,
    /// The directory of the `-c` file: relative `include`s start here.
    pub conf_prefix: PathBuf,
    /// Whether rginx runs as root (nginx's defaults differ: port 80 vs 8000).
    pub is_root: bool,
}

impl CompileOptions {
    /// A path from the configuration, relative ones against the prefix.
    pub fn prefixed(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.prefix.join(path)
        }
    }
}

/// The whole compiled configuration: what the master and workers run.
#[derive(Debug)]
pub struct Config {
    pub main: MainConf,
    pub events: EventsConf,
    pub http: Option<HttpConf>,
    /// `[warn]`s found while compiling, in order.
    pub warnings: Vec<ConfError>,
}

/// The object a directive's setter writes into, by context.
pub enum Target<'a> {
    Main(&'a mut MainBuild),
    Events(&'a mut EventsBuild),
    Http(&'a mut HttpBuild),
    /// The http block (for the address table) and the server being read.
    Server(&'a mut HttpBuild, &'a mut ServerBuild),
    Location(&'a mut LocationBuild),
    Upstream(&'a mut UpstreamConf),
}

/// State of one compilation.
pub struct Compiler {
    pub options: CompileOptions,
    parse_error: Option<ConfError>,
    pub warnings: Vec<ConfError>,
    /// Variables of the http block being compiled.
    pub variables: VarRegistry,
    /// `map` blocks, by the index their variables refer to.
    pub maps: Vec<crate::map::Map>,
    /// `split_clients` blocks, likewise.
    pub split_clients: Vec<crate::split_clients::SplitClients>,
    /// `upstream` blocks and the upstreams `proxy_pass` creates, in nginx's
    /// one list (a `proxy_pass` may name a block defined later).
    pub upstreams: crate::upstream::Registry,
    /// `geo` blocks, likewise.
    pub geos: Vec<crate::geo::Geo>,
    /// Temporary-file directories (`client_body_temp_path`), made after
    /// "syntax is ok" as nginx's `ngx_create_paths` does.
    pub temp_paths: Vec<std::sync::Arc<crate::http_core::limits::TempPath>>,
    /// The charset module's names and `charset_map`s (its main conf).
    pub charsets: crate::charset::Charsets,
}

impl Compiler {
    /// Runs every directive of a block in `context`, then, if the parser
    /// stopped inside this block, reports the parser's error.
    pub fn run_block(
        &mut self,
        block: &Block,
        context: Context,
        target: &mut Target<'_>,
    ) -> Result<(), ConfError> {
        self.run_directives(&block.directives, context, target)?;
        if !block.is_complete() {
            return Err(self.syntax_error());
        }
        Ok(())
    }

    pub fn run_directives(
        &mut self,
        directives: &[Directive],
        context: Context,
        target: &mut Target<'_>,
    ) -> Result<(), ConfError> {
        for directive in directives {
            let spec = registry::resolve(directive, context)?;
            (spec.set)(self, directive, target)?;
        }
        Ok(())
    }

    /// The parser's error, for blocks that read their entries themselves.
    pub fn syntax_error(&self) -> ConfError {
        self.parse_error
            .clone()
            .unwrap_or_else(|| ConfError::bare("unexpected end of configuration"))
    }

    pub fn warn(&mut self, warning: ConfError) {
        self.warnings.push(warning);
    }
}

/// Why a configuration did not compile.
#[derive(Debug)]
pub struct Failure {
    pub error: ConfError,
    /// nginx had already said "syntax is ok": the error comes from the
    /// checks it makes after reading the whole file (`no "events" section`).
    pub after_syntax_ok: bool,
    /// `[warn]`s met before the error.
    pub warnings: Vec<ConfError>,
}

/// Compiles a parsed configuration. `params` are the `-g` directives, run
/// first as nginx does.
pub fn compile(
    parsed: &Parsed,
    params: Option<&Parsed>,
    options: CompileOptions,
) -> Result<Config, Failure> {
    let mut compiler = Compiler {
        options,
        parse_error: None,
        warnings: Vec::new(),
        variables: VarRegistry::default(),
        maps: Vec::new(),
        split_clients: Vec::new(),
        upstreams: Default::default(),
        geos: Vec::new(),
        temp_paths: Vec::new(),
        charsets: Default::default(),
    };
    let mut main = MainBuild::default();
    let read = read_all(&mut compiler, &mut main, parsed, params);
    if let Err(error) = read {
        return Err(Failure {
            error,
            after_syntax_ok: false,
            warnings: compiler.warnings,
        });
    }
    main.finish(compiler)
}

fn read_all(
    compiler: &mut Compiler,
    main: &mut MainBuild,
    parsed: &Parsed,
    params: Option<&Parsed>,
) -> Result<(), ConfError> {
    if let Some(params) = params {
        if let Some(error) = &params.error {
            return Err(error.clone());
        }
        compiler.run_directives(&params.directives, Context::Main, &mut Target::Main(main))?;
    }
    compiler.parse_error = parsed.error.clone();
    compiler.run_directives(&parsed.directives, Context::Main, &mut Target::Main(main))?;
    match &parsed.error {
        Some(error) => Err(error.clone()),
        None => Ok(()),
    }
}
