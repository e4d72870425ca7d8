//! `capuchin qemu --profile ELF`: where one program's instructions go, per
//! call, counted by QEMU (docs/sel4.md, "Profiling a call").
//!
//! QEMU runs one guest instruction per translation block (`-singlestep`)
//! and logs every execution (`-d exec,nochain`) of an address in the
//! ELF's executable segments or a `--profile-range` (the JIT's code
//! memory) to stderr (`-dfilter`). Counting starts when the anchor
//! symbol's first instruction has run `FROM` times and stops at `TO`, so
//! the figures are per execution of the anchor: for a server,
//! `sel4_microkit_base::ipc::reply_recv`, once per call. The log does not
//! change the guest: under `--icount` a run's BENCH figures are the same
//! with and without it.
//!
//! QEMU's log names no address space: every PD running code at those
//! addresses in the window is counted. Boot a system where only the
//! profiled PD does (examples/ipc-profile.xml: one Java server, one Rust
//! client).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What to profile (the `--profile*` options of `capuchin qemu`).
#[derive(Clone, Debug)]
pub struct ProfileSpec {
    pub elf: PathBuf,
    /// Demangled name of the symbol whose executions delimit the window.
    pub anchor: String,
    /// The window: from the anchor's `from`-th execution to its `to`-th.
    pub from: u64,
    pub to: u64,
    /// More code to count, `START+LEN` (hex), reported as one entry each.
    pub ranges: Vec<String>,
    /// `nm` for the ELF's target (demangles and lists the symbols).
    pub nm: String,
}

/// Counts of one run, and how to name them.
pub struct Profiler {
    /// Function starts, sorted, with names.
    symbols: Vec<(u64, String)>,
    extra: Vec<(u64, u64, String)>,
    filter: String,
    anchor_pc: u64,
    from: u64,
    to: u64,
    anchors: u64,
    counts: HashMap<u64, u64>,
}

const PF_X: u32 = 1;

/// The executable segments of an ELF64 little-endian file: (start, size).
pub fn exec_segments(bytes: &[u8]) -> Result<Vec<(u64, u64)>, String> {
    let u16_at = |o: usize| bytes.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |o: usize| bytes.get(o..o + 4).map(|b| u32::from_le_bytes(b.try_into().unwrap()));
    let u64_at = |o: usize| bytes.get(o..o + 8).map(|b| u64::from_le_bytes(b.try_into().unwrap()));
    if bytes.get(..6) != Some(&[0x7f, b'E', b'L', b'F', 2, 1][..]) {
        return Err("not a 64-bit little-endian ELF file".into());
    }
    let short = || "truncated ELF header".to_string();
    let phoff = u64_at(0x20).ok_or_else(short)? as usize;
    let phentsize = u16_at(0x36).ok_or_else(short)? as usize;
    let phnum = u16_at(0x38).ok_or_else(short)? as usize;
    let mut out = Vec::new();
    for i in 0..phnum {
        let p = phoff + i * phentsize;
        let kind = u32_at(p).ok_or("truncated program header")?;
        let flags = u32_at(p + 4).ok_or("truncated program header")?;
        let vaddr = u64_at(p + 0x10).ok_or("truncated program header")?;
        let memsz = u64_at(p + 0x28).ok_or("truncated program header")?;
        if kind == 1 && flags & PF_X != 0 && memsz > 0 {
            out.push((vaddr, memsz));
        }
    }
    if out.is_empty() {
        return Err("no executable segment".into());
    }
    Ok(out)
}

/// `START+LEN` in hex (QEMU's `-dfilter` syntax).
pub fn parse_range(s: &str) -> Result<(u64, u64), String> {
    let hex = |t: &str| u64::from_str_radix(t.trim_start_matches("0x"), 16);
    let (a, b) = s.split_once('+').ok_or_else(|| format!("range '{s}': expected START+LEN (hex)"))?;
    match (hex(a), hex(b)) {
        (Ok(a), Ok(b)) if b > 0 => Ok((a, b)),
        _ => Err(format!("range '{s}': expected START+LEN (hex)")),
    }
}

/// `nm -C` output: function symbols (text, weak), sorted by address.
pub fn parse_nm(out: &str) -> Vec<(u64, String)> {
    let mut v: Vec<(u64, String)> = out
        .lines()
        .filter_map(|l| {
            let (addr, rest) = l.split_once(' ')?;
            let (kind, name) = rest.split_once(' ')?;
            matches!(kind, "T" | "t" | "W" | "w")
                .then(|| Some((u64::from_str_radix(addr, 16).ok()?, name.to_string())))?
        })
        .collect();
    v.sort();
    v
}

/// The guest address of a `-d exec` line (`Trace 0: 0x... [flags/PC/...]`).
pub fn trace_pc(line: &[u8]) -> Option<u64> {
    if !line.starts_with(b"Trace ") {
        return None;
    }
    let open = line.iter().position(|&c| c == b'[')?;
    let rest = &line[open + 1..];
    let a = rest.iter().position(|&c| c == b'/')?;
    let rest = &rest[a + 1..];
    let b = rest.iter().position(|&c| c == b'/')?;
    u64::from_str_radix(std::str::from_utf8(&rest[..b]).ok()?, 16).ok()
}

impl Profiler {
    pub fn new(spec: &ProfileSpec) -> Result<Profiler, String> {
        let elf = &spec.elf;
        let bytes = std::fs::read(elf).map_err(|e| format!("{}: {e}", elf.display()))?;
        let segments = exec_segments(&bytes).map_err(|e| format!("{}: {e}", elf.display()))?;
        let symbols = symbols(&spec.nm, elf)?;
        let anchor_pc = symbols
            .iter()
            .find(|(_, n)| *n == spec.anchor)
            .map(|(a, _)| *a)
            .ok_or_else(|| format!("{}: no function symbol '{}'", elf.display(), spec.anchor))?;
        if spec.from >= spec.to {
            return Err(format!("profile window {}..{} is empty", spec.from, spec.to));
        }
        let mut extra = Vec::new();
        let mut filter: Vec<String> = segments.iter().map(|(a, n)| format!("{a:#x}+{n:#x}")).collect();
        for r in &spec.ranges {
            let (a, n) = parse_range(r)?;
            extra.push((a, a + n, format!("<range {r}>")));
            filter.push(format!("{a:#x}+{n:#x}"));
        }
        Ok(Profiler {
            symbols,
            extra,
            filter: filter.join(","),
            anchor_pc,
            from: spec.from,
            to: spec.to,
            anchors: 0,
            counts: HashMap::new(),
        })
    }

    /// QEMU options that produce the log this counts.
    pub fn qemu_args(&self) -> Vec<String> {
        ["-singlestep", "-d", "exec,nochain", "-dfilter", &self.filter].iter().map(|s| s.to_string()).collect()
    }

    /// Takes one stderr line; `false` if it is not QEMU's trace output.
    pub fn take(&mut self, line: &[u8]) -> bool {
        let Some(pc) = trace_pc(line) else { return false };
        if pc == self.anchor_pc {
            self.anchors += 1;
        }
        if self.anchors > self.from && self.anchors <= self.to {
            *self.counts.entry(pc).or_insert(0) += 1;
        }
        true
    }

    /// The function (or extra range) `pc` is in.
    fn name_of(&self, pc: u64) -> &str {
        match self.extra.iter().find(|(a, b, _)| (*a..*b).contains(&pc)) {
            Some((_, _, r)) => r.as_str(),
            None => match self.symbols.partition_point(|(a, _)| *a <= pc) {
                0 => "?",
                i => self.symbols[i - 1].1.as_str(),
            },
        }
    }

    /// Instructions per anchor execution by function, most first, and
    /// the total; `None` if the window was not reached.
    pub fn report(&self) -> Option<(Vec<(String, f64)>, f64)> {
        if self.anchors <= self.to {
            return None;
        }
        let calls = (self.to - self.from) as f64;
        let mut by_name: HashMap<&str, u64> = HashMap::new();
        for (&pc, &n) in &self.counts {
            *by_name.entry(self.name_of(pc)).or_insert(0) += n;
        }
        let total = by_name.values().sum::<u64>() as f64 / calls;
        let mut rows: Vec<(String, f64)> =
            by_name.into_iter().map(|(k, n)| (k.to_string(), n as f64 / calls)).collect();
        rows.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Some((rows, total))
    }

    /// Every counted address, its executions per anchor execution and its
    /// function, in address order (`--profile-addresses`).
    pub fn addresses(&self) -> String {
        let calls = self.to.saturating_sub(self.from).max(1) as f64;
        let mut pcs: Vec<(&u64, &u64)> = self.counts.iter().collect();
        pcs.sort();
        pcs.iter().map(|(pc, n)| format!("{pc:x} {:.2} {}\n", **n as f64 / calls, self.name_of(**pc))).collect()
    }

    /// The report as printed at the end of a run.
    pub fn print(&self, elf: &Path, anchor: &str) {
        match self.report() {
            None => eprintln!(
                "capuchin qemu: profile incomplete: '{anchor}' ran {} times, the window ends at {}",
                self.anchors, self.to
            ),
            Some((rows, total)) => {
                println!(
                    "profile of {}: instructions per execution of {anchor} (executions {}..{}): {total:.1}",
                    elf.display(),
                    self.from,
                    self.to
                );
                for (name, n) in rows.iter().filter(|(_, n)| *n >= 0.5) {
                    println!("{n:9.1}  {name}");
                }
            }
        }
    }
}

fn symbols(nm: &str, elf: &Path) -> Result<Vec<(u64, String)>, String> {
    let out = Command::new(nm).args(["-C", "--defined-only"]).arg(elf).output().map_err(|e| {
        format!("cannot run {nm} (binutils for the ELF's target, e.g. binutils-aarch64-linux-gnu): {e}")
    })?;
    if !out.status.success() {
        return Err(format!("{nm} {}: {}", elf.display(), String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(parse_nm(&String::from_utf8_lossy(&out.stdout)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_lines_name_their_guest_address() {
        let l = b"Trace 0: 0x7f3c2c0b4c40 [00000000/00000000007b3288/00000000/ff200000] ";
        assert_eq!(trace_pc(l), Some(0x7b3288));
        assert_eq!(trace_pc(b"bench_server_java: ready"), None);
        assert_eq!(trace_pc(b"Trace 0: garbage"), None);
    }

    #[test]
    fn ranges_and_symbols_parse() {
        assert_eq!(parse_range("0x10100000+0x100000"), Ok((0x1010_0000, 0x10_0000)));
        assert!(parse_range("0x10100000").is_err());
        assert!(parse_range("0x10+0").is_err());
        let syms = parse_nm("0000000000000020 T b\n0000000000000010 t a::f\n0000000000000030 D data\n");
        assert_eq!(syms, vec![(0x10, "a::f".to_string()), (0x20, "b".to_string())]);
    }

    #[test]
    fn counts_fall_in_the_window_and_go_to_their_functions() {
        let mut p = Profiler {
            symbols: vec![(0x100, "anchor".into()), (0x200, "work".into())],
            extra: vec![(0x1000, 0x2000, "<range jit>".into())],
            filter: String::new(),
            anchor_pc: 0x100,
            from: 1,
            to: 3,
            anchors: 0,
            counts: HashMap::new(),
        };
        let line = |pc: u64| format!("Trace 0: 0x1 [00000000/{pc:016x}/00000000/0]").into_bytes();
        // Before the window: not counted.
        for pc in [0x100, 0x200, 0x204] {
            assert!(p.take(&line(pc)));
        }
        assert_eq!(p.report(), None);
        // Executions 2 and 3 of the anchor: counted.
        for _ in 0..2 {
            for pc in [0x100, 0x104, 0x200, 0x1800] {
                p.take(&line(pc));
            }
        }
        assert_eq!(p.report(), None, "the window ends with the 4th execution");
        p.take(&line(0x100));
        p.take(&line(0x200));
        assert!(!p.take(b"console text"));
        let (rows, total) = p.report().unwrap();
        assert_eq!(total, 4.0);
        assert_eq!(
            rows,
            vec![("anchor".to_string(), 2.0), ("<range jit>".to_string(), 1.0), ("work".to_string(), 1.0)]
        );
        assert_eq!(p.addresses(), "100 1.00 anchor\n104 1.00 anchor\n200 1.00 work\n1800 1.00 <range jit>\n");
    }

    #[test]
    fn exec_segments_of_a_minimal_header() {
        let mut elf = vec![0u8; 0x40 + 2 * 0x38];
        elf[..6].copy_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1]);
        elf[0x20..0x28].copy_from_slice(&0x40u64.to_le_bytes());
        elf[0x36..0x38].copy_from_slice(&0x38u16.to_le_bytes());
        elf[0x38..0x3a].copy_from_slice(&2u16.to_le_bytes());
        for (i, flags) in [(0usize, 4u32), (1, 5)] {
            let p = 0x40 + i * 0x38;
            elf[p..p + 4].copy_from_slice(&1u32.to_le_bytes());
            elf[p + 4..p + 8].copy_from_slice(&flags.to_le_bytes());
            elf[p + 0x10..p + 0x18].copy_from_slice(&(0x20_0000u64 * (i as u64 + 1)).to_le_bytes());
            elf[p + 0x28..p + 0x30].copy_from_slice(&0x1000u64.to_le_bytes());
        }
        assert_eq!(exec_segments(&elf), Ok(vec![(0x40_0000, 0x1000)]));
        assert!(exec_segments(b"\x7fELF\x01\x01").is_err());
    }
}
