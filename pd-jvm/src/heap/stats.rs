//! Collector statistics. Pause times use the embedder's clock (a `fn`
//! pointer in [`HeapConfig`](super::HeapConfig)): `no_std` has no clock,
//! and the unit (ns, cycles, ticks) is whatever that clock counts.

/// Counters since the heap was created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GcStats {
    /// Completed collections.
    pub collections: u64,
    /// Bytes of objects that survived the last collection.
    pub live_bytes: u64,
    /// Bytes handed out by allocation (objects, clones), ever.
    pub bytes_allocated: u64,
    /// Bytes copied by all collections.
    pub bytes_copied: u64,
    /// Sum of pauses, in clock units (0 without a clock).
    pub total_pause: u64,
    /// Longest pause.
    pub max_pause: u64,
    /// Pause of the last collection.
    pub last_pause: u64,
}

impl GcStats {
    pub(crate) fn record(&mut self, live: u64, pause: u64) {
        self.collections += 1;
        self.live_bytes = live;
        self.bytes_copied += live;
        self.total_pause = self.total_pause.saturating_add(pause);
        self.max_pause = self.max_pause.max(pause);
        self.last_pause = pause;
    }
}
