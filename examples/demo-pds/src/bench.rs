//! Round-trip statistics for the IPC benchmark PDs.

/// Nanoseconds on the platform's monotonic clock (instructions under
/// QEMU's `-icount shift=0` on seL4).
pub fn now_ns() -> u64 {
    ipc_bindings::monotonic_ns().expect("the IPC benchmark needs a platform clock")
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
        "BENCH {{\"pd\":\"{}\",\"kind\":\"{kind}\",\"samples\":{},\"min_ns\":{},\"median_ns\":{},\"p99_ns\":{},\"mean_ns\":{}}}",
        ipc_bindings::pd_name(),
        s.samples,
        s.min,
        s.median,
        s.p99,
        s.mean
    );
}
