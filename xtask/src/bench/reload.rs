//! Reload latency: how long from HUP to the master until a new connection is answered by a
//! worker running the new configuration. Each server serves `return 200 "generation N"`;
//! the harness rewrites the config with N+1, signals the master by the pid it started, and
//! polls with fresh connections until the answer names N+1.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use super::prefix::{free_port, server_prefix};
use super::results::ConfTestResult;
use super::server::{Binary, signal};
use super::stats::{median, ratio};

pub const NAME: &str = "reload";
const DESCRIPTION: &str = "HUP until a new connection gets the new config (1 worker, `return 200`)";

fn config(port: u16, generation: usize) -> String {
    format!(
        "worker_processes 1;\ndaemon off;\nuser root;\npid logs/server.pid;\n\
         error_log logs/error.log;\nevents {{}}\n\
         http {{\n    access_log off;\n    server {{\n        listen 127.0.0.1:{port};\n\
         \x20       location / {{ return 200 \"generation {generation}\\n\"; }}\n    }}\n}}\n"
    )
}

/// The body of `GET /` on a new connection, if one came.
fn fetch(addr: SocketAddr) -> Option<String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(200)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(1))).ok()?;
    stream.write_all(b"GET / HTTP/1.0\r\n\r\n").ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    Some(text)
}

/// Times `runs` reloads of one server; the first reload is a warm-up.
fn measure(bin: &Binary, runs: usize) -> Result<Vec<f64>, String> {
    let dir = server_prefix(NAME)?;
    let port = free_port()?;
    let conf = dir.path().join("nginx.conf");
    let write = |generation: usize| {
        std::fs::write(&conf, config(port, generation))
            .map_err(|e| format!("{}: {e}", conf.display()))
    };
    write(0)?;
    let mut server = bin.start(dir.path(), &conf, None)?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    server.wait_ready(addr, 1, Duration::from_secs(10))?;
    let mut times = Vec::new();
    let result = (1..=runs + 1).try_for_each(|generation| {
        write(generation)?;
        let wanted = format!("generation {generation}\n");
        let start = Instant::now();
        signal(server.pid(), libc::SIGHUP);
        loop {
            if fetch(addr).is_some_and(|text| text.ends_with(&wanted)) {
                break;
            }
            if start.elapsed() > Duration::from_secs(10) {
                return Err(format!(
                    "{}: generation {generation} not served 10 s after HUP: {}",
                    bin.kind.name(),
                    server.diagnostics()
                ));
            }
            std::thread::sleep(Duration::from_micros(500));
        }
        times.push((start.elapsed().as_secs_f64() * 1e6).round() / 1000.0);
        // Let the old worker finish leaving before the next reload.
        std::thread::sleep(Duration::from_millis(200));
        Ok(())
    });
    server.stop(Duration::from_secs(10));
    result.map(|()| times)
}

/// Measures both servers; the result reads like a conf-test (times in ms, ratio of times).
pub fn run(nginx: &Binary, rginx: &Binary, runs: usize) -> ConfTestResult {
    let mut result = ConfTestResult {
        name: NAME.to_string(),
        config: DESCRIPTION.to_string(),
        runs,
        nginx_ms: Vec::new(),
        rginx_ms: Vec::new(),
        nginx_median_ms: None,
        rginx_median_ms: None,
        time_ratio: None,
        error: None,
    };
    match measure(nginx, runs) {
        Ok(times) => result.nginx_ms = times,
        Err(e) => result.error = Some(e),
    }
    match measure(rginx, runs) {
        Ok(times) => result.rginx_ms = times,
        Err(e) => result.error = Some(e),
    }
    result.nginx_median_ms = result.nginx_ms.get(1..).and_then(median);
    result.rginx_median_ms = result.rginx_ms.get(1..).and_then(median);
    if let (Some(r), Some(n)) = (result.rginx_median_ms, result.nginx_median_ms) {
        result.time_ratio = ratio(r, n);
    }
    result
}
