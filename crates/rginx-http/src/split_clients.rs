//! nginx's split_clients module: `split_clients "$key" $variable { 10% a;
//! 20.5% b; * c; }` picks a value by MurmurHash2 of the key, exactly as
//! nginx does, so A/B buckets stay the same after switching to rginx.

use crate::compile::{Compiler, Target};
use crate::http_core::request::Ctx;
use crate::registry::Spec;
use crate::variables::{self, Template, UserKind};
use rginx_conf::{Arg, ConfError, Directive};

/// A compiled `split_clients` block.
#[derive(Clone, Debug)]
pub struct SplitClients {
    key: Template,
    /// (upper hash bound, or 0 for `*`; value).
    parts: Vec<(u32, Arg)>,
}

fn set_split_clients(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    if !matches!(t, Target::Http(_)) {
        return Err(ConfError::bare(
            "internal error: split_clients out of place",
        ));
    }
    let key = variables::compile(&d.args[0], &mut c.variables, &d.loc)?;
    let name = d.args[1].as_bytes();
    if name.first() != Some(&b'$') {
        return Err(ConfError::at(
            &d.loc,
            format!("invalid variable name \"{}\"", d.args[1]),
        ));
    }
    let name = String::from_utf8_lossy(&name[1..]).into_owned();
    let index = c.split_clients.len();
    c.variables
        .define(
            &name,
            UserKind::Computed {
                module: "split_clients",
                index,
            },
        )
        .map_err(|message| ConfError::at(&d.loc, message))?;
    let mut parts: Vec<(u32, Arg)> = Vec::new();
    if let Some(block) = &d.block {
        for entry in &block.directives {
            if entry.block.is_some() {
                return Err(ConfError::at(&entry.loc, "unexpected \"{\""));
            }
            let percent = entry.name.as_bytes();
            let value = entry.args.first().cloned().unwrap_or_default();
            if percent == b"*" {
                parts.push((0, value));
                continue;
            }
            let hundredths = percent
                .strip_suffix(b"%")
                .and_then(parse_hundredths)
                .filter(|n| *n != 0)
                .ok_or_else(|| {
                    ConfError::at(
                        &entry.loc,
                        format!("invalid percent value \"{}\"", entry.name),
                    )
                })?;
            parts.push((hundredths, value));
        }
        if !block.is_complete() {
            return Err(c.syntax_error());
        }
    }
    // nginx checks the total once the block is read: the error points at
    // its closing brace.
    let end = d
        .block
        .as_ref()
        .and_then(|b| b.end.clone())
        .unwrap_or_else(|| d.loc.clone());
    let (mut sum, mut last) = (0u32, 0u32);
    for part in &mut parts {
        sum = if part.0 != 0 { sum + part.0 } else { 10000 };
        if sum > 10000 {
            return Err(ConfError::at(&end, "percent total is greater than 100%"));
        }
        if part.0 != 0 {
            last = last.wrapping_add((u64::from(part.0) * 0xffff_ffff / 10000) as u32);
            part.0 = last;
        }
    }
    c.split_clients.push(SplitClients { key, parts });
    Ok(())
}

/// nginx's `ngx_atofp(value, len, 2)`: a decimal with at most two
/// fractional digits, as hundredths.
fn parse_hundredths(text: &[u8]) -> Option<u32> {
    let (whole, fraction) = match text.iter().position(|&b| b == b'.') {
        Some(dot) => (&text[..dot], &text[dot + 1..]),
        None => (text, &text[text.len()..]),
    };
    if whole.is_empty() && fraction.is_empty() || fraction.len() > 2 {
        return None;
    }
    let digits = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |acc, &b| {
            b.is_ascii_digit()
                .then(|| acc.checked_mul(10)?.checked_add(u32::from(b - b'0')))
                .flatten()
        })
    };
    let mut value = digits(whole)?.checked_mul(100)?;
    let mut scale = 10;
    for &b in fraction {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.checked_add(u32::from(b - b'0') * scale)?;
        scale /= 10;
    }
    Some(value)
}

/// nginx's MurmurHash2 (seed 0).
pub fn murmur_hash2(data: &[u8]) -> u32 {
    const M: u32 = 0x5bd1_e995;
    let mut h: u32 = data.len() as u32;
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> 24;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let rest = chunks.remainder();
    if rest.len() >= 3 {
        h ^= u32::from(rest[2]) << 16;
    }
    if rest.len() >= 2 {
        h ^= u32::from(rest[1]) << 8;
    }
    if !rest.is_empty() {
        h ^= u32::from(rest[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h
}

/// The variable's value for this request.
pub fn evaluate(ctx: &Ctx<'_>, split: &SplitClients) -> Vec<u8> {
    let key = variables::eval::render(ctx, &split.key);
    let hash = murmur_hash2(&key);
    split
        .parts
        .iter()
        .find(|(bound, _)| hash < *bound || *bound == 0)
        .map(|(_, value)| value.as_bytes().to_vec())
        .unwrap_or_default()
}

pub static SPECS: &[Spec] = &[Spec {
    module: "ngx_http_split_clients_module",
    name: "split_clients",
    set: set_split_clients,
    note: "MurmurHash2 buckets identical to nginx's",
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_input_hashes_to_zero() {
        assert_eq!(murmur_hash2(b""), 0);
    }

    #[test]
    fn percents() {
        assert_eq!(parse_hundredths(b"0.5"), Some(50));
        assert_eq!(parse_hundredths(b"25"), Some(2500));
        assert_eq!(parse_hundredths(b"12.34"), Some(1234));
        assert_eq!(parse_hundredths(b"1.234"), None);
        assert_eq!(parse_hundredths(b"x"), None);
    }
}
