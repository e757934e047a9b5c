//! nginx's value syntaxes (flags, numbers, sizes, times) and the exact
//! messages its generic slot setters give when a value is wrong or set twice.

use crate::compile::Compiler;
use rginx_conf::{Arg, ConfError, Directive};
use std::time::Duration;

/// `"X" directive MESSAGE`: how nginx words an error returned by a setter.
pub fn directive_error(directive: &Directive, message: &str) -> ConfError {
    ConfError::at(
        &directive.loc,
        format!("\"{}\" directive {message}", directive.name_str()),
    )
}

/// `"X" directive is duplicate`.
pub fn duplicate(directive: &Directive) -> ConfError {
    directive_error(directive, "is duplicate")
}

/// `invalid value "V"`: nginx's enum slot.
pub fn invalid_value(directive: &Directive, value: &Arg) -> ConfError {
    ConfError::at(&directive.loc, format!("invalid value \"{value}\""))
}

/// Sets a once-only value, refusing a second one as nginx does.
pub fn set_once<T>(slot: &mut Option<T>, directive: &Directive, value: T) -> Result<(), ConfError> {
    if slot.is_some() {
        return Err(duplicate(directive));
    }
    *slot = Some(value);
    Ok(())
}

/// Sets a slot once from a parsed argument: as nginx's slot setters do, a
/// second occurrence is `is duplicate` before its value is looked at.
pub fn set_parsed<T>(
    slot: &mut Option<T>,
    directive: &Directive,
    value: Result<T, ConfError>,
) -> Result<(), ConfError> {
    if slot.is_some() {
        return Err(duplicate(directive));
    }
    *slot = Some(value?);
    Ok(())
}

/// `ngx_conf_set_num_slot`.
pub fn number_slot(slot: &mut Option<u64>, directive: &Directive) -> Result<(), ConfError> {
    set_parsed(slot, directive, number(directive, &directive.args[0]))
}

/// `ngx_conf_set_size_slot`.
pub fn size_slot(slot: &mut Option<u64>, directive: &Directive) -> Result<(), ConfError> {
    set_parsed(slot, directive, size(directive, &directive.args[0]))
}

/// `ngx_conf_set_msec_slot`.
pub fn msec_slot(slot: &mut Option<Duration>, directive: &Directive) -> Result<(), ConfError> {
    set_parsed(slot, directive, msec(directive, &directive.args[0]))
}

/// `ngx_conf_set_sec_slot`.
pub fn sec_slot(slot: &mut Option<Duration>, directive: &Directive) -> Result<(), ConfError> {
    set_parsed(slot, directive, sec(directive, &directive.args[0]))
}

/// `ngx_conf_set_bufs_slot`: `NUMBER SIZE`, both positive.
pub fn bufs_slot(slot: &mut Option<(u64, u64)>, directive: &Directive) -> Result<(), ConfError> {
    if slot.is_some() {
        return Err(duplicate(directive));
    }
    let invalid = || directive_error(directive, "invalid value");
    let number = atoi(directive.args[0].as_bytes())
        .filter(|n| *n > 0)
        .ok_or_else(invalid)?;
    let size = parse_size(directive.args[1].as_bytes())
        .filter(|n| *n > 0)
        .ok_or_else(invalid)?;
    *slot = Some((number, size));
    Ok(())
}

/// `ngx_conf_set_bitmask_slot`: `mask` with the bits the arguments name
/// (case-insensitive); an unknown name is `invalid value`, a repeated one
/// only warns.
pub fn bitmask(
    compiler: &mut Compiler,
    directive: &Directive,
    mut mask: u32,
    names: &[(&str, u32)],
) -> Result<u32, ConfError> {
    for arg in &directive.args {
        let Some((_, bit)) = names
            .iter()
            .find(|(name, _)| arg.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
        else {
            return Err(ConfError::at(
                &directive.loc,
                format!("invalid value \"{arg}\""),
            ));
        };
        if mask & bit != 0 {
            compiler.warn(ConfError::at(
                &directive.loc,
                format!("duplicate value \"{arg}\""),
            ));
        } else {
            mask |= bit;
        }
    }
    Ok(mask)
}

/// `on` / `off` (case-insensitive), as `ngx_conf_set_flag_slot`.
pub fn flag(directive: &Directive) -> Result<bool, ConfError> {
    let value = &directive.args[0];
    let bytes = value.as_bytes();
    if bytes.eq_ignore_ascii_case(b"on") {
        Ok(true)
    } else if bytes.eq_ignore_ascii_case(b"off") {
        Ok(false)
    } else {
        Err(ConfError::at(
            &directive.loc,
            format!(
                "invalid value \"{value}\" in \"{}\" directive, it must be \"on\" or \"off\"",
                directive.name_str()
            ),
        ))
    }
}

/// The flag slot: one `on|off` per level.
pub fn flag_slot(slot: &mut Option<bool>, directive: &Directive) -> Result<(), ConfError> {
    if slot.is_some() {
        return Err(duplicate(directive));
    }
    *slot = Some(flag(directive)?);
    Ok(())
}

/// nginx's `ngx_atoi`: decimal digits only, no sign, no overflow.
pub fn atoi(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    // nginx's cutoff is NGX_MAX_INT_T_VALUE (i64::MAX on 64-bit).
    (value <= i64::MAX as u64).then_some(value)
}

/// The number slot (`"X" directive invalid number`).
pub fn number(directive: &Directive, value: &Arg) -> Result<u64, ConfError> {
    atoi(value.as_bytes()).ok_or_else(|| directive_error(directive, "invalid number"))
}

/// nginx's `ngx_parse_size`: `N`, `Nk`, `Nm` (either case).
pub fn parse_size(bytes: &[u8]) -> Option<u64> {
    let (digits, scale) = match bytes.last() {
        Some(b'k' | b'K') => (&bytes[..bytes.len() - 1], 1024),
        Some(b'm' | b'M') => (&bytes[..bytes.len() - 1], 1024 * 1024),
        _ => (bytes, 1),
    };
    atoi(digits)?
        .checked_mul(scale)
        .filter(|v| *v <= i64::MAX as u64)
}

/// nginx's `ngx_parse_offset`: also `Ng`.
pub fn parse_offset(bytes: &[u8]) -> Option<u64> {
    match bytes.last() {
        Some(b'g' | b'G') => atoi(&bytes[..bytes.len() - 1])?
            .checked_mul(1024 * 1024 * 1024)
            .filter(|v| *v <= i64::MAX as u64),
        _ => parse_size(bytes),
    }
}

/// The size slot (`"X" directive invalid value`).
pub fn size(directive: &Directive, value: &Arg) -> Result<u64, ConfError> {
    parse_size(value.as_bytes()).ok_or_else(|| directive_error(directive, "invalid value"))
}

/// nginx's `ngx_parse_time`: `1h 30m`, `10s`, `500ms`, `2d`; a bare number
/// is seconds. Units must come largest first, each at most once; `ms` is
/// refused where nginx wants whole seconds.
pub fn parse_time(bytes: &[u8], whole_seconds: bool) -> Option<Duration> {
    // Units from largest to smallest, as nginx's state machine requires.
    const MS: u64 = 1;
    const S: u64 = 1000;
    let mut total_ms: u64 = 0;
    let mut rank = 0usize; // position after the last unit used
    let mut i = 0;
    let mut seen_any = false;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return None;
        }
        let value = atoi(&bytes[start..i])?;
        let (unit_rank, scale, len) = match &bytes[i..] {
            [b'm', b's', ..] => (8, MS, 2),
            [b'y', ..] => (1, 365 * 24 * 3600 * S, 1),
            [b'M', ..] => (2, 30 * 24 * 3600 * S, 1),
            [b'w', ..] => (3, 7 * 24 * 3600 * S, 1),
            [b'd', ..] => (4, 24 * 3600 * S, 1),
            [b'h', ..] => (5, 3600 * S, 1),
            [b'm', ..] => (6, 60 * S, 1),
            [b's', ..] => (7, S, 1),
            [] | [b' ', ..] => (7, S, 0),
            _ => return None,
        };
        if unit_rank <= rank || (whole_seconds && scale == MS) {
            return None;
        }
        rank = unit_rank;
        i += len;
        total_ms = total_ms.checked_add(value.checked_mul(scale)?)?;
        seen_any = true;
        if len == 0 {
            // A bare number ends the value.
            if bytes[i..].iter().any(|&b| b != b' ') {
                return None;
            }
            break;
        }
    }
    seen_any.then(|| Duration::from_millis(total_ms))
}

/// The msec slot (`"X" directive invalid value`).
pub fn msec(directive: &Directive, value: &Arg) -> Result<Duration, ConfError> {
    parse_time(value.as_bytes(), false).ok_or_else(|| directive_error(directive, "invalid value"))
}

/// The sec slot (`"X" directive invalid value`).
pub fn sec(directive: &Directive, value: &Arg) -> Result<Duration, ConfError> {
    parse_time(value.as_bytes(), true).ok_or_else(|| directive_error(directive, "invalid value"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_as_nginx_reads_them() {
        assert_eq!(parse_size(b"10"), Some(10));
        assert_eq!(parse_size(b"10k"), Some(10 * 1024));
        assert_eq!(parse_size(b"1M"), Some(1024 * 1024));
        assert_eq!(parse_size(b"1g"), None);
        assert_eq!(parse_offset(b"1g"), Some(1 << 30));
        assert_eq!(parse_size(b"10q"), None);
        assert_eq!(parse_size(b""), None);
        assert_eq!(parse_size(b"k"), None);
        assert_eq!(parse_size(b"-1"), None);
        assert_eq!(parse_size(b"99999999999999999999"), None);
    }

    #[test]
    fn times_as_nginx_reads_them() {
        let ms = |v: &[u8]| parse_time(v, false).map(|d| d.as_millis());
        assert_eq!(ms(b"65"), Some(65_000));
        assert_eq!(ms(b"500ms"), Some(500));
        assert_eq!(ms(b"1h 30m"), Some(90 * 60 * 1000));
        assert_eq!(ms(b"1m30s"), Some(90_000));
        assert_eq!(ms(b"1d"), Some(86_400_000));
        assert_eq!(ms(b"30s 1m"), None);
        assert_eq!(ms(b"abc"), None);
        assert_eq!(ms(b"10x"), None);
        assert_eq!(ms(b""), None);
        assert_eq!(parse_time(b"500ms", true), None);
        assert_eq!(parse_time(b"5m", true), Some(Duration::from_secs(300)));
    }

    #[test]
    fn atoi_refuses_signs_and_overflow() {
        assert_eq!(atoi(b"0"), Some(0));
        assert_eq!(atoi(b"+1"), None);
        assert_eq!(atoi(b"9223372036854775807"), Some(i64::MAX as u64));
        assert_eq!(atoi(b"9223372036854775808"), None);
    }
}
