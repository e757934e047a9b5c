//! The `rginx` binary: nginx's command line, wired to the config front end
//! (`-t`, `-T`) and to the process model (serving, `-s`).

mod cli;
mod version;

use rginx_conf::{ConfError, Parsed, dump, parse_file, parse_param};
use rginx_http::core_main::{DEFAULT_CONF_FILE, DEFAULT_ERROR_LOG, DEFAULT_PREFIX};
use rginx_http::error_log::ErrorLog;
use rginx_http::{CompileOptions, Config, Failure, compile};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc: per-thread free lists make the many small allocations of a
/// request cheap; glibc's malloc and free cost a quarter of a small
/// request's instructions.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let options = match cli::parse(std::env::args_os().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("rginx: {message}");
            return ExitCode::FAILURE;
        }
    };
    if options.version {
        if options.configure {
            eprint!("{}", version::configure_text());
        } else {
            eprintln!("{}", version::version_line());
        }
    }
    if options.help {
        if !options.version {
            eprintln!("{}", version::version_line());
        }
        eprint!(
            "{}",
            cli::usage(DEFAULT_PREFIX, DEFAULT_ERROR_LOG, DEFAULT_CONF_FILE)
        );
    }
    if (options.version || options.help) && !options.test {
        return ExitCode::SUCCESS;
    }
    let paths = Paths::from_options(&options);
    let (mut log, log_error) = open_error_log(&paths.error_log);

    let config = load(&paths, options.directives.as_deref());
    if options.test {
        if let (Ok(_), Some(open_error)) = (&config, log_error) {
            // nginx finds out at the end of its checks that the log it
            // could not open is still unopenable, and fails the test.
            if !options.quiet {
                let file = paths.conf_file.display();
                eprintln!("rginx: the configuration file {file} syntax is ok");
            }
            log.write("emerg", &open_error);
            eprintln!(
                "rginx: configuration file {} test failed",
                paths.conf_file.display()
            );
            return ExitCode::FAILURE;
        }
        return test_report(&paths, config, &mut log, options.quiet, options.dump);
    }
    let config = match config {
        Ok(loaded) => {
            print_warnings(&loaded.config.warnings, &mut log);
            loaded.config
        }
        Err(failure) => {
            print_warnings(&failure.warnings, &mut log);
            report_emerg(&failure.error, &mut log);
            return ExitCode::FAILURE;
        }
    };
    let code = match options.signal.as_deref() {
        Some(signal) => rginx_process::signal_process(&config, signal, log),
        None => {
            let directives = options.directives.clone();
            rginx_process::run(rginx_process::Start {
                config,
                loader: Box::new(move || {
                    load(&paths, directives.as_deref()).map(|loaded| loaded.config)
                }),
                worker_main: rginx_http::serve::run_worker,
                startup_log: log,
            })
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

/// Where things are, after `-p`, `-c` and `-e` (nginx's `ngx_process_options`).
struct Paths {
    prefix: PathBuf,
    conf_file: PathBuf,
    conf_prefix: PathBuf,
    error_log: PathBuf,
}

impl Paths {
    fn from_options(options: &cli::Options) -> Paths {
        let (prefix, conf_base) = match &options.prefix {
            Some(p) => {
                let mut prefix = cli::path(p);
                if !p.ends_with(b"/") {
                    prefix.as_mut_os_string().push("/");
                }
                (prefix.clone(), prefix)
            }
            None => (
                PathBuf::from(DEFAULT_PREFIX),
                Path::new(DEFAULT_CONF_FILE)
                    .parent()
                    .map_or_else(|| PathBuf::from("/"), Path::to_path_buf),
            ),
        };
        let conf_file = match &options.conf_file {
            Some(c) => join(&conf_base, &cli::path(c)),
            None => PathBuf::from(DEFAULT_CONF_FILE),
        };
        let conf_prefix = conf_file
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        let error_log = match &options.error_log {
            Some(e) if e.as_slice() == b"stderr" => PathBuf::from("stderr"),
            Some(e) => join(&prefix, &cli::path(e)),
            None => PathBuf::from(DEFAULT_ERROR_LOG),
        };
        Paths {
            prefix,
            conf_file,
            conf_prefix,
            error_log,
        }
    }
}

fn join(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}

/// nginx opens its error log before reading the configuration; when it
/// cannot, it says so and goes on with stderr. The second value is the
/// failure, reported again once the configuration is read.
fn open_error_log(path: &Path) -> (ErrorLog, Option<String>) {
    match ErrorLog::open(Some(path)) {
        Ok(log) => (log, None),
        Err(err) => {
            let message = format!(
                "open() \"{}\" failed {}",
                path.display(),
                rginx_conf::error::os_error_suffix(&err)
            );
            eprintln!("rginx: [alert] could not open error log file: {message}");
            (ErrorLog::stderr(), Some(message))
        }
    }
}

struct Loaded {
    config: Config,
    parsed: Parsed,
}

fn load(paths: &Paths, directives: Option<&[u8]>) -> Result<Loaded, Failure> {
    let parsed = parse_file(&paths.conf_file, &paths.conf_prefix);
    let params = directives.map(|text| parse_param(text, &paths.conf_prefix));
    let options = CompileOptions {
        prefix: paths.prefix.clone(),
        conf_file: paths.conf_file.clone(),
        conf_prefix: paths.conf_prefix.clone(),
        is_root: nix::unistd::geteuid().is_root(),
    };
    let config = compile(&parsed, params.as_ref(), options)?;
    Ok(Loaded { config, parsed })
}

fn test_report(
    paths: &Paths,
    config: Result<Loaded, Failure>,
    log: &mut ErrorLog,
    quiet: bool,
    dump_files: bool,
) -> ExitCode {
    let file = paths.conf_file.display();
    match config {
        Ok(loaded) => {
            print_warnings(&loaded.config.warnings, log);
            if !quiet {
                eprintln!("rginx: the configuration file {file} syntax is ok");
            }
            // nginx opens every log file as part of the test.
            if let Err(message) = rginx_http::log::open_files(&loaded.config) {
                emerg(&message, log);
                eprintln!("rginx: configuration file {file} test failed");
                return ExitCode::FAILURE;
            }
            if !quiet {
                eprintln!("rginx: configuration file {file} test is successful");
            }
            if dump_files {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(&dump::dump_files(&loaded.parsed.files));
                let _ = out.flush();
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            print_warnings(&failure.warnings, log);
            if failure.after_syntax_ok && !quiet {
                eprintln!("rginx: the configuration file {file} syntax is ok");
            }
            report_emerg(&failure.error, log);
            eprintln!("rginx: configuration file {file} test failed");
            ExitCode::FAILURE
        }
    }
}

fn print_warnings(warnings: &[ConfError], log: &mut ErrorLog) {
    for warning in warnings {
        if !log.is_stderr() {
            eprintln!("rginx: [warn] {warning}");
        }
        log.write("warn", &warning.to_string());
    }
}

fn report_emerg(error: &ConfError, log: &mut ErrorLog) {
    emerg(&error.to_string(), log);
    for hint in &error.hints {
        eprintln!("{hint}");
    }
}

fn emerg(message: &str, log: &mut ErrorLog) {
    if !log.is_stderr() {
        eprintln!("rginx: [emerg] {message}");
    }
    log.write("emerg", message);
}
