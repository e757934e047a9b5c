//! Reading what the harness needs from /proc: a process's parent, its CPU time, its resident
//! memory, and the children of a server's master process (its workers).

use std::fs;

/// The fields of /proc/PID/stat the harness uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub ppid: u32,
    /// User-mode CPU time, in clock ticks.
    pub utime: u64,
    /// Kernel-mode CPU time, in clock ticks.
    pub stime: u64,
}

/// Parses the text of /proc/PID/stat.
///
/// The second field is the command name in parentheses, and the name itself may contain
/// spaces and parentheses, so the fixed-position fields are counted from the *last* `)`.
pub fn parse_stat(text: &str) -> Option<Stat> {
    let close = text.rfind(')')?;
    let rest: Vec<&str> = text.get(close + 1..)?.split_whitespace().collect();
    // After the name: state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8) flags(9)
    // minflt(10) cminflt(11) majflt(12) cmajflt(13) utime(14) stime(15); rest[0] is field 3.
    Some(Stat {
        ppid: rest.get(1)?.parse().ok()?,
        utime: rest.get(11)?.parse().ok()?,
        stime: rest.get(12)?.parse().ok()?,
    })
}

/// Parses `VmRSS:` (in KiB) out of the text of /proc/PID/status.
pub fn parse_vm_rss_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// Parses a kernel CPU list such as `0-3,6,8-9` into CPU numbers.
pub fn parse_cpu_list(text: &str) -> Option<Vec<u32>> {
    let mut cpus = Vec::new();
    for part in text.trim().split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
                if a > b {
                    return None;
                }
                cpus.extend(a..=b);
            }
            None => cpus.push(part.parse().ok()?),
        }
    }
    Some(cpus)
}

pub fn stat(pid: u32) -> Option<Stat> {
    parse_stat(&fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

pub fn rss_kib(pid: u32) -> Option<u64> {
    parse_vm_rss_kib(&fs::read_to_string(format!("/proc/{pid}/status")).ok()?)
}

/// Processes whose parent is `pid`. Found by scanning /proc, because
/// /proc/PID/task/TID/children is not built into every kernel.
pub fn children(pid: u32) -> Vec<u32> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut kids: Vec<u32> = dir
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&p| stat(p).is_some_and(|s| s.ppid == pid))
        .collect();
    kids.sort_unstable();
    kids
}

/// CPUs this process may run on (from /proc/self/status), so pinning never names a CPU
/// that a container or cgroup has taken away.
pub fn allowed_cpus() -> Vec<u32> {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
                .and_then(parse_cpu_list)
        })
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| {
            let n = std::thread::available_parallelism().map_or(1, |n| n.get());
            (0..n as u32).collect()
        })
}

/// Kernel clock ticks per second, the unit of `utime`/`stime`.
pub fn clock_ticks_per_sec() -> f64 {
    // SAFETY: sysconf has no preconditions; it returns -1 for unknown names.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as f64 } else { 100.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real /proc/PID/stat line of an nginx 1.22 worker after a short wrk run;
    // counted by hand: ppid 30198, utime 12, stime 43.
    const NGINX_WORKER: &str = "30201 (nginx) S 30198 30194 4101 0 -1 4194624 175 0 1 0 \
        12 43 0 0 20 0 1 0 1135103 12046336 1070 18446744073709551615 94111391367168 \
        94111392150641 140733264194544 0 0 0 0 1073745920 402745863 1 0 0 17 0 0 0 0 0 0 \
        94111392385104 94111392486176 94111574421504 140733264198320 140733264198384 \
        140733264198384 140733264199656 0";

    #[test]
    fn parses_stat_fields() {
        let s = parse_stat(NGINX_WORKER).unwrap();
        assert_eq!(
            s,
            Stat {
                ppid: 30198,
                utime: 12,
                stime: 43
            }
        );
    }

    #[test]
    fn command_names_with_spaces_and_parens_do_not_shift_fields() {
        let line = NGINX_WORKER.replace("(nginx)", "(ng ) x (y)");
        assert_eq!(parse_stat(&line), parse_stat(NGINX_WORKER));
    }

    #[test]
    fn truncated_stat_is_refused() {
        assert_eq!(parse_stat("1 (init) S 0 1 1"), None);
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn reads_our_own_process() {
        let me = std::process::id();
        let s = stat(me).expect("own /proc/PID/stat");
        assert_eq!(Some(s.ppid), parse_ppid_from_status(me));
        assert!(rss_kib(me).unwrap() > 0);
    }

    fn parse_ppid_from_status(pid: u32) -> Option<u32> {
        let st = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        st.lines()
            .find_map(|l| l.strip_prefix("PPid:"))
            .and_then(|v| v.trim().parse().ok())
    }

    #[test]
    fn finds_a_spawned_child() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let kids = children(std::process::id());
        let _ = child.kill();
        let _ = child.wait();
        assert!(kids.contains(&child.id()), "{kids:?} lacks {}", child.id());
    }

    #[test]
    fn parses_vm_rss() {
        let status = "Name:\tnginx\nVmPeak:\t  60000 kB\nVmRSS:\t    4748 kB\nRssAnon:\t 1000 kB\n";
        assert_eq!(parse_vm_rss_kib(status), Some(4748));
        assert_eq!(parse_vm_rss_kib("Name:\tkthreadd\n"), None);
    }

    #[test]
    fn parses_cpu_lists() {
        assert_eq!(parse_cpu_list("0-1\n"), Some(vec![0, 1]));
        assert_eq!(parse_cpu_list("0-2,5,7-8"), Some(vec![0, 1, 2, 5, 7, 8]));
        assert_eq!(parse_cpu_list("3-1"), None);
        assert_eq!(parse_cpu_list("a"), None);
    }
}
