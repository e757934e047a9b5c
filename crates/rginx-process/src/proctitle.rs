//! Process titles as nginx shows them in `ps`: `rginx: master process
//! /usr/sbin/rginx -c ...` and `rginx: worker process`, so monitoring
//! scripts that look for "master process" and "worker process" work
//! unchanged (nginx's `ngx_setproctitle`).
//!
//! Linux shows a process's command line from the memory its arguments and
//! environment strings were loaded into; the title is written there. The
//! environment strings are first copied elsewhere (by setting each variable
//! again, which makes the C library allocate new strings), so the whole
//! area can be reused, as nginx does.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

/// Sets the title to `rginx: {title}`; silently does nothing when the
/// kernel does not say where the arguments are.
pub fn set(title: &str) {
    let Some((start, end)) = area() else {
        return;
    };
    let text = format!("rginx: {title}");
    let bytes = text.as_bytes();
    let len = end - start;
    if len < 2 {
        return;
    }
    let copy = bytes.len().min(len - 1);
    // SAFETY: [start, end) is this process's argument and environment area
    // as the kernel reports it in /proc/self/stat: mapped, writable stack
    // memory of this process. The environment strings in it were moved to
    // the heap by `area()`, and nothing holds a Rust reference into it (std
    // keeps only the raw argv pointers, read again if `env::args` is
    // called). Writes stay inside the range, the last byte is a NUL.
    unsafe {
        let base = start as *mut u8;
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), base, copy);
        std::ptr::write_bytes(base.add(copy), 0, len - copy);
    }
}

/// The master's title: `master process` and the command line it was
/// started with, read before anything overwrote it.
pub fn master_title() -> String {
    let mut title = OsString::from("master process");
    for arg in std::env::args_os() {
        title.push(" ");
        title.push(arg);
    }
    String::from_utf8_lossy(title.as_bytes()).into_owned()
}

/// Where the argument strings start and the environment strings end, after
/// moving the environment out of the way; `None` if unknown or not one
/// contiguous area.
fn area() -> Option<(usize, usize)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name in parentheses start at field 3.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |n: usize| fields.get(n - 3)?.parse::<usize>().ok();
    let (arg_start, arg_end) = (field(48)?, field(49)?);
    let (env_start, env_end) = (field(50)?, field(51)?);
    if arg_start == 0 || arg_end <= arg_start {
        return None;
    }
    if env_start != arg_end || env_end <= env_start {
        return Some((arg_start, arg_end));
    }
    relocate_environment();
    Some((arg_start, env_end))
}

/// Makes the C library copy every environment string to the heap.
fn relocate_environment() {
    for (key, value) in std::env::vars_os() {
        // SAFETY: called from the master or a freshly forked worker, neither
        // of which has other threads, so nothing reads the environment
        // concurrently.
        unsafe { std::env::set_var(key, value) };
    }
}
