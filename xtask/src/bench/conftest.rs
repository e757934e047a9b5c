//! The conf-test scenarios: how long `rginx -t` and `nginx -t` take on the same large
//! generated configuration, as the median wall time of the whole process over many runs.

use std::path::Path;
use std::time::Instant;

use super::confgen::{self, ConfShape};
use super::prefix::TempDir;
use super::results::ConfTestResult;
use super::server::Binary;
use super::stats::{median, ratio};

/// Writes `shape`'s config into a fresh prefix; returns the prefix and the config path.
pub fn prepare(shape: &ConfShape) -> Result<(TempDir, std::path::PathBuf), String> {
    let dir = TempDir::new(shape.name)?;
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let conf = dir.path().join("nginx.conf");
    std::fs::write(&conf, confgen::generate(shape))
        .map_err(|e| format!("{}: {e}", conf.display()))?;
    Ok((dir, conf))
}

/// Wall time of one `-t` run in milliseconds; fails if the check fails.
fn time_once(bin: &Binary, prefix: &Path, conf: &Path) -> Result<f64, String> {
    let mut cmd = bin.test_command(prefix, conf);
    let start = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.path.display()))?;
    // Microseconds are plenty: process start-up alone varies by more than that.
    let ms = (start.elapsed().as_secs_f64() * 1e6).round() / 1000.0;
    if out.status.success() {
        Ok(ms)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Runs one conf-test scenario: `runs` timed runs of each server, alternating, after one
/// untimed run each to warm the page cache.
pub fn run(shape: &ConfShape, nginx: &Binary, rginx: &Binary, runs: usize) -> ConfTestResult {
    let mut result = ConfTestResult {
        name: shape.name.to_string(),
        config: shape.describe(),
        runs,
        nginx_ms: Vec::new(),
        rginx_ms: Vec::new(),
        nginx_median_ms: None,
        rginx_median_ms: None,
        time_ratio: None,
        error: None,
    };
    let (dir, conf) = match prepare(shape) {
        Ok(x) => x,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    if let Err(e) = nginx.test_config(dir.path(), &conf) {
        // The generator is ours: nginx refusing it is a harness bug, reported as such.
        result.error = Some(format!("nginx -t rejects the generated config: {e}"));
        return result;
    }
    let rginx_ok = match rginx.test_config(dir.path(), &conf) {
        Ok(()) => true,
        Err(e) => {
            result.error = Some(format!(
                "rginx -t rejects the config: {}",
                first_lines(&e, 2)
            ));
            false
        }
    };
    for i in 0..runs {
        // Alternate who goes first so neither always runs on a cache the other warmed.
        let order: &[&Binary] = match (rginx_ok, i % 2) {
            (false, _) => &[nginx],
            (true, 0) => &[nginx, rginx],
            (true, _) => &[rginx, nginx],
        };
        for bin in order {
            match time_once(bin, dir.path(), &conf) {
                Ok(ms) if bin.kind == nginx.kind => result.nginx_ms.push(ms),
                Ok(ms) => result.rginx_ms.push(ms),
                Err(e) => {
                    result.error = Some(format!(
                        "{} -t failed on run {i}: {}",
                        bin.kind.name(),
                        first_lines(&e, 2)
                    ));
                    return result;
                }
            }
        }
    }
    // The first run of each warmed the caches; it is recorded but not in the median.
    result.nginx_median_ms = median(result.nginx_ms.get(1..).unwrap_or_default());
    result.rginx_median_ms = median(result.rginx_ms.get(1..).unwrap_or_default());
    result.time_ratio = match (result.rginx_median_ms, result.nginx_median_ms) {
        (Some(r), Some(n)) => ratio(r, n),
        _ => None,
    };
    result
}

fn first_lines(s: &str, n: usize) -> String {
    s.lines().take(n).collect::<Vec<_>>().join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::server::Kind;

    fn nginx() -> Binary {
        let path = std::path::PathBuf::from("/usr/sbin/nginx");
        assert!(
            path.exists(),
            "these tests compare against nginx: apt-get install -y nginx"
        );
        Binary {
            kind: Kind::Nginx,
            path,
        }
    }

    #[test]
    fn generated_configs_pass_nginx_t() {
        let nginx = nginx();
        for shape in confgen::CONF_TESTS {
            let (dir, conf) = prepare(shape).unwrap();
            nginx
                .test_config(dir.path(), &conf)
                .unwrap_or_else(|e| panic!("{}: {e}", shape.name));
        }
    }

    #[test]
    fn timing_reports_medians_and_refusal() {
        let nginx = nginx();
        let shape = ConfShape {
            name: "conf-test-small",
            servers: 3,
            locations_per_server: 5,
        };
        // nginx against itself: both medians exist and the ratio is near 1.
        let r = run(
            &shape,
            &nginx,
            &Binary {
                kind: Kind::Rginx,
                path: nginx.path.clone(),
            },
            4,
        );
        assert_eq!(r.error, None);
        assert_eq!((r.nginx_ms.len(), r.rginx_ms.len()), (4, 4));
        assert!(r.nginx_median_ms.unwrap() > 0.0);
        let q = r.time_ratio.unwrap();
        assert!(q > 0.2 && q < 5.0, "{q}");
        // A "server" whose -t always fails is reported, not timed.
        let f = run(
            &shape,
            &nginx,
            &Binary {
                kind: Kind::Rginx,
                path: "/bin/false".into(),
            },
            2,
        );
        assert!(f.error.unwrap().starts_with("rginx -t rejects"));
        assert!(f.rginx_ms.is_empty() && f.rginx_median_ms.is_none());
        assert_eq!(f.nginx_ms.len(), 2);
    }
}
