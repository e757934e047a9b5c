//! The master process (nginx's `ngx_master_process_cycle`): a synchronous
//! loop, with no runtime and no threads, that forks the workers, waits for
//! signals and acts on them: HUP reloads, USR1 reopens logs, QUIT stops
//! gracefully, TERM/INT stop fast, CHLD reaps and respawns, WINCH (when
//! daemonized) makes the workers stop accepting.

use crate::log::LogSet;
use crate::signals::{self, MasterSignals, Received};
use crate::sockets::{self, Sockets};
use crate::worker::{self, Identity};
use crate::{Loader, WorkerMain, notices, pidfile};
use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use rginx_conf::error::os_error_suffix;
use rginx_http::Config;
use rginx_http::core_main::LogLevel;
use rginx_http::serve::WorkerContext;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One worker the master forked.
#[derive(Debug)]
struct Worker {
    pid: Pid,
    /// 0-based worker number, kept when it is respawned.
    index: usize,
    /// The configuration generation it serves (bumped by each reload).
    generation: u64,
    /// Told to stop (QUIT or TERM): not respawned when it exits.
    exiting: bool,
    /// Exited with status 2: nginx's "cannot be respawned".
    respawn: bool,
}

/// nginx's first fast-stop delay; TERM is sent again as it doubles, then
/// KILL once it passes a second.
const TERM_FIRST_DELAY: Duration = Duration::from_millis(50);
const TERM_KILL_AFTER: Duration = Duration::from_millis(1000);
/// After a reload, new workers get this long to start before the old ones
/// are told to quit (nginx's `ngx_msleep(100)`).
const NEW_WORKERS_HEAD_START: Duration = Duration::from_millis(100);

pub struct Master {
    pub config: Arc<Config>,
    pub identity: Option<Identity>,
    pub loader: Loader,
    pub worker_main: WorkerMain,
    pub logs: LogSet,
    pub sockets: Sockets,
    pub signals: Option<MasterSignals>,
    pub pid_file: PathBuf,
    pub daemonized: bool,
    workers: Vec<Worker>,
    generation: u64,
    quit: bool,
    terminate: bool,
    /// Fast stop: when to send TERM again (or KILL), and the current delay.
    term_timer: Option<(Instant, Duration)>,
}

impl Master {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        config: Arc<Config>,
        identity: Option<Identity>,
        loader: Loader,
        worker_main: WorkerMain,
        logs: LogSet,
        sockets: Sockets,
        signals: MasterSignals,
        daemonized: bool,
    ) -> Master {
        Master {
            pid_file: config.main.pid.clone(),
            config,
            identity,
            loader,
            worker_main,
            logs,
            sockets,
            signals: Some(signals),
            daemonized,
            workers: Vec::new(),
            generation: 0,
            quit: false,
            terminate: false,
            term_timer: None,
        }
    }

    /// Runs until the last worker is gone after QUIT/TERM; returns the exit
    /// status.
    pub fn run(mut self) -> i32 {
        self.start_workers();
        loop {
            let timeout = self
                .term_timer
                .map(|(at, _)| at.saturating_duration_since(Instant::now()));
            let received = match self.signals.as_mut() {
                Some(signals) => signals.wait(timeout),
                None => return 1,
            };
            let mut reap = false;
            let mut reconfigure = false;
            let mut reopen = false;
            let mut noaccept = false;
            for one in received {
                let action = match one.signal {
                    Signal::SIGQUIT => {
                        self.quit = true;
                        ", shutting down"
                    }
                    Signal::SIGTERM | Signal::SIGINT => {
                        self.terminate = true;
                        ", exiting"
                    }
                    Signal::SIGHUP => {
                        reconfigure = true;
                        ", reconfiguring"
                    }
                    Signal::SIGUSR1 => {
                        reopen = true;
                        ", reopening logs"
                    }
                    Signal::SIGWINCH if self.daemonized => {
                        noaccept = true;
                        ", stop accepting connections"
                    }
                    // Binary upgrade is not implemented: nothing to change to.
                    Signal::SIGUSR2 => ", ignoring",
                    Signal::SIGCHLD => {
                        reap = true;
                        ""
                    }
                    _ => "",
                };
                self.log_received(one, action);
            }
            if reap {
                self.reap();
            }
            let live = !self.workers.is_empty();
            if !live && (self.terminate || self.quit) {
                return self.exit();
            }
            if self.terminate {
                self.fast_stop();
                continue;
            }
            if self.quit {
                self.signal_workers(Signal::SIGQUIT, |_| true);
                self.sockets.close_all();
                continue;
            }
            if reconfigure {
                self.reload();
            }
            if reopen {
                self.logs.notice("reopening logs");
                let uid = self.identity.as_ref().map(|i| i.uid);
                self.logs.reopen(uid);
                // The access logs too, created for the worker user before
                // the workers are told to reopen theirs.
                rginx_http::log::reopen_as(&self.config, uid);
                self.signal_workers(Signal::SIGUSR1, |_| true);
            }
            if noaccept {
                self.signal_workers(Signal::SIGQUIT, |_| true);
            }
        }
    }

    fn log_received(&mut self, received: Received, action: &str) {
        self.logs.notice(&signals::received_line(received, action));
    }

    fn start_workers(&mut self) {
        self.logs.notice("start worker processes");
        for index in 0..worker::count(&self.config) {
            self.spawn(index);
        }
    }

    /// Forks worker `index` of the current generation.
    fn spawn(&mut self, index: usize) -> Option<Pid> {
        let mask = signals::block();
        // SAFETY: the master never starts a thread, so the child is a full
        // copy of a single-threaded process (no lock can be held by a thread
        // that does not exist there) and may run ordinary Rust code.
        match unsafe { nix::unistd::fork() } {
            Err(err) => {
                signals::restore(&mask);
                self.logs.alert(&format!(
                    "fork() failed while spawning \"worker process\" {}",
                    os_error_suffix(&err.into())
                ));
                None
            }
            Ok(nix::unistd::ForkResult::Parent { child }) => {
                signals::restore(&mask);
                self.logs.notice(&format!("start worker process {child}"));
                self.workers.push(Worker {
                    pid: child,
                    index,
                    generation: self.generation,
                    exiting: false,
                    respawn: true,
                });
                Some(child)
            }
            Ok(nix::unistd::ForkResult::Child) => {
                let code = self.become_worker(index, &mask);
                std::process::exit(code);
            }
        }
    }

    /// In the forked child: let go of the master's signal handlers, prepare
    /// and hand over to the serving side.
    fn become_worker(&mut self, index: usize, mask: &nix::sys::signal::SigSet) -> i32 {
        // Unregisters the master's handlers in this process only; the
        // master's self-pipe stays the master's.
        drop(self.signals.take());
        worker::prime_signal_streams();
        worker::ignore_other_signals();
        if worker::prepare(&self.config, index, self.identity.as_ref(), &mut self.logs).is_err() {
            return 2;
        }
        crate::proctitle::set("worker process");
        let listeners = self.sockets.take_for_worker(index);
        signals::restore(mask);
        (self.worker_main)(WorkerContext {
            config: self.config.clone(),
            listeners,
            worker_index: index,
        })
    }

    /// SIGCHLD: collects every exited child, logs how it ended (nginx's
    /// `ngx_process_get_status`) and respawns workers that were not told to
    /// stop (`ngx_reap_children`).
    fn reap(&mut self) {
        loop {
            let status = match nix::sys::wait::waitpid(None, Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::StillAlive) | Err(Errno::ECHILD) => return,
                Err(Errno::EINTR) => continue,
                Err(err) => {
                    self.logs.alert(&format!(
                        "waitpid() failed {}",
                        os_error_suffix(&err.into())
                    ));
                    return;
                }
                Ok(status) => status,
            };
            let (pid, code) = match status {
                WaitStatus::Exited(pid, code) => (pid, Some(code)),
                WaitStatus::Signaled(pid, signal, core) => {
                    let name = self.process_name(pid);
                    let core = if core { " (core dumped)" } else { "" };
                    self.logs.alert(&format!(
                        "{name} {pid} exited on signal {}{core}",
                        signal as i32
                    ));
                    (pid, None)
                }
                _ => continue,
            };
            if let Some(code) = code {
                let name = self.process_name(pid);
                self.logs
                    .notice(&format!("{name} {pid} exited with code {code}"));
            }
            let Some(at) = self.workers.iter().position(|w| w.pid == pid) else {
                continue;
            };
            let mut gone = self.workers.remove(at);
            if code == Some(2) && gone.respawn {
                self.logs.alert(&format!(
                    "worker process {pid} exited with fatal code 2 and cannot be respawned"
                ));
                gone.respawn = false;
            }
            if gone.respawn
                && !gone.exiting
                && gone.generation == self.generation
                && !self.terminate
                && !self.quit
                && self.spawn(gone.index).is_none()
            {
                self.logs.alert("could not respawn worker process");
            }
        }
    }

    fn process_name(&self, pid: Pid) -> &'static str {
        if self.workers.iter().any(|w| w.pid == pid) {
            "worker process"
        } else {
            "unknown process"
        }
    }

    /// Sends `signal` to the workers `which` selects; QUIT and TERM mark
    /// them as exiting (a worker already told to quit is not told again).
    fn signal_workers(&mut self, signal: Signal, which: impl Fn(&Worker) -> bool) {
        let mut failures = Vec::new();
        for w in self.workers.iter_mut().filter(|w| which(w)) {
            if w.exiting && signal == Signal::SIGQUIT {
                continue;
            }
            if let Err(err) = nix::sys::signal::kill(w.pid, signal) {
                failures.push(format!(
                    "kill({}, {}) failed {}",
                    w.pid,
                    signal as i32,
                    os_error_suffix(&err.into())
                ));
                continue;
            }
            if signal != Signal::SIGUSR1 {
                w.exiting = true;
            }
        }
        for failure in failures {
            self.logs.alert(&failure);
        }
    }

    /// TERM/INT: TERM the workers now, again each time the delay doubles,
    /// and KILL them once it passes a second.
    fn fast_stop(&mut self) {
        let now = Instant::now();
        match self.term_timer {
            None => {
                self.term_timer = Some((now + TERM_FIRST_DELAY, TERM_FIRST_DELAY));
                self.signal_workers(Signal::SIGTERM, |_| true);
            }
            Some((at, delay)) if now >= at => {
                let delay = delay * 2;
                self.term_timer = Some((now + delay, delay));
                let signal = if delay > TERM_KILL_AFTER {
                    Signal::SIGKILL
                } else {
                    Signal::SIGTERM
                };
                self.signal_workers(signal, |_| true);
            }
            Some(_) => {}
        }
    }

    /// HUP: nginx's reconfiguration. The new configuration is read and
    /// compiled here; if anything fails, the old workers go on as if nothing
    /// happened. Otherwise sockets of unchanged addresses are kept as they
    /// are, new ones bound, removed ones closed, new workers forked, and
    /// only then are the old workers told to finish gracefully.
    fn reload(&mut self) {
        self.logs.notice("reconfiguring");
        let config = match (self.loader)() {
            Ok(config) => config,
            Err(failure) => {
                for warning in &failure.warnings {
                    self.logs.log(LogLevel::Warn, &warning.to_string());
                }
                self.logs.emerg(&failure.error.to_string());
                return;
            }
        };
        for warning in &config.warnings {
            self.logs.log(LogLevel::Warn, &warning.to_string());
        }
        let identity = match worker::identity(&config) {
            Ok(identity) => identity,
            Err(message) => {
                self.logs.emerg(&message);
                return;
            }
        };
        let mut logs = match LogSet::open(&config.main.error_logs) {
            Ok(logs) => logs,
            Err(message) => {
                self.logs.emerg(&message);
                return;
            }
        };
        if let Err(message) = rginx_http::log::open_files(&config) {
            self.logs.emerg(&message);
            return;
        }
        logs.echo = false;
        // A new pid file is written before anything else can fail, and the
        // old one removed only once the reload is certain.
        let new_pid_file = (config.main.pid != self.pid_file).then(|| config.main.pid.clone());
        if let Some(path) = &new_pid_file
            && let Err(message) = pidfile::write(path, std::process::id())
        {
            self.logs.emerg(&message);
            return;
        }
        let wanted = sockets::wanted(&config, worker::count(&config));
        let Ok(sockets) = Sockets::open(&wanted, &mut self.sockets, &mut self.logs) else {
            if let Some(path) = &new_pid_file {
                let _ = pidfile::delete(path);
            }
            return;
        };
        if let Some(path) = new_pid_file {
            if let Err(message) = pidfile::delete(&self.pid_file) {
                self.logs.alert(&message);
            }
            self.pid_file = path;
        }
        std::mem::replace(&mut self.sockets, sockets).close_all();
        logs.chown(identity.as_ref().map(|i| i.uid));
        logs.redirect_stderr();
        self.logs = logs;
        self.config = Arc::new(config);
        self.identity = identity;
        self.generation += 1;
        notices::event_method(&mut self.logs);
        self.start_workers();
        std::thread::sleep(NEW_WORKERS_HEAD_START);
        let current = self.generation;
        self.signal_workers(Signal::SIGQUIT, |w| w.generation < current);
    }

    /// The last worker is gone after QUIT/TERM (nginx's
    /// `ngx_master_process_exit`).
    fn exit(&mut self) -> i32 {
        if let Err(message) = pidfile::delete(&self.pid_file) {
            self.logs.alert(&message);
        }
        self.logs.notice("exit");
        self.sockets.close_all();
        0
    }
}
