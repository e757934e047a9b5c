//! A hand-written SVG bar chart of rginx/nginx ratios (one bar per case, a line at 1.0),
//! so the report needs no plotting library.

use std::fmt::Write as _;

use super::results::Report;

const WIDTH: f64 = 780.0;
const LABEL_W: f64 = 230.0;
const BAR_AREA: f64 = 470.0;
const ROW: f64 = 20.0;
const TOP: f64 = 46.0;
const BOTTOM: f64 = 34.0;

/// The bars: every measured serving case (requests/s ratio) and every conf-test
/// (nginx time / rginx time, so that here too above 1 means rginx is better).
pub fn bars(report: &Report) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = report
        .conf_tests
        .iter()
        .filter_map(|c| Some((format!("{} (-t speed)", c.name), 1.0 / c.time_ratio?)))
        .collect();
    if let Some(ratio) = report.reload.as_ref().and_then(|r| r.time_ratio) {
        out.push(("reload (speed)".to_string(), 1.0 / ratio));
    }
    out.extend(
        report
            .cases
            .iter()
            .filter_map(|c| Some((c.label(), c.ratio?))),
    );
    out.retain(|(_, r)| r.is_finite() && *r >= 0.0);
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Upper end of the axis: at least 1.5, then the next 0.5 above the largest bar.
fn axis_max(bars: &[(String, f64)]) -> f64 {
    let top = bars.iter().map(|b| b.1).fold(0.0, f64::max) * 1.08;
    (top.max(1.5) * 2.0).ceil() / 2.0
}

pub fn render(bars: &[(String, f64)], title: &str) -> String {
    let rows = bars.len().max(1) as f64;
    let height = TOP + rows * ROW + BOTTOM;
    let max = axis_max(bars);
    let x = |v: f64| LABEL_W + v / max * BAR_AREA;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="22" font-size="15" text-anchor="middle">{}</text>"#,
        WIDTH / 2.0,
        escape(title)
    );
    // Grid and axis labels every 0.5.
    let bottom = TOP + rows * ROW;
    let mut v = 0.0;
    while v <= max + 1e-9 {
        let gx = x(v);
        let _ = writeln!(
            s,
            r##"<line x1="{gx:.1}" y1="{TOP}" x2="{gx:.1}" y2="{bottom}" stroke="#ddd"/><text x="{gx:.1}" y="{:.1}" text-anchor="middle">{v:.1}</text>"##,
            bottom + 16.0
        );
        v += 0.5;
    }
    if bars.is_empty() {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">no ratios yet: rginx has not been measured in any scenario</text>"#,
            WIDTH / 2.0,
            TOP + ROW * 0.7
        );
    }
    for (i, (label, r)) in bars.iter().enumerate() {
        let y = TOP + i as f64 * ROW;
        let w = (x(*r) - LABEL_W).max(0.5);
        let color = if *r >= 1.0 { "#2e7d32" } else { "#e65100" };
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{LABEL_W}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{color}"/><text x="{:.1}" y="{:.1}">{r:.2}</text>"#,
            LABEL_W - 6.0,
            y + ROW * 0.7,
            escape(label),
            y + 3.0,
            ROW - 6.0,
            LABEL_W + w + 4.0,
            y + ROW * 0.7
        );
    }
    let one = x(1.0);
    let _ = writeln!(
        s,
        r##"<line x1="{one:.1}" y1="{}" x2="{one:.1}" y2="{bottom}" stroke="#000" stroke-dasharray="4 3"/>"##,
        TOP - 6.0
    );
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_with_the_ratio_and_labels_are_escaped() {
        let svg = render(&[("a<b".into(), 1.0), ("c".into(), 0.5)], "t & t");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("a&lt;b") && svg.contains("t &amp; t"));
        let widths: Vec<f64> = svg
            .match_indices("<rect x=")
            .filter_map(|(i, _)| {
                let rest = &svg[i..];
                let w = rest.split("width=\"").nth(1)?.split('"').next()?;
                w.parse().ok()
            })
            .collect();
        assert_eq!(widths.len(), 2);
        assert!((widths[0] / widths[1] - 2.0).abs() < 0.01, "{widths:?}");
    }

    #[test]
    fn axis_covers_the_largest_bar() {
        assert_eq!(axis_max(&[]), 1.5);
        assert_eq!(axis_max(&[("x".into(), 1.2)]), 1.5);
        assert_eq!(axis_max(&[("x".into(), 2.3)]), 2.5);
        assert_eq!(axis_max(&[("x".into(), 2.4)]), 3.0);
    }

    #[test]
    fn empty_chart_says_so() {
        assert!(render(&[], "x").contains("no ratios yet"));
    }
}
