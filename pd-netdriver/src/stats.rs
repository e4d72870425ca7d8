//! Statistics pages: each network domain publishes its counters in its own
//! `stats` region (4 KiB, written only by it); `netctl` maps every page
//! read-only and serves them to `capuchin vif list`. Pages describe
//! themselves (kind, name, parent, counter names), so the reader needs no
//! knowledge of each domain. Counters are published once per batch with
//! relaxed stores: reading them never slows the data path down.

use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

pub const STATS_MAGIC: u32 = 0x5354_4154; // "STAT"
pub const MAX_COUNTERS: usize = 96;
const NAME_LEN: usize = 24;

#[repr(C)]
struct Entry {
    name: [u8; NAME_LEN],
    value: AtomicU64,
}

#[repr(C)]
struct Header {
    magic: AtomicU32,
    count: AtomicU32,
    /// Bumped by every (re)start of the writer.
    starts: AtomicU32,
    _pad: u32,
    kind: [u8; 16],
    name: [u8; 32],
    parent: [u8; 32],
    info: [u8; 96],
}

#[repr(C)]
struct Page {
    hdr: Header,
    entries: [Entry; MAX_COUNTERS],
}

const _: () = assert!(core::mem::size_of::<Page>() <= 4096);

/// Bytes a stats region needs.
pub const STATS_REGION_SIZE: usize = 4096;

fn put(dst: *mut u8, cap: usize, s: &str) {
    let b = s.as_bytes();
    for i in 0..cap {
        // SAFETY: within the field (caller passes its size).
        unsafe { dst.add(i).write_volatile(b.get(i).copied().unwrap_or(0)) };
    }
}

fn get(src: *const u8, cap: usize) -> String {
    let mut v = Vec::with_capacity(cap);
    for i in 0..cap {
        // SAFETY: within the field.
        let c = unsafe { src.add(i).read_volatile() };
        if c == 0 {
            break;
        }
        v.push(c);
    }
    String::from_utf8_lossy(&v).into_owned()
}

/// The writer's view of its stats page.
pub struct StatsWriter {
    page: *mut Page,
    count: usize,
}

impl StatsWriter {
    /// Lays out the page. Values of counters whose names are unchanged
    /// since the previous start are kept (a restarted driver continues its
    /// totals).
    ///
    /// # Safety
    /// `base` must point to a writable, 64-byte aligned mapping of at least
    /// [`STATS_REGION_SIZE`] bytes written by no one else.
    pub unsafe fn new(base: *mut u8, kind: &str, name: &str, parent: &str, counters: &[&str]) -> Self {
        let page = base.cast::<Page>();
        // SAFETY: contract.
        let p = unsafe { &*page };
        let count = counters.len().min(MAX_COUNTERS);
        let same_layout = p.hdr.magic.load(Ordering::Acquire) == STATS_MAGIC
            && p.hdr.count.load(Ordering::Relaxed) as usize == count
            && counters.iter().enumerate().all(|(i, c)| get(p.entries[i].name.as_ptr(), NAME_LEN) == *c);
        p.hdr.magic.store(0, Ordering::Release);
        put(p.hdr.kind.as_ptr().cast_mut(), 16, kind);
        put(p.hdr.name.as_ptr().cast_mut(), 32, name);
        put(p.hdr.parent.as_ptr().cast_mut(), 32, parent);
        for (i, c) in counters.iter().take(count).enumerate() {
            put(p.entries[i].name.as_ptr().cast_mut(), NAME_LEN, c);
            if !same_layout {
                p.entries[i].value.store(0, Ordering::Relaxed);
            }
        }
        p.hdr.count.store(count as u32, Ordering::Relaxed);
        p.hdr.starts.fetch_add(1, Ordering::Relaxed);
        p.hdr.magic.store(STATS_MAGIC, Ordering::Release);
        Self { page, count }
    }

    /// Lays out this PD's stats region (see [`StatsWriter::new`]).
    pub fn from_region(
        r: &ipc_bindings::MemoryRegion,
        kind: &str,
        name: &str,
        parent: &str,
        counters: &[&str],
    ) -> Result<Self, String> {
        if !r.is_writable() || r.size() < STATS_REGION_SIZE || r.base() as usize % 64 != 0 {
            return Err(alloc::format!("stats region '{}' must be a writable, aligned page", r.name()));
        }
        // SAFETY: checked above; a MemoryRegion stays mapped for the PD's
        // life, and system.xml maps a stats region writable into its owner only.
        Ok(unsafe { Self::new(r.base(), kind, name, parent, counters) })
    }

    fn page(&self) -> &Page {
        // SAFETY: mapped for our life (constructor contract).
        unsafe { &*self.page }
    }

    /// Free text shown with the counters (a processor name, a device).
    pub fn set_info(&self, info: &str) {
        put(self.page().hdr.info.as_ptr().cast_mut(), 96, info);
    }

    pub fn set(&self, i: usize, v: u64) {
        if i < self.count {
            self.page().entries[i].value.store(v, Ordering::Relaxed);
        }
    }

    pub fn get(&self, i: usize) -> u64 {
        if i < self.count {
            self.page().entries[i].value.load(Ordering::Relaxed)
        } else {
            0
        }
    }

    /// Publishes `values` as counters `0..values.len()`.
    pub fn publish(&self, values: &[u64]) {
        for (i, &v) in values.iter().enumerate() {
            self.set(i, v);
        }
    }

    /// Times this page's writer has started (1 on first boot).
    pub fn starts(&self) -> u32 {
        self.page().hdr.starts.load(Ordering::Relaxed)
    }
}

/// A snapshot of a stats page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsSnapshot {
    pub kind: String,
    pub name: String,
    pub parent: String,
    pub info: String,
    pub starts: u32,
    pub counters: Vec<(String, u64)>,
}

impl StatsSnapshot {
    pub fn get(&self, name: &str) -> Option<u64> {
        self.counters.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// Reads a page; `None` before its writer has laid it out.
    ///
    /// # Safety
    /// `base` must point to a readable mapping of [`STATS_REGION_SIZE`] bytes.
    pub unsafe fn read(base: *const u8) -> Option<Self> {
        // SAFETY: contract; every field is atomic or read with volatile bytes.
        let p = unsafe { &*base.cast::<Page>() };
        if p.hdr.magic.load(Ordering::Acquire) != STATS_MAGIC {
            return None;
        }
        let count = (p.hdr.count.load(Ordering::Relaxed) as usize).min(MAX_COUNTERS);
        Some(Self {
            kind: get(p.hdr.kind.as_ptr(), 16),
            name: get(p.hdr.name.as_ptr(), 32),
            parent: get(p.hdr.parent.as_ptr(), 32),
            info: get(p.hdr.info.as_ptr(), 96),
            starts: p.hdr.starts.load(Ordering::Relaxed),
            counters: (0..count)
                .map(|i| (get(p.entries[i].name.as_ptr(), NAME_LEN), p.entries[i].value.load(Ordering::Relaxed)))
                .collect(),
        })
    }

    /// The snapshot as a JSON object.
    pub fn to_json(&self) -> String {
        use core::fmt::Write;
        let mut s = String::new();
        let _ = write!(
            s,
            "{{\"kind\":{},\"name\":{},\"parent\":{},\"info\":{},\"starts\":{},\"counters\":{{",
            json_str(&self.kind),
            json_str(&self.name),
            json_str(&self.parent),
            json_str(&self.info),
            self.starts
        );
        for (i, (n, v)) in self.counters.iter().enumerate() {
            let _ = write!(s, "{}{}:{}", if i == 0 { "" } else { "," }, json_str(n), v);
        }
        s.push_str("}}");
        s
    }
}

/// A JSON string literal.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                use core::fmt::Write;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[repr(C, align(4096))]
    struct Mem([u8; 4096]);

    #[test]
    fn pages_describe_themselves_and_keep_totals_across_restarts() {
        let mut m = Mem([0; 4096]);
        let base = m.0.as_mut_ptr();
        assert!(unsafe { StatsSnapshot::read(base) }.is_none());
        let w = unsafe { StatsWriter::new(base, "driver", "netdriver", "netctl", &["rx", "tx"]) };
        w.publish(&[5, 7]);
        w.set_info("gen \"64\"");
        let s = unsafe { StatsSnapshot::read(base) }.unwrap();
        assert_eq!((s.kind.as_str(), s.get("rx"), s.get("tx"), s.starts), ("driver", Some(5), Some(7), 1));
        assert!(s.to_json().contains("\"info\":\"gen \\\"64\\\"\""));
        let w2 = unsafe { StatsWriter::new(base, "driver", "netdriver", "netctl", &["rx", "tx"]) };
        assert_eq!((w2.get(0), w2.get(1), w2.starts()), (5, 7, 2));
        let w3 = unsafe { StatsWriter::new(base, "driver", "netdriver", "netctl", &["rx", "other"]) };
        assert_eq!(w3.get(0), 0, "a new layout starts from zero");
    }
}
