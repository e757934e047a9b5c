//! A seeded xorshift generator for tests that try many generated inputs:
//! the same seed gives the same inputs on every run.

/// `next(n)`: the next number in `0..n` (`n > 0`).
pub fn xorshift(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
}
