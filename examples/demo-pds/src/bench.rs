//! Round-trip statistics for the IPC benchmark PDs.

/// Nanoseconds from a monotonic clock.
#[cfg(target_os = "linux")]
pub fn now_ns() -> u64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// Nanoseconds from the ARM generic timer's physical count (CNTPCT_EL0 is
/// readable from seL4 user space; CNTVCT_EL0 is not).
#[cfg(all(target_arch = "aarch64", not(target_os = "linux")))]
pub fn now_ns() -> u64 {
    let (count, freq): (u64, u64);
    unsafe {
        core::arch::asm!("isb", "mrs {c}, cntpct_el0", "mrs {f}, cntfrq_el0", c = out(reg) count, f = out(reg) freq);
    }
    ((count as u128 * 1_000_000_000) / freq.max(1) as u128) as u64
}

/// Summary of a set of round-trip times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub samples: usize,
    pub min: u64,
    pub median: u64,
    pub p99: u64,
    pub mean: u64,
}

impl Summary {
    pub fn of(samples: &mut [u64]) -> Self {
        assert!(!samples.is_empty());
        samples.sort_unstable();
        let n = samples.len();
        Self {
            samples: n,
            min: samples[0],
            median: samples[n / 2],
            p99: samples[(n * 99 / 100).min(n - 1)],
            mean: samples.iter().sum::<u64>() / n as u64,
        }
    }
}

/// Prints one benchmark result as the `BENCH {json}` line `capuchin bench`
/// collects.
pub fn report(kind: &str, s: &Summary) {
    ipc_bindings::debug_println!(
        "BENCH {{\"kind\":\"{kind}\",\"samples\":{},\"min_ns\":{},\"median_ns\":{},\"p99_ns\":{},\"mean_ns\":{}}}",
        s.samples,
        s.min,
        s.median,
        s.p99,
        s.mean
    );
}
