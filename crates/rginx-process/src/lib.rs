//! rginx's process side: the master and its workers, listening sockets,
//! signals, the pid file and log reopening, as nginx does them.
//!
//! [`run`] starts a compiled configuration: it opens the error logs, binds
//! every listening socket once, daemonizes (`daemon on`), writes the pid
//! file, then either runs the master loop, which forks `worker_processes`
//! workers and obeys HUP/USR1/QUIT/TERM/INT/CHLD/WINCH, or (`master_process
//! off`) serves in the one process. [`signal_process`] is `rginx -s`.

mod daemon;
mod log;
mod master;
mod notices;
mod pidfile;
mod proctitle;
mod signals;
mod sockets;
mod worker;

pub use log::LogSet;

use rginx_http::core_main::LogLevel;
use rginx_http::error_log::ErrorLog;
use rginx_http::serve::WorkerContext;
use rginx_http::{Config, Failure};
use std::sync::Arc;

/// Reads and compiles the configuration again (HUP), with the command
/// line's `-p`, `-c` and `-g`.
pub type Loader = Box<dyn FnMut() -> Result<Config, Failure>>;

/// What a worker runs: `rginx_http::serve::run_worker`.
pub type WorkerMain = fn(WorkerContext) -> i32;

/// Everything [`run`] needs.
pub struct Start {
    /// The configuration, already compiled (a start never binds anything
    /// for a configuration that does not compile).
    pub config: Config,
    pub loader: Loader,
    pub worker_main: WorkerMain,
    /// The log named by `-e` (or the default), where messages go until the
    /// configuration's own error logs are open.
    pub startup_log: ErrorLog,
}

/// Starts serving; returns the exit status of this process (the starting
/// command's when daemonizing: 0 once the daemon is up).
pub fn run(start: Start) -> i32 {
    let Start {
        config,
        loader,
        worker_main,
        startup_log,
    } = start;
    let mut startup = LogSet::single(startup_log, LogLevel::Notice);
    let identity = match worker::identity(&config) {
        Ok(identity) => identity,
        Err(message) => {
            startup.emerg(&message);
            return 1;
        }
    };
    let mut logs = match LogSet::open(&config.main.error_logs) {
        Ok(logs) => logs,
        Err(message) => {
            startup.emerg(&message);
            return 1;
        }
    };
    // The counters behind stub_status live in memory every worker shares.
    if let Err(err) = rginx_http::stats::init_shared() {
        startup.emerg(&format!("mmap(MAP_ANON|MAP_SHARED) failed ({err})"));
        return 1;
    }
    // Access logs are opened by the master, as nginx does, so root can
    // create them and workers inherit them after dropping privileges.
    if let Err(message) = rginx_http::log::open_files(&config) {
        startup.emerg(&message);
        return 1;
    }
    drop(startup);
    // Workers open their own logs after dropping privileges, so the files
    // must be theirs (nginx hands them over the same way on reopen).
    let uid = identity.as_ref().map(|i| i.uid);
    logs.chown(uid);
    notices::startup(&mut logs);

    let master = config.main.master_process;
    let workers = if master { worker::count(&config) } else { 1 };
    let wanted = sockets::wanted(&config, workers);
    let Ok(sockets) = sockets::Sockets::open(&wanted, &mut sockets::Sockets::default(), &mut logs)
    else {
        return 1;
    };

    let ready = if config.main.daemon {
        match daemon::daemonize(&mut logs) {
            Err(()) => return 1,
            Ok(daemon::Daemonized::Parent(code)) => return code,
            Ok(daemon::Daemonized::Child(ready)) => Some(ready),
        }
    } else {
        None
    };
    // From here on this is the process that serves (the daemon, or the
    // foreground process with `daemon off`).
    let master_signals = if master {
        match signals::MasterSignals::install() {
            Ok(signals) => Some(signals),
            Err(err) => {
                logs.emerg(&format!(
                    "sigaction() failed {}",
                    rginx_conf::error::os_error_suffix(&err)
                ));
                return 1;
            }
        }
    } else {
        None
    };
    if let Err(message) = pidfile::write(&config.main.pid, std::process::id()) {
        logs.emerg(&message);
        return 1;
    }
    logs.redirect_stderr();
    logs.echo = false;
    let daemonized = ready.is_some();
    if let Some(ready) = ready {
        ready.done();
    }

    let config = Arc::new(config);
    match master_signals {
        Some(signals) => {
            proctitle::set(&proctitle::master_title());
            master::Master::new(
                config,
                identity,
                loader,
                worker_main,
                logs,
                sockets,
                signals,
                daemonized,
            )
            .run()
        }
        None => single(config, logs, sockets, worker_main),
    }
}

/// `master_process off`: this process serves, as nginx's single-process
/// mode. HUP is ignored: the serving side owns the process and cannot swap
/// its configuration.
fn single(
    config: Arc<Config>,
    mut logs: LogSet,
    mut sockets: sockets::Sockets,
    worker_main: WorkerMain,
) -> i32 {
    worker::prime_signal_streams();
    worker::ignore_other_signals();
    let unix_paths: Vec<_> = sockets
        .bound
        .iter()
        .filter_map(|b| match &b.key.addr {
            rginx_http::http_core::listen::ListenAddr::Unix(path) => Some(path.clone()),
            _ => None,
        })
        .collect();
    let listeners = sockets.take_for_worker(0);
    let pid_file = config.main.pid.clone();
    let code = worker_main(WorkerContext {
        config,
        listeners,
        worker_index: 0,
    });
    for path in unix_paths {
        let _ = std::fs::remove_file(path);
    }
    if let Err(message) = pidfile::delete(&pid_file) {
        logs.alert(&message);
    }
    logs.notice("exit");
    code
}

/// `rginx -s stop|quit|reopen|reload`: reads the pid file the
/// configuration names and signals that process (nginx's
/// `ngx_signal_process`). Messages go to the `-e` log, at `notice`, and the
/// serious ones to stderr too. Returns the exit status.
pub fn signal_process(config: &Config, name: &str, startup_log: ErrorLog) -> i32 {
    let mut log = LogSet::single(startup_log, LogLevel::Notice);
    log.notice("signal process started");
    let signal = match name {
        "stop" => nix::sys::signal::Signal::SIGTERM,
        "quit" => nix::sys::signal::Signal::SIGQUIT,
        "reopen" => nix::sys::signal::Signal::SIGUSR1,
        "reload" => nix::sys::signal::Signal::SIGHUP,
        _ => return 1,
    };
    let pid = match pidfile::read(&config.main.pid) {
        Ok(pid) => pid,
        Err(pidfile::ReadError::Open(message) | pidfile::ReadError::Invalid(message)) => {
            log.log(LogLevel::Error, &message);
            return 1;
        }
        Err(pidfile::ReadError::Read(message)) => {
            log.log(LogLevel::Crit, &message);
            return 1;
        }
    };
    if let Err(err) = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal) {
        log.alert(&format!(
            "kill({pid}, {}) failed {}",
            signal as i32,
            rginx_conf::error::os_error_suffix(&err.into())
        ));
        return 1;
    }
    0
}
