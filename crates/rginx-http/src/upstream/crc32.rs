//! CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as nginx's
//! `ngx_crc32_*` computes it: the `hash` balancer and the ketama points of
//! `hash ... consistent` are defined in terms of it, so it must be bit-exact.

const fn table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

static TABLE: [u32; 256] = table();

/// nginx's `ngx_crc32_init`.
pub const INIT: u32 = 0xffff_ffff;

/// nginx's `ngx_crc32_update`: feeds more bytes into a running CRC.
pub fn update(crc: u32, bytes: &[u8]) -> u32 {
    bytes.iter().fold(crc, |crc, &b| {
        TABLE[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8)
    })
}

/// nginx's `ngx_crc32_final`.
pub fn finish(crc: u32) -> u32 {
    crc ^ 0xffff_ffff
}

/// nginx's `ngx_crc32_long`: the CRC of one buffer.
pub fn crc32(bytes: &[u8]) -> u32 {
    finish(update(INIT, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        // Feeding in pieces gives the same result.
        let split = finish(update(update(INIT, b"1234"), b"56789"));
        assert_eq!(split, 0xCBF4_3926);
    }
}
