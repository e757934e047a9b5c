//! The master's signals. Handlers (signal-hook) only record the signal and
//! its sender and wake the master's synchronous loop through a self-pipe;
//! the loop waits on that pipe with a timeout (for the fast-stop escalation)
//! and acts on what arrived, as nginx's `sigsuspend()` loop does.

use nix::poll::{PollFd, PollFlags, PollTimeout};
use nix::sys::signal::{SigSet, SigmaskHow, Signal};
use signal_hook::iterator::backend::SignalDelivery;
use signal_hook::iterator::exfiltrator::WithOrigin;
use std::io;
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// Every signal the master acts on.
pub const MASTER_SIGNALS: [Signal; 8] = [
    Signal::SIGHUP,
    Signal::SIGUSR1,
    Signal::SIGQUIT,
    Signal::SIGTERM,
    Signal::SIGINT,
    Signal::SIGCHLD,
    Signal::SIGWINCH,
    Signal::SIGUSR2,
];

/// One signal that arrived, with the pid that sent it when the kernel says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received {
    pub signal: Signal,
    pub from: Option<i32>,
}

/// The master's signal handlers and their self-pipe.
pub struct MasterSignals {
    delivery: SignalDelivery<UnixStream, WithOrigin>,
}

impl MasterSignals {
    pub fn install() -> io::Result<MasterSignals> {
        let (read, write) = UnixStream::pair()?;
        read.set_nonblocking(true)?;
        write.set_nonblocking(true)?;
        let signals = MASTER_SIGNALS.map(|s| s as i32);
        let delivery = SignalDelivery::with_pipe(read, write, WithOrigin::default(), signals)?;
        Ok(MasterSignals { delivery })
    }

    /// Waits until a signal arrives or `timeout` passes; returns what
    /// arrived (several of one kind count once, as with nginx's flags).
    pub fn wait(&mut self, timeout: Option<Duration>) -> Vec<Received> {
        let timeout = match timeout {
            None => PollTimeout::NONE,
            Some(t) => {
                let ms = i32::try_from(t.as_millis()).unwrap_or(i32::MAX);
                PollTimeout::try_from(ms.max(1)).unwrap_or(PollTimeout::MAX)
            }
        };
        let read = self.delivery.get_read().as_fd();
        let mut fds = [PollFd::new(read, PollFlags::POLLIN)];
        // EINTR is the usual way out of poll() here: the handler ran.
        let _ = nix::poll::poll(&mut fds, timeout);
        self.delivery
            .pending()
            .filter_map(|origin| {
                Some(Received {
                    signal: Signal::try_from(origin.signal).ok()?,
                    from: origin.process.map(|p| p.pid),
                })
            })
            .collect()
    }
}

/// Blocks the master's signals (around fork, so that a signal meant for a
/// new worker waits until the worker's own handlers are in place); returns
/// the mask to restore.
pub fn block() -> SigSet {
    let mut set = SigSet::empty();
    for signal in MASTER_SIGNALS {
        set.add(signal);
    }
    let mut old = SigSet::empty();
    let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), Some(&mut old));
    old
}

pub fn restore(mask: &SigSet) {
    let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(mask), None);
}

/// nginx's `signal 1 (SIGHUP) received from 123, reconfiguring` line.
pub fn received_line(received: Received, action: &str) -> String {
    let number = received.signal as i32;
    let name = received.signal.as_str();
    match received.from.filter(|pid| *pid != 0) {
        Some(pid) => format!("signal {number} ({name}) received from {pid}{action}"),
        None => format!("signal {number} ({name}) received{action}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_lines_are_nginxs() {
        let hup = Received {
            signal: Signal::SIGHUP,
            from: Some(4242),
        };
        assert_eq!(
            received_line(hup, ", reconfiguring"),
            "signal 1 (SIGHUP) received from 4242, reconfiguring"
        );
        let chld = Received {
            signal: Signal::SIGCHLD,
            from: None,
        };
        assert_eq!(received_line(chld, ""), "signal 17 (SIGCHLD) received");
    }
}
