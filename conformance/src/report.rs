//! A readable summary of a conformance run: counts, pending cases grouped
//! by the module they wait for, and every mismatch in full.

use crate::conf_cases::{CaseResult, Verdict};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The summary text.
pub fn summary(results: &[CaseResult]) -> String {
    let mut out = String::new();
    let mut pending: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let (mut matched, mut deliberate, mut mismatched) = (0, 0, 0);
    for result in results {
        match &result.verdict {
            Verdict::Match => matched += 1,
            Verdict::DeliberateDifference { .. } => deliberate += 1,
            Verdict::Pending { module } => {
                pending.entry(module).or_default().push(&result.name);
            }
            Verdict::Mismatch => mismatched += 1,
        }
    }
    let pending_count: usize = pending.values().map(Vec::len).sum();
    let _ = writeln!(
        out,
        "nginx -t conformance: {} cases: {matched} match, {deliberate} deliberate differences, \
         {pending_count} pending, {mismatched} mismatch",
        results.len()
    );
    for (module, cases) in &pending {
        let _ = writeln!(out, "  pending on {module}: {}", cases.join(", "));
    }
    for result in results {
        match &result.verdict {
            Verdict::DeliberateDifference { reason } => {
                let _ = writeln!(out, "  deliberate: {}: {reason}", result.name);
            }
            Verdict::Mismatch => {
                let _ = writeln!(
                    out,
                    "  MISMATCH {} ({})\n    nginx (ok={}): {}\n    rginx (ok={}): {}",
                    result.name,
                    result.about,
                    result.nginx.success,
                    result.nginx.first_line,
                    result.rginx.success,
                    result.rginx.first_line
                );
            }
            _ => {}
        }
    }
    out
}
