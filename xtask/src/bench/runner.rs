//! Runs the serving scenarios: for each scenario and worker count, one config in one
//! prefix; rginx is probed first; then each connection count runs nginx and rginx in
//! alternation (A B A B ...) and records what each round measured.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use super::prefix::{self, TempDir};
use super::results::{CaseResult, RunMetrics, ServerResult, Settings, Status};
use super::scenario::{self, CONNECTIONS, ConfEnv, Scenario, WORKERS};
use super::server::{Binary, Kind, Server};
use super::stats::{cpu_per_100k, median, round_ratios};
use super::wrk::WrkRun;

/// How long a server may take to answer after start (a real run) and when probing rginx.
const START_TIMEOUT: Duration = Duration::from_secs(10);
const PROBE_TIMEOUT: Duration = Duration::from_secs(4);
/// How long QUIT may take before KILL.
const STOP_GRACE: Duration = Duration::from_secs(10);

pub struct Ctx<'a> {
    pub nginx: &'a Binary,
    pub rginx: &'a Binary,
    pub settings: &'a Settings,
    /// wrk threads: the number of CPUs wrk may use.
    pub wrk_threads: u32,
}

/// One scenario's config at one worker count, ready to be started by either server.
struct Setup<'a> {
    scenario: &'a Scenario,
    workers: u32,
    prefix: TempDir,
    conf: std::path::PathBuf,
    addr: SocketAddr,
    url: String,
    /// Keeps the proxy backend (and its prefix) alive for the setup's lifetime.
    _backend: Option<(Server, TempDir)>,
}

/// Runs every (workers, connections) case of `s`.
pub fn run_scenario(ctx: &Ctx, s: &Scenario) -> Vec<CaseResult> {
    let mut out = Vec::new();
    for workers in WORKERS {
        eprintln!("== {} workers={workers}", s.name);
        let setup = match prepare(ctx, s, workers) {
            Ok(setup) => setup,
            Err(e) => {
                eprintln!("   setup failed: {e}");
                for conns in CONNECTIONS {
                    out.push(case(
                        s,
                        workers,
                        conns,
                        Status::Failed,
                        Some(format!("setup: {e}")),
                    ));
                }
                continue;
            }
        };
        // The temporary prefix differs on every run; the report says PREFIX instead.
        let tmp = setup.prefix.path().display().to_string();
        let probe = probe_rginx(ctx, &setup).map_err(|e| e.replace(&tmp, "PREFIX"));
        if let Err(e) = &probe {
            eprintln!("   rginx: not yet ({e})");
        }
        for conns in CONNECTIONS {
            out.push(run_case(ctx, &setup, conns, probe.as_ref().err()));
        }
    }
    out
}

fn case(
    s: &Scenario,
    workers: u32,
    conns: u32,
    status: Status,
    note: Option<String>,
) -> CaseResult {
    CaseResult {
        scenario: s.name.to_string(),
        workers,
        connections: conns,
        status,
        note,
        nginx: None,
        rginx: None,
        round_ratios: Vec::new(),
        ratio: None,
    }
}

/// Cases of `s` that were not selected, so the report still lists them.
pub fn not_run(s: &Scenario) -> Vec<CaseResult> {
    WORKERS
        .iter()
        .flat_map(|&w| {
            CONNECTIONS
                .iter()
                .map(move |&c| case(s, w, c, Status::NotRun, None))
        })
        .collect()
}

fn prepare<'a>(ctx: &Ctx, s: &'a Scenario, workers: u32) -> Result<Setup<'a>, String> {
    let prefix = prefix::server_prefix(s.name)?;
    if s.tls {
        prefix::make_certificate(prefix.path())?;
    }
    let backend = if s.needs_backend() {
        Some(start_backend(ctx)?)
    } else {
        None
    };
    let port = prefix::free_port()?;
    let env = ConfEnv {
        prefix: prefix.path(),
        port,
        backend_port: backend.as_ref().map_or(0, |b| b.2),
    };
    let conf = prefix.path().join("nginx.conf");
    std::fs::write(&conf, scenario::serving_config(s, workers, &env))
        .map_err(|e| format!("{}: {e}", conf.display()))?;
    ctx.nginx
        .test_config(prefix.path(), &conf)
        .map_err(|e| format!("nginx -t rejects the generated config: {e}"))?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    Ok(Setup {
        scenario: s,
        workers,
        url: format!("{}://127.0.0.1:{port}{}", s.scheme(), s.path),
        prefix,
        conf,
        addr,
        _backend: backend.map(|(server, dir, _)| (server, dir)),
    })
}

/// Starts the nginx backend of the proxy scenarios, on the load generator's CPUs when
/// pinning (it is part of the load, not of the server under test).
fn start_backend(ctx: &Ctx) -> Result<(Server, TempDir, u16), String> {
    let dir = prefix::server_prefix("backend")?;
    let port = prefix::free_port()?;
    let conf = dir.path().join("nginx.conf");
    std::fs::write(&conf, scenario::backend_config(dir.path(), port))
        .map_err(|e| format!("{}: {e}", conf.display()))?;
    let mut server = ctx
        .nginx
        .start(dir.path(), &conf, ctx.settings.load_cpus.as_deref())?;
    server
        .wait_ready(SocketAddr::from(([127, 0, 0, 1], port)), 1, START_TIMEOUT)
        .map_err(|e| format!("backend: {e}"))?;
    Ok((server, dir, port))
}

/// Whether rginx can serve this setup: its `-t` passes, it answers within a few seconds,
/// and a one-second wrk run gets only 2xx/3xx answers without socket errors.
fn probe_rginx(ctx: &Ctx, setup: &Setup) -> Result<(), String> {
    let first = |e: &str| e.lines().next().unwrap_or("").to_string();
    ctx.rginx
        .test_config(setup.prefix.path(), &setup.conf)
        .map_err(|e| format!("rginx -t: {}", first(&e)))?;
    let mut server = ctx.rginx.start(setup.prefix.path(), &setup.conf, None)?;
    server.wait_ready(setup.addr, setup.workers as usize, PROBE_TIMEOUT)?;
    let wrk = WrkRun {
        url: &setup.url,
        threads: 1,
        connections: 1,
        duration_s: 1,
        headers: setup.scenario.headers,
        cpus: None,
    };
    let report = wrk.run(&setup.prefix.path().join("logs/wrk-probe.txt"), || {})?;
    server.stop(STOP_GRACE);
    if report.requests == 0 || report.errors() > 0 {
        return Err(format!(
            "{} errors in {} requests",
            report.errors(),
            report.requests
        ));
    }
    Ok(())
}

fn run_case(ctx: &Ctx, setup: &Setup, conns: u32, rginx_not_yet: Option<&String>) -> CaseResult {
    let s = setup.scenario;
    let mut result = case(s, setup.workers, conns, Status::Ok, None);
    let mut nginx_runs = Vec::new();
    let mut rginx_runs = Vec::new();
    let mut notes = Vec::new();
    let mut servers = vec![ctx.nginx];
    if rginx_not_yet.is_none() {
        servers.push(ctx.rginx);
    }
    'rounds: for round in 0..ctx.settings.rounds {
        for bin in &servers {
            match measure(ctx, bin, setup, conns) {
                Ok(m) => {
                    eprintln!(
                        "   c{conns} round {} {}: {:.0} req/s, p99 {:.2} ms, {} errors",
                        round + 1,
                        bin.kind.name(),
                        m.requests_per_sec,
                        m.p99_ms,
                        m.errors
                    );
                    match bin.kind {
                        Kind::Nginx => nginx_runs.push(m),
                        Kind::Rginx => rginx_runs.push(m),
                    }
                }
                Err(e) => {
                    eprintln!("   c{conns} round {} {}: {e}", round + 1, bin.kind.name());
                    result.status = Status::Failed;
                    notes.push(format!("{} round {}: {e}", bin.kind.name(), round + 1));
                    break 'rounds;
                }
            }
        }
    }
    if let Some(why) = rginx_not_yet {
        if result.status == Status::Ok {
            result.status = Status::NotYet;
        }
        notes.push(format!("rginx not yet: {why}"));
    }
    let rps = |runs: &[RunMetrics]| runs.iter().map(|r| r.requests_per_sec).collect::<Vec<_>>();
    result.round_ratios = round_ratios(&rps(&rginx_runs), &rps(&nginx_runs));
    result.ratio = median(&result.round_ratios);
    notes.extend(size_mismatch(&nginx_runs, &rginx_runs));
    notes.extend(too_few(&nginx_runs, conns).map(|n| format!("nginx: {n}")));
    notes.extend(too_few(&rginx_runs, conns).map(|n| format!("rginx: {n}")));
    result.note = (!notes.is_empty()).then(|| notes.join("; "));
    result.nginx = (!nginx_runs.is_empty()).then(|| ServerResult::from_rounds(nginx_runs));
    result.rginx = (!rginx_runs.is_empty()).then(|| ServerResult::from_rounds(rginx_runs));
    result
}

/// A note when the two servers' responses differ in size by more than 10% (and 64 bytes):
/// then they did not do the same work (no gzip, a different file, an error page).
fn size_mismatch(nginx: &[RunMetrics], rginx: &[RunMetrics]) -> Option<String> {
    let n = median(
        &nginx
            .iter()
            .map(|r| r.bytes_per_request)
            .collect::<Vec<_>>(),
    )?;
    let r = median(
        &rginx
            .iter()
            .map(|r| r.bytes_per_request)
            .collect::<Vec<_>>(),
    )?;
    let diff = (n - r).abs();
    (diff > 64.0 && diff > 0.1 * n)
        .then(|| format!("responses differ in size: rginx {r:.0} B, nginx {n:.0} B per request"))
}

/// A note when a run completed fewer requests than it had connections: most connections
/// then never finished a request, so req/s and latency describe the start of the run, not
/// a steady state.
fn too_few(runs: &[RunMetrics], conns: u32) -> Option<String> {
    let min = runs
        .iter()
        .map(|r| r.requests)
        .fold(f64::INFINITY, f64::min);
    (min < f64::from(conns)).then(|| {
        format!("a run completed only {min:.0} requests with {conns} connections: too short for a steady state (--duration)")
    })
}

/// One round of one server: start, idle memory, warm-up, measured run, stop.
fn measure(ctx: &Ctx, bin: &Binary, setup: &Setup, conns: u32) -> Result<RunMetrics, String> {
    let st = ctx.settings;
    let prefix = setup.prefix.path();
    let mut server = bin.start(prefix, &setup.conf, st.server_cpus.as_deref())?;
    server.wait_ready(setup.addr, setup.workers as usize, START_TIMEOUT)?;
    std::thread::sleep(Duration::from_millis(300));
    let rss_idle = server.workers_rss_kib();
    let mut wrk = WrkRun {
        url: &setup.url,
        threads: ctx.wrk_threads,
        connections: conns,
        duration_s: st.warmup_s,
        headers: setup.scenario.headers,
        cpus: st.load_cpus.as_deref(),
    };
    wrk.run(&prefix.join("logs/wrk-warmup.txt"), || {})
        .map_err(|e| format!("warm-up: {e}"))?;
    wrk.duration_s = st.duration_s;
    let cpu_before = server.cpu_seconds();
    let mut rss_peak = 0;
    let report = wrk.run(&prefix.join("logs/wrk.txt"), || {
        rss_peak = rss_peak.max(server.workers_rss_kib());
    })?;
    let cpu = server.cpu_seconds() - cpu_before;
    if server.exited() {
        return Err(format!(
            "server exited during the run: {}",
            server.diagnostics()
        ));
    }
    if report.requests == 0 {
        // wrk then prints 0 req/s and zero latencies: not a measurement.
        return Err(format!(
            "no request completed in {} s with {conns} connections; the run is too short for this load (--duration)",
            st.duration_s
        ));
    }
    server.stop(STOP_GRACE);
    remove_access_log(prefix);
    let requests = report.requests;
    Ok(RunMetrics {
        requests_per_sec: report.requests_per_sec,
        p50_ms: report.p50_ms,
        p99_ms: report.p99_ms,
        max_ms: report.max_ms,
        errors: report.errors() as f64,
        requests: requests as f64,
        // wrk prints sizes with two decimals of MB or GB, so finer digits would be noise.
        bytes_per_request: if requests > 0 {
            (report.bytes_read / requests as f64).round()
        } else {
            0.0
        },
        rss_idle_kib: rss_idle as f64,
        rss_load_kib: rss_peak as f64,
        cpu_s_per_100k: cpu_per_100k(cpu, requests).map_or(f64::NAN, |c| (c * 1e4).round() / 1e4),
    })
}

/// Access logs of a 10-second run at 100k req/s are hundreds of MB; the next round starts
/// from an empty one.
fn remove_access_log(prefix: &Path) {
    let _ = std::fs::remove_file(prefix.join("logs/access.log"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::tools::NGINX;

    fn nginx() -> Binary {
        assert!(Path::new(NGINX).exists(), "apt-get install -y nginx");
        Binary {
            kind: Kind::Nginx,
            path: NGINX.into(),
        }
    }

    fn settings() -> Settings {
        Settings {
            quick: true,
            rounds: 1,
            duration_s: 1,
            warmup_s: 1,
            conf_test_runs: 1,
            reload_runs: 1,
            server_cpus: None,
            load_cpus: None,
        }
    }

    #[test]
    fn notes_flag_size_mismatch_and_short_runs() {
        let m = |bytes: f64, requests: f64| RunMetrics {
            bytes_per_request: bytes,
            requests,
            ..Default::default()
        };
        // gzip on in nginx, off in rginx: 160 KiB against 1 MiB per request.
        let note = size_mismatch(&[m(163_000.0, 1e4)], &[m(1_048_800.0, 1e4)]).unwrap();
        assert!(note.contains("rginx 1048800 B, nginx 163000 B"), "{note}");
        // A different Server header is not a mismatch.
        assert_eq!(size_mismatch(&[m(160.0, 1e4)], &[m(190.0, 1e4)]), None);
        assert_eq!(size_mismatch(&[m(160.0, 1e4)], &[]), None);
        assert!(
            too_few(&[m(1.0, 500.0), m(1.0, 120.0)], 200)
                .unwrap()
                .contains("only 120")
        );
        assert_eq!(too_few(&[m(1.0, 500.0)], 200), None);
    }

    #[test]
    fn every_serving_config_passes_nginx_t() {
        let nginx = nginx();
        let settings = settings();
        let ctx = Ctx {
            nginx: &nginx,
            rginx: &nginx,
            settings: &settings,
            wrk_threads: 1,
        };
        for s in scenario::SCENARIOS {
            // prepare() writes the config and runs `nginx -t` on it (and starts the backend).
            let setup = prepare(&ctx, s, 2).unwrap_or_else(|e| panic!("{}: {e}", s.name));
            let conf = std::fs::read_to_string(&setup.conf).unwrap();
            assert!(conf.contains("worker_processes 2;") && conf.contains("daemon off;"));
            assert_eq!(conf.contains(" ssl;"), s.tls, "{}", s.name);
        }
    }

    #[test]
    fn probe_tells_serving_from_not_yet() {
        let nginx = nginx();
        let settings = settings();
        let s = &scenario::SCENARIOS[0];
        let probe = |rginx: &Binary| {
            let ctx = Ctx {
                nginx: &nginx,
                rginx,
                settings: &settings,
                wrk_threads: 1,
            };
            let setup = prepare(&ctx, s, 1).unwrap();
            probe_rginx(&ctx, &setup)
        };
        // nginx standing in for rginx serves the scenario.
        let as_rginx = Binary {
            kind: Kind::Rginx,
            path: nginx.path.clone(),
        };
        assert_eq!(probe(&as_rginx), Ok(()));
        // A binary whose -t fails.
        let f = Binary {
            kind: Kind::Rginx,
            path: "/bin/false".into(),
        };
        assert!(probe(&f).unwrap_err().starts_with("rginx -t"));
        // One that passes -t but never listens.
        let dir = TempDir::new("fake-rginx").unwrap();
        let script = dir.path().join("rginx");
        std::fs::write(
            &script,
            "#!/bin/sh\nfor a; do [ \"$a\" = -t ] && exit 0; done\nexec sleep 30\n",
        )
        .unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let silent = Binary {
            kind: Kind::Rginx,
            path: script,
        };
        assert!(probe(&silent).unwrap_err().contains("did not answer"));
    }

    #[test]
    fn measures_a_real_nginx_round_and_stops_it() {
        if crate::bench::tools::find_on_path("wrk").is_none() {
            panic!("apt-get install -y wrk");
        }
        let nginx = nginx();
        let settings = settings();
        let ctx = Ctx {
            nginx: &nginx,
            rginx: &nginx,
            settings: &settings,
            wrk_threads: 1,
        };
        let s = &scenario::SCENARIOS[1]; // static-1k
        assert_eq!(s.name, "static-1k");
        let setup = prepare(&ctx, s, 1).unwrap();
        let m = measure(&ctx, &nginx, &setup, 4).unwrap();
        assert!(m.requests > 100.0 && m.requests_per_sec > 100.0, "{m:?}");
        assert_eq!(m.errors, 0.0);
        // 1 KiB body plus nginx's headers.
        assert!(
            m.bytes_per_request > 1024.0 && m.bytes_per_request < 1400.0,
            "{m:?}"
        );
        assert!(
            m.rss_idle_kib > 0.0 && m.rss_load_kib >= m.rss_idle_kib * 0.5,
            "{m:?}"
        );
        assert!(m.cpu_s_per_100k > 0.0, "{m:?}");
        assert!(m.p50_ms <= m.p99_ms && m.p99_ms <= m.max_ms, "{m:?}");
        // Stopped: the port no longer answers.
        assert!(std::net::TcpStream::connect(setup.addr).is_err());
    }
}
