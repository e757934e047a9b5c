//! Small statistics used by the harness: medians of repeated rounds and rginx/nginx ratios.
//!
//! Medians rather than means because one disturbed round (a compile running next to the
//! benchmark, a page-cache miss) should not move the reported number.

/// Median of `values`, ignoring NaNs; `None` when nothing is left.
/// An even count gives the mean of the two middle values.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

/// `a / b`, or `None` when the quotient means nothing (b is zero or either is not finite).
pub fn ratio(a: f64, b: f64) -> Option<f64> {
    if !a.is_finite() || !b.is_finite() || b == 0.0 {
        return None;
    }
    Some(a / b)
}

/// Ratios of paired rounds (`a[i] / b[i]`): each round ran both servers back to back, so
/// pairing them cancels slow drift of the machine better than a ratio of two medians.
pub fn round_ratios(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).filter_map(|(&x, &y)| ratio(x, y)).collect()
}

/// CPU seconds spent per 100,000 requests.
pub fn cpu_per_100k(cpu_seconds: f64, requests: u64) -> Option<f64> {
    if requests == 0 {
        return None;
    }
    Some(cpu_seconds * 100_000.0 / requests as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_odd_even_and_unsorted() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[7.5]), Some(7.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn median_ignores_nan_and_is_robust_to_one_outlier() {
        assert_eq!(median(&[f64::NAN, 5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[f64::NAN]), None);
        assert_eq!(median(&[100.0, 101.0, 1.0e9]), Some(101.0));
    }

    #[test]
    fn ratio_refuses_meaningless_quotients() {
        assert_eq!(ratio(3.0, 2.0), Some(1.5));
        assert_eq!(ratio(1.0, 0.0), None);
        assert_eq!(ratio(f64::NAN, 1.0), None);
        assert_eq!(ratio(1.0, f64::INFINITY), None);
    }

    #[test]
    fn round_ratios_pair_rounds_and_skip_zero_baselines() {
        let r = round_ratios(&[90.0, 110.0, 50.0], &[100.0, 100.0, 0.0]);
        assert_eq!(r, vec![0.9, 1.1]);
        // The median of per-round ratios differs from the ratio of medians when rounds drift.
        let a = [10.0, 20.0, 30.0];
        let b = [5.0, 40.0, 30.0];
        assert_eq!(median(&round_ratios(&a, &b)), Some(1.0));
        assert_eq!(
            ratio(median(&a).unwrap(), median(&b).unwrap()),
            Some(20.0 / 30.0)
        );
    }

    #[test]
    fn cpu_per_100k_scales() {
        assert_eq!(cpu_per_100k(2.0, 200_000), Some(1.0));
        assert_eq!(cpu_per_100k(0.5, 0), None);
    }
}
