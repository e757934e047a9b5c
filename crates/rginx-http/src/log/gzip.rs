//! `access_log ... gzip[=level]`: each written buffer becomes one complete
//! gzip member, as nginx's `ngx_http_log_gzip` writes them, so `zcat` reads
//! the file as it grows. The compression is flate2's (zlib-rs), set up as
//! nginx sets zlib up: gzip wrapper, window shrunk for short buffers.

/// One gzip member holding `data`, compressed at `level` (1-9). Empty if
/// compression failed: nginx then drops the buffer ("simulate successful
/// logging") rather than write plain bytes into a gzip file.
pub fn member(data: &[u8], level: u32) -> Vec<u8> {
    crate::gzip::member(data, level).unwrap_or_default()
}

/// The CRC-32 of gzip (IEEE, reflected): the tests check members'
/// trailers with it.
#[cfg(test)]
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(data);
    crc.sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::process::{Command, Stdio};

    /// Decompresses with the system's gzip, the tool people read logs with.
    fn gunzip(data: &[u8]) -> Vec<u8> {
        let mut child = Command::new("gzip")
            .arg("-dc")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("gzip(1) is installed");
        child.stdin.take().unwrap().write_all(data).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "gzip -dc refused the data");
        output.stdout
    }

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn members_round_trip_through_gzip() {
        let line = b"127.0.0.1 - - [01/Jan/2025:00:00:00 +0000] \"GET /index.html HTTP/1.1\" 200 612 \"-\" \"curl/8.0\"\n";
        let mut log = Vec::new();
        for i in 0..500 {
            log.extend_from_slice(line);
            log.extend_from_slice(format!("{i} {}\n", i * 7919 % 1000).as_bytes());
        }
        let all_bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        for data in [
            &b""[..],
            b"a",
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            &log,
            &all_bytes,
        ] {
            for level in [1, 4, 9] {
                let gz = member(data, level);
                assert_eq!(gunzip(&gz), data, "level {level}, {} bytes", data.len());
            }
        }
        let gz = member(&log, 1);
        assert!(gz.len() * 5 < log.len(), "{} -> {}", log.len(), gz.len());
        // The trailer: CRC-32 and length of the data, little-endian.
        let trailer = &gz[gz.len() - 8..];
        assert_eq!(trailer[..4], crc32(&log).to_le_bytes());
        assert_eq!(trailer[4..], (log.len() as u32).to_le_bytes());
    }

    #[test]
    fn concatenated_members_read_as_one_file() {
        let mut file = member(b"first line\n", 1);
        file.extend(member(b"second line\n", 9));
        assert_eq!(gunzip(&file), b"first line\nsecond line\n");
    }
}
