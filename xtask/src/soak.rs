//! `cargo xtask soak`: the reload soak of the process model. rginx (release
//! build, 2 workers) serves while two wrk loads run, one on keep-alive
//! connections and one opening a new connection per request, and the
//! master is sent HUP after a config rewrite, 50 times by default. Every
//! request must succeed (no connect, read, write or timeout error, no
//! non-2xx status), and afterwards exactly the configured workers remain
//! and the master holds as many descriptors as before: no leaked process,
//! no leaked file. The bounded version of the same check runs in the test
//! suite (`crates/rginx/tests/process.rs`, `reload_soak_*`).

use crate::bench::prefix::{free_port, server_prefix};
use crate::bench::server::{Binary, Kind, signal};
use crate::bench::tools::{build_rginx, find_on_path, workspace_root};
use crate::bench::{procfs, wrk};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: cargo xtask soak [--reloads N] [--pause-ms MS]

Serves with rginx (2 workers) under two wrk loads (keep-alive and a new
connection per request) while reloading the config N times (default 50,
every MS milliseconds, default 200); fails on any failed request, a
leaked worker or a leaked master descriptor. Needs wrk (apt-get install wrk).";

const WORKERS: usize = 2;

struct Options {
    reloads: u32,
    pause: Duration,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        reloads: 50,
        pause: Duration::from_millis(200),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> Result<u32, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .filter(|v| *v > 0)
                .ok_or_else(|| format!("{name} needs a positive number\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--reloads" => options.reloads = number("--reloads")?,
            "--pause-ms" => options.pause = Duration::from_millis(number("--pause-ms")?.into()),
            "--help" | "-h" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown option {other}\n\n{USAGE}")),
        }
    }
    Ok(options)
}

fn config(port: u16, round: u32) -> String {
    format!(
        "# reload round {round}\n\
         worker_processes {WORKERS};\ndaemon off;\nuser root;\npid logs/nginx.pid;\n\
         error_log logs/error.log notice;\n\
         events {{ worker_connections 1024; }}\n\
         http {{\n    access_log off;\n    server {{\n        listen 127.0.0.1:{port};\n\
         \x20       location / {{ return 200 \"ok {round}\\n\"; }}\n\
         \x20       location /static/ {{ alias html/; }}\n    }}\n}}\n"
    )
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done() {
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

pub fn main(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    if find_on_path("wrk").is_none() {
        return Err("wrk is missing: apt-get install -y wrk".into());
    }
    let rginx = Binary {
        kind: Kind::Rginx,
        path: build_rginx(&workspace_root())?,
    };
    let prefix = server_prefix("soak")?;
    let port = free_port()?;
    let conf = prefix.path().join("nginx.conf");
    let write_conf = |round: u32| {
        std::fs::write(&conf, config(port, round)).map_err(|e| format!("{}: {e}", conf.display()))
    };
    write_conf(0)?;
    rginx.test_config(prefix.path(), &conf)?;
    let mut server = rginx.start(prefix.path(), &conf, None)?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    server.wait_ready(addr, WORKERS, Duration::from_secs(10))?;
    let master = server.pid();
    let fds_before = open_fds(master);

    let seconds = (options.pause * options.reloads).as_secs() as u32 + 3;
    let url_root = format!("http://127.0.0.1:{port}/");
    let url_static = format!("http://127.0.0.1:{port}/static/1k.html");
    let keepalive = wrk::WrkRun {
        url: &url_root,
        threads: 1,
        connections: 20,
        duration_s: seconds,
        headers: &[],
        cpus: None,
    };
    let new_conn = wrk::WrkRun {
        url: &url_static,
        threads: 1,
        connections: 10,
        duration_s: seconds,
        headers: &["Connection: close"],
        cpus: None,
    };
    let out = prefix.path().join("logs");
    let mut loads = [
        (
            "keep-alive",
            keepalive.spawn(&out.join("wrk-keepalive.txt"))?,
        ),
        (
            "new connection per request",
            new_conn.spawn(&out.join("wrk-new-conn.txt"))?,
        ),
    ];
    // Let both loads reach a steady state before the first reload.
    std::thread::sleep(Duration::from_secs(1));
    let started = Instant::now();
    for round in 1..=options.reloads {
        write_conf(round)?;
        signal(master, libc::SIGHUP);
        std::thread::sleep(options.pause);
        if server.exited() {
            return Err(format!(
                "the master exited at reload {round}: {}",
                server.diagnostics()
            ));
        }
    }
    let reload_time = started.elapsed();
    for (_, child) in &mut loads {
        let _ = child.wait();
    }
    let mut failed = 0;
    let mut total = 0;
    let mut lines = Vec::new();
    for (name, file) in [
        ("keep-alive", "wrk-keepalive.txt"),
        ("new connection per request", "wrk-new-conn.txt"),
    ] {
        let text = std::fs::read_to_string(out.join(file)).map_err(|e| e.to_string())?;
        let report = wrk::parse(&text).map_err(|e| format!("{name}: {e}\n{text}"))?;
        total += report.requests;
        failed += report.errors();
        lines.push(format!(
            "  {name}: {} requests, {} socket errors, {} non-2xx/3xx, p99 {:.2} ms, max {:.2} ms",
            report.requests, report.socket_errors, report.non_2xx_3xx, report.p99_ms, report.max_ms
        ));
    }
    let workers = wait_for("the configured workers only", || {
        procfs::children(master).len() == WORKERS
    });
    let fds = wait_for("the master's descriptors back to their count", || {
        open_fds(master) == fds_before
    });
    let fds_after = open_fds(master);
    let workers_after = procfs::children(master).len();
    server.stop(Duration::from_secs(10));
    println!(
        "reload soak: {} reloads in {:.1} s under load",
        options.reloads,
        reload_time.as_secs_f64()
    );
    for line in &lines {
        println!("{line}");
    }
    println!("  requests: {total}, failed: {failed}");
    println!("  workers afterwards: {workers_after} (configured {WORKERS})");
    println!("  master descriptors: {fds_before} before, {fds_after} after");
    workers?;
    fds?;
    if failed > 0 {
        return Err(format!(
            "{failed} of {total} requests failed during reloads"
        ));
    }
    if total == 0 {
        return Err("no request completed".into());
    }
    Ok(())
}
