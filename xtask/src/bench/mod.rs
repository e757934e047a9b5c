//! `cargo xtask bench`: rginx against nginx on the same configs, same machine, same load.
//!
//! This module wires the pieces: command line, tool checks and the rginx build, the
//! conf-test timings, the serving scenarios, and the three outputs (Markdown page, JSON,
//! SVG chart).

mod chart;
mod cli;
mod confgen;
mod conftest;
mod machine;
pub(crate) mod prefix;
pub(crate) mod procfs;
mod reload;
mod report;
mod results;
mod runner;
mod scenario;
pub(crate) mod server;
mod stats;
pub(crate) mod tools;
pub(crate) mod wrk;

use std::path::Path;

use results::{Report, Settings};
use server::{Binary, Kind};

pub fn main(args: &[String]) -> Result<(), String> {
    let opts = cli::parse(args)?;
    let tools = tools::check(opts.pin)?;
    let root = tools::workspace_root();
    let rginx_path = tools::build_rginx(&root)?;
    let nginx = Binary {
        kind: Kind::Nginx,
        path: tools.nginx.clone(),
    };
    let rginx = Binary {
        kind: Kind::Rginx,
        path: rginx_path,
    };

    let cpus = procfs::allowed_cpus();
    let (server_cpus, load_cpus) = if opts.pin {
        let (a, b) =
            tools::split_cpus(&cpus).ok_or_else(|| "--pin needs at least 2 CPUs".to_string())?;
        (Some(a), Some(b))
    } else {
        (None, None)
    };
    let wrk_threads = match &load_cpus {
        Some(list) => list.split(',').count(),
        None => cpus.len(),
    } as u32;
    let settings = Settings {
        quick: opts.quick,
        rounds: opts.rounds(),
        duration_s: opts.duration(),
        warmup_s: opts.warmup(),
        conf_test_runs: opts.conf_test_runs(),
        reload_runs: opts.reload_runs(),
        server_cpus,
        load_cpus,
    };

    let mut conf_tests = Vec::new();
    for shape in confgen::CONF_TESTS.iter().filter(|c| opts.selected(c.name)) {
        eprintln!("== {}: {}", shape.name, shape.describe());
        let r = conftest::run(shape, &nginx, &rginx, settings.conf_test_runs);
        eprintln!(
            "   rginx -t {} ms, nginx -t {} ms{}",
            r.rginx_median_ms.map_or("—".into(), |v| format!("{v:.1}")),
            r.nginx_median_ms.map_or("—".into(), |v| format!("{v:.1}")),
            r.error
                .as_ref()
                .map_or(String::new(), |e| format!(" ({e})"))
        );
        conf_tests.push(r);
    }

    let reload = opts.selected(reload::NAME).then(|| {
        eprintln!("== {}", reload::NAME);
        let r = reload::run(&nginx, &rginx, settings.reload_runs);
        eprintln!(
            "   rginx {} ms, nginx {} ms{}",
            r.rginx_median_ms.map_or("—".into(), |v| format!("{v:.1}")),
            r.nginx_median_ms.map_or("—".into(), |v| format!("{v:.1}")),
            r.error
                .as_ref()
                .map_or(String::new(), |e| format!(" ({e})"))
        );
        r
    });

    let ctx = runner::Ctx {
        nginx: &nginx,
        rginx: &rginx,
        settings: &settings,
        wrk_threads,
    };
    let mut cases = Vec::new();
    for s in scenario::SCENARIOS {
        if opts.selected(s.name) {
            cases.extend(runner::run_scenario(&ctx, s));
        } else {
            cases.extend(runner::not_run(s));
        }
    }

    let report = Report {
        machine: machine::describe(&nginx.path, &root),
        settings,
        conf_tests,
        reload,
        cases,
    };
    let out_dir = if opts.writes_docs() {
        root.join("docs")
    } else {
        prefix::TempDir::new("bench-out")?.keep()
    };
    write_outputs(&report, &out_dir)?;
    println!("wrote {}", out_dir.join("performance.md").display());
    println!("wrote {}", out_dir.join("bench/results.json").display());
    println!("wrote {}", out_dir.join("bench/ratios.svg").display());
    Ok(())
}

fn write_outputs(report: &Report, dir: &Path) -> Result<(), String> {
    let bench = dir.join("bench");
    std::fs::create_dir_all(&bench).map_err(|e| format!("{}: {e}", bench.display()))?;
    let json = serde_json::to_string_pretty(report).map_err(|e| e.to_string())?;
    let files = [
        (dir.join("performance.md"), report::render(report)),
        (bench.join("results.json"), json + "\n"),
        (
            bench.join("ratios.svg"),
            chart::render(
                &chart::bars(report),
                "rginx / nginx (above 1: rginx better)",
            ),
        ),
    ];
    for (path, text) in files {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
