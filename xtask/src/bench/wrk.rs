//! Running wrk and reading its report.
//!
//! wrk prints a human report only; the parser reads the lines the harness needs and refuses
//! output that lacks them, so a changed wrk fails loudly instead of reporting zeros.

use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What one wrk run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct WrkReport {
    pub requests: u64,
    pub duration_s: f64,
    pub bytes_read: f64,
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// connect + read + write + timeout socket errors.
    pub socket_errors: u64,
    /// Responses whose status was not 2xx or 3xx.
    pub non_2xx_3xx: u64,
}

impl WrkReport {
    pub fn errors(&self) -> u64 {
        self.socket_errors + self.non_2xx_3xx
    }
}

/// Parses wrk's `--latency` report.
pub fn parse(output: &str) -> Result<WrkReport, String> {
    let mut requests = None;
    let mut duration_s = None;
    let mut bytes_read = None;
    let mut rps = None;
    let mut p50 = None;
    let mut p99 = None;
    let mut max = None;
    let mut socket_errors = 0;
    let mut non_2xx_3xx = 0;
    for line in output.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            // "Latency   438.23us  312.17us  10.01ms   93.52%": avg, stdev, max, +/- stdev.
            ["Latency", _avg, _stdev, m, _] => max = parse_duration_ms(m),
            ["50%", v] => p50 = parse_duration_ms(v),
            ["99%", v] => p99 = parse_duration_ms(v),
            // "221040 requests in 2.01s, 177.22MB read"
            [n, "requests", "in", d, size, "read"] => {
                requests = n.parse().ok();
                duration_s = d
                    .strip_suffix(',')
                    .and_then(parse_duration_ms)
                    .map(|ms| ms / 1000.0);
                bytes_read = parse_size(size);
            }
            ["Requests/sec:", v] => rps = v.parse().ok(),
            ["Non-2xx", "or", "3xx", "responses:", n] => {
                non_2xx_3xx = n.parse().map_err(|_| format!("bad wrk line: {line}"))?;
            }
            ["Socket", "errors:", ..] => socket_errors = parse_socket_errors(line)?,
            _ => {}
        }
    }
    let missing = |what: &str| format!("wrk output has no {what}: {}", first_line(output));
    Ok(WrkReport {
        requests: requests.ok_or_else(|| missing("request count"))?,
        duration_s: duration_s.ok_or_else(|| missing("duration"))?,
        bytes_read: bytes_read.ok_or_else(|| missing("bytes read"))?,
        requests_per_sec: rps.ok_or_else(|| missing("Requests/sec"))?,
        p50_ms: p50.ok_or_else(|| missing("50% latency (was --latency given?)"))?,
        p99_ms: p99.ok_or_else(|| missing("99% latency"))?,
        max_ms: max.ok_or_else(|| missing("max latency"))?,
        socket_errors,
        non_2xx_3xx,
    })
}

fn first_line(s: &str) -> &str {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(empty)")
}

/// "Socket errors: connect 0, read 50, write 66256, timeout 0" -> 66306.
fn parse_socket_errors(line: &str) -> Result<u64, String> {
    let body = line
        .split_once(':')
        .map(|(_, b)| b)
        .ok_or_else(|| format!("bad wrk line: {line}"))?;
    body.split(',')
        .map(|part| {
            part.split_whitespace()
                .nth(1)
                .and_then(|n| n.parse::<u64>().ok())
                .ok_or_else(|| format!("bad wrk line: {line}"))
        })
        .sum()
}

/// wrk's durations: "379.00us", "1.51ms", "2.01s", "1.50m", "1.00h"; returned in milliseconds.
pub fn parse_duration_ms(s: &str) -> Option<f64> {
    let (num, scale) = if let Some(n) = s.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60_000.0)
    } else if let Some(n) = s.strip_suffix('h') {
        (n, 3_600_000.0)
    } else {
        return None;
    };
    let v: f64 = num.parse().ok()?;
    v.is_finite().then_some(v * scale)
}

/// wrk's sizes: "177.22MB", "2.09GB", "512.00B", in bytes (wrk uses powers of 1024).
pub fn parse_size(s: &str) -> Option<f64> {
    let units = [
        ("TB", 1024f64.powi(4)),
        ("GB", 1024f64.powi(3)),
        ("MB", 1024f64.powi(2)),
        ("KB", 1024.0),
        ("B", 1.0),
    ];
    let (num, scale) = units
        .iter()
        .find_map(|&(u, f)| s.strip_suffix(u).map(|n| (n, f)))?;
    let v: f64 = num.parse().ok()?;
    v.is_finite().then_some(v * scale)
}

/// One wrk invocation.
pub struct WrkRun<'a> {
    pub url: &'a str,
    pub threads: u32,
    pub connections: u32,
    pub duration_s: u32,
    pub headers: &'a [&'a str],
    /// `taskset -c` CPU list, when pinning.
    pub cpus: Option<&'a str>,
}

impl WrkRun<'_> {
    pub fn command(&self) -> Command {
        let mut cmd = match self.cpus {
            Some(list) => {
                let mut c = Command::new("taskset");
                c.args(["-c", list, "wrk"]);
                c
            }
            None => Command::new("wrk"),
        };
        cmd.arg("-t")
            .arg(self.threads.max(1).min(self.connections).to_string())
            .arg("-c")
            .arg(self.connections.to_string())
            .arg("-d")
            .arg(format!("{}s", self.duration_s))
            .args(["--timeout", "5s", "--latency"]);
        for h in self.headers {
            cmd.args(["-H", h]);
        }
        cmd.arg(self.url);
        cmd
    }

    /// Starts wrk with its report going to `out` (a file, so a chatty wrk can never block
    /// on a full pipe while the harness is busy sampling the server).
    pub fn spawn(&self, out: &Path) -> Result<Child, String> {
        let file = File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
        let err = file.try_clone().map_err(|e| e.to_string())?;
        self.command()
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot run wrk: {e}"))
    }

    /// Runs wrk to completion, calling `tick` about every 200 ms while it runs, and kills it
    /// if it outlives its own `-d` by a wide margin (a wedged server must not hang the run).
    pub fn run(&self, out: &Path, mut tick: impl FnMut()) -> Result<WrkReport, String> {
        let mut child = self.spawn(out)?;
        let deadline = Instant::now() + Duration::from_secs(u64::from(self.duration_s) + 20);
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() > deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err("wrk did not finish in time; killed".into());
                }
                Ok(None) => {
                    tick();
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => return Err(format!("waiting for wrk: {e}")),
            }
        }
        let text = std::fs::read_to_string(out).map_err(|e| e.to_string())?;
        parse(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/wrk")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn parses_return_200_run() {
        // Captured from wrk 4.1.0 against nginx 1.22 serving `return 200 "ok\n"`.
        let r = parse(&fixture("return200.txt")).unwrap();
        assert_eq!(r.requests, 141_384);
        assert!((r.duration_s - 2.01).abs() < 1e-9);
        assert!((r.bytes_read - 20.22 * 1024.0 * 1024.0).abs() < 1.0);
        assert_eq!(r.requests_per_sec, 70336.03);
        assert!((r.p50_ms - 0.575).abs() < 1e-9);
        assert!((r.p99_ms - 5.50).abs() < 1e-9);
        assert!((r.max_ms - 16.97).abs() < 1e-9);
        assert_eq!(r.errors(), 0);
    }

    #[test]
    fn parses_non_2xx_responses() {
        let r = parse(&fixture("non2xx.txt")).unwrap();
        assert_eq!(r.requests, 96_404);
        assert_eq!(r.non_2xx_3xx, 96_404);
        assert_eq!(r.socket_errors, 0);
        assert!((r.p99_ms - 0.253).abs() < 1e-9);
        assert!((r.max_ms - 3.10).abs() < 1e-9);
    }

    #[test]
    fn parses_socket_errors() {
        // The server was stopped (QUIT) in the middle of this run.
        let r = parse(&fixture("sockerr.txt")).unwrap();
        assert_eq!(r.socket_errors, 50 + 66_256);
        assert_eq!(r.non_2xx_3xx, 0);
        assert_eq!(r.errors(), 66_306);
    }

    #[test]
    fn parses_gigabytes_and_second_scale_latency() {
        let r = parse(&fixture("static1m.txt")).unwrap();
        assert!((r.bytes_read - 2.09 * 1024f64.powi(3)).abs() < 1.0);
        assert_eq!(r.requests, 2144);
        assert!((r.max_ms - 657.62).abs() < 1e-9);
        assert!((r.p50_ms - 46.01).abs() < 1e-9);
    }

    #[test]
    fn refused_connection_is_an_error_not_zeros() {
        let err = parse(&fixture("refused.txt")).unwrap_err();
        assert!(err.contains("Connection refused"), "{err}");
    }

    #[test]
    fn output_without_latency_distribution_is_refused() {
        let text: String = fixture("return200.txt")
            .lines()
            .filter(|l| !l.contains('%') || l.contains("Latency  "))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(parse(&text).unwrap_err().contains("50%"));
    }

    #[test]
    fn units() {
        assert_eq!(parse_duration_ms("379.00us"), Some(0.379));
        assert_eq!(parse_duration_ms("1.51ms"), Some(1.51));
        assert_eq!(parse_duration_ms("2.00s"), Some(2000.0));
        assert_eq!(parse_duration_ms("1.50m"), Some(90_000.0));
        assert_eq!(parse_duration_ms("12"), None);
        assert_eq!(parse_size("1.00KB"), Some(1024.0));
        assert_eq!(parse_size("512.00B"), Some(512.0));
        assert_eq!(parse_size("1.5XB"), None);
    }

    #[test]
    fn command_line_is_bounded_and_pinned() {
        let run = WrkRun {
            url: "http://127.0.0.1:1/",
            threads: 8,
            connections: 4,
            duration_s: 3,
            headers: &["Connection: close"],
            cpus: Some("1"),
        };
        let cmd = run.command();
        let args: Vec<_> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(cmd.get_program(), "taskset");
        assert_eq!(
            args,
            [
                "-c",
                "1",
                "wrk",
                "-t",
                "4",
                "-c",
                "4",
                "-d",
                "3s",
                "--timeout",
                "5s",
                "--latency",
                "-H",
                "Connection: close",
                "http://127.0.0.1:1/"
            ]
        );
    }
}
