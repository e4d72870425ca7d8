//! Classic libpcap files (the format `tcpdump -w` writes and every tool
//! reads): microsecond and nanosecond variants, either byte order, Ethernet
//! link type only.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::string::String;
use std::string::ToString;
use std::vec::Vec;

const MAGIC_US: u32 = 0xa1b2_c3d4;
const MAGIC_NS: u32 = 0xa1b2_3c4d;
const LINKTYPE_ETHERNET: u32 = 1;

/// One record of a pcap file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcapRecord {
    pub ts_sec: u32,
    /// Microseconds (or nanoseconds in a nanosecond file).
    pub ts_frac: u32,
    pub orig_len: u32,
    pub data: Vec<u8>,
}

pub struct PcapReader {
    r: BufReader<File>,
    swapped: bool,
    pub nanos: bool,
    pub snaplen: u32,
}

fn err(path: &Path, what: impl core::fmt::Display) -> String {
    std::format!("{}: {what}", path.display())
}

impl PcapReader {
    pub fn open(path: &Path) -> Result<Self, String> {
        let f = File::open(path).map_err(|e| err(path, e))?;
        let mut r = BufReader::with_capacity(1 << 16, f);
        let mut h = [0u8; 24];
        r.read_exact(&mut h).map_err(|_| err(path, "not a pcap file (shorter than its header)"))?;
        let magic = u32::from_le_bytes(h[0..4].try_into().unwrap());
        let (swapped, nanos) = match magic {
            MAGIC_US => (false, false),
            MAGIC_NS => (false, true),
            m if m.swap_bytes() == MAGIC_US => (true, false),
            m if m.swap_bytes() == MAGIC_NS => (true, true),
            _ => {
                return Err(err(
                    path,
                    "not a classic pcap file (pcapng is not supported; convert with `editcap -F pcap`)",
                ))
            }
        };
        let word = |b: &[u8]| {
            let v = u32::from_le_bytes(b.try_into().unwrap());
            if swapped {
                v.swap_bytes()
            } else {
                v
            }
        };
        let snaplen = word(&h[16..20]);
        let linktype = word(&h[20..24]) & 0x0fff_ffff;
        if linktype != LINKTYPE_ETHERNET {
            return Err(err(path, std::format!("link type {linktype}, only Ethernet (1) is supported")));
        }
        Ok(Self { r, swapped, nanos, snaplen })
    }

    fn word(&self, b: &[u8]) -> u32 {
        let v = u32::from_le_bytes(b.try_into().unwrap());
        if self.swapped {
            v.swap_bytes()
        } else {
            v
        }
    }

    /// The next record's header: (ts_sec, ts_frac, incl_len, orig_len).
    fn header(&mut self) -> Result<Option<[u32; 4]>, String> {
        let mut h = [0u8; 16];
        match self.r.read_exact(&mut h) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e.to_string()),
        }
        let rec = [self.word(&h[0..4]), self.word(&h[4..8]), self.word(&h[8..12]), self.word(&h[12..16])];
        if rec[2] > 256 * 1024 {
            return Err(std::format!("record of {} bytes: corrupt file", rec[2]));
        }
        Ok(Some(rec))
    }

    /// Reads the next frame into `buf`: `Ok(Some(len))`, where a frame longer
    /// than `buf` is cut to its length (`len` is then the full length:
    /// callers drop such frames).
    pub fn next_into(&mut self, buf: &mut [u8]) -> Result<Option<usize>, String> {
        let Some([_, _, incl, _]) = self.header()? else { return Ok(None) };
        let incl = incl as usize;
        let n = incl.min(buf.len());
        self.r.read_exact(&mut buf[..n]).map_err(|e| e.to_string())?;
        if incl > n {
            std::io::copy(&mut (&mut self.r).take((incl - n) as u64), &mut std::io::sink())
                .map_err(|e| e.to_string())?;
        }
        Ok(Some(incl))
    }

    /// Skips `n` records (for resuming a replay).
    pub fn skip(&mut self, n: u64) -> Result<u64, String> {
        for i in 0..n {
            let Some([_, _, incl, _]) = self.header()? else { return Ok(i) };
            self.r.seek_relative(incl as i64).map_err(|e| e.to_string())?;
        }
        Ok(n)
    }

    pub fn next_record(&mut self) -> Result<Option<PcapRecord>, String> {
        let Some([ts_sec, ts_frac, incl, orig_len]) = self.header()? else { return Ok(None) };
        let mut data = std::vec![0u8; incl as usize];
        self.r.read_exact(&mut data).map_err(|e| e.to_string())?;
        Ok(Some(PcapRecord { ts_sec, ts_frac, orig_len, data }))
    }

    /// Every record of a file.
    pub fn read_all(path: &Path) -> Result<Vec<PcapRecord>, String> {
        let mut r = Self::open(path)?;
        let mut v = Vec::new();
        while let Some(rec) = r.next_record().map_err(|e| err(path, e))? {
            v.push(rec);
        }
        Ok(v)
    }
}

pub struct PcapWriter {
    w: BufWriter<File>,
}

impl PcapWriter {
    /// Opens `path` for appending (a restarted driver continues the same
    /// file), writing the file header if the file is new or empty.
    pub fn append(path: &Path) -> Result<Self, String> {
        let mut f = OpenOptions::new().create(true).append(true).open(path).map_err(|e| err(path, e))?;
        let len = f.seek(SeekFrom::End(0)).map_err(|e| err(path, e))?;
        let mut w = BufWriter::with_capacity(1 << 16, f);
        if len == 0 {
            let mut h = Vec::with_capacity(24);
            h.extend_from_slice(&MAGIC_US.to_le_bytes());
            h.extend_from_slice(&2u16.to_le_bytes());
            h.extend_from_slice(&4u16.to_le_bytes());
            h.extend_from_slice(&0i32.to_le_bytes());
            h.extend_from_slice(&0u32.to_le_bytes());
            h.extend_from_slice(&65535u32.to_le_bytes());
            h.extend_from_slice(&LINKTYPE_ETHERNET.to_le_bytes());
            w.write_all(&h).map_err(|e| err(path, e))?;
        }
        Ok(Self { w })
    }

    /// Creates (truncates) `path`.
    pub fn create(path: &Path) -> Result<Self, String> {
        File::create(path).map_err(|e| err(path, e))?;
        Self::append(path)
    }

    pub fn write_record(&mut self, ts_sec: u32, ts_usec: u32, frame: &[u8]) -> std::io::Result<()> {
        let mut h = [0u8; 16];
        h[0..4].copy_from_slice(&ts_sec.to_le_bytes());
        h[4..8].copy_from_slice(&ts_usec.to_le_bytes());
        h[8..12].copy_from_slice(&(frame.len() as u32).to_le_bytes());
        h[12..16].copy_from_slice(&(frame.len() as u32).to_le_bytes());
        self.w.write_all(&h)?;
        self.w.write_all(frame)
    }

    /// Appends a frame stamped with the current time.
    pub fn write_frame(&mut self, frame: &[u8]) -> std::io::Result<()> {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        self.write_record(now.as_secs() as u32, now.subsec_micros(), frame)
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_back_and_appends() {
        let path = std::env::temp_dir().join(std::format!("capuchin-pcap-test-{}.pcap", std::process::id()));
        {
            let mut w = PcapWriter::create(&path).unwrap();
            w.write_record(1, 2, &[1, 2, 3]).unwrap();
            w.flush().unwrap();
        }
        {
            let mut w = PcapWriter::append(&path).unwrap();
            w.write_record(3, 4, &[9; 70]).unwrap();
            w.flush().unwrap();
        }
        let recs = PcapReader::read_all(&path).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0], PcapRecord { ts_sec: 1, ts_frac: 2, orig_len: 3, data: std::vec![1, 2, 3] });
        assert_eq!(recs[1].data.len(), 70);
        let mut r = PcapReader::open(&path).unwrap();
        assert_eq!(r.skip(1).unwrap(), 1);
        let mut buf = [0u8; 16];
        assert_eq!(r.next_into(&mut buf).unwrap(), Some(70), "a cut frame reports its full length");
        assert_eq!(r.next_into(&mut buf).unwrap(), None);
        std::fs::remove_file(&path).unwrap();
    }
}
