//! `daemon on`: fork into the background, as nginx's `ngx_daemon`, with one
//! improvement: the starting command does not exit until the daemon has
//! written its pid file (or failed), so `rginx && cat nginx.pid` and
//! systemd's `Type=forking` with `PIDFile=` never race the daemon, and a
//! failure after the fork still gives a non-zero exit status.

use crate::log::LogSet;
use rginx_conf::error::os_error_suffix;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};

/// Which side of the fork this is.
pub enum Daemonized {
    /// The starting command: exit with this status.
    Parent(i32),
    /// The daemon; tell the parent with [`Ready::done`] once started.
    Child(Ready),
}

/// The daemon's end of the start-up handshake.
pub struct Ready(File);

impl Ready {
    /// The daemon is running: the starting command may exit 0. Dropping a
    /// `Ready` without calling this makes it exit 1.
    pub fn done(mut self) {
        let _ = self.0.write_all(b"1");
    }
}

pub fn daemonize(logs: &mut LogSet) -> Result<Daemonized, ()> {
    let (read, write) = nix::unistd::pipe().map_err(|err| {
        logs.emerg(&format!("pipe() failed {}", os_error_suffix(&err.into())));
    })?;
    // SAFETY: the master has no other threads (it never starts any), so
    // the child is a complete copy of a single-threaded process and may go
    // on running ordinary Rust code.
    match unsafe { nix::unistd::fork() } {
        Err(err) => {
            logs.emerg(&format!("fork() failed {}", os_error_suffix(&err.into())));
            Err(())
        }
        Ok(nix::unistd::ForkResult::Parent { .. }) => {
            drop(write);
            Ok(Daemonized::Parent(wait_ready(read)))
        }
        Ok(nix::unistd::ForkResult::Child) => {
            drop(read);
            detach(logs)?;
            Ok(Daemonized::Child(Ready(File::from(write))))
        }
    }
}

/// The starting command waits for the daemon's byte; end of file without
/// it means the daemon failed (and said why on stderr and in the log).
fn wait_ready(read: OwnedFd) -> i32 {
    let mut byte = [0u8; 1];
    let mut file = File::from(read);
    loop {
        match file.read(&mut byte) {
            Ok(1) => return 0,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            _ => return 1,
        }
    }
}

/// A new session, umask 0 and stdin/stdout on /dev/null, as nginx; stderr
/// stays until the error log takes it over.
fn detach(logs: &mut LogSet) -> Result<(), ()> {
    nix::unistd::setsid().map_err(|err| {
        logs.emerg(&format!("setsid() failed {}", os_error_suffix(&err.into())));
    })?;
    nix::sys::stat::umask(nix::sys::stat::Mode::empty());
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
        .map_err(|err| {
            logs.emerg(&format!(
                "open(\"/dev/null\") failed {}",
                os_error_suffix(&err)
            ));
        })?;
    nix::unistd::dup2_stdin(null.as_fd()).map_err(|err| {
        logs.emerg(&format!(
            "dup2(STDIN) failed {}",
            os_error_suffix(&err.into())
        ));
    })?;
    nix::unistd::dup2_stdout(null.as_fd()).map_err(|err| {
        logs.emerg(&format!(
            "dup2(STDOUT) failed {}",
            os_error_suffix(&err.into())
        ));
    })?;
    Ok(())
}
