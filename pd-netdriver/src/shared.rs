//! Shared memory between network domains: data regions, queue pairs found
//! by their `setvar_vaddr` names, the configuration page, and the two
//! pieces every forwarding domain uses: [`Downstream`] (fill a child's
//! buffers, like sDDF's copier) and [`TxClient`] (send from one's own pool
//! through the transmit virtualiser).
//!
//! Naming convention (the generator in `tools/src/net` writes system.xml
//! this way): a pair is two regions mapped with symbols `P_free` and
//! `P_active`; the data region whose buffers travel on it is `P_data` (or
//! shared, e.g. `rx_data`). The pair's capacity is the number of buffers of
//! that data region (region size / 2048, a power of two), so neither side
//! has to trust the other about it. Data regions are mapped at the same
//! virtual address in every domain. A buffer's IO address (sDDF's; what the
//! driver's device DMAs to) is its physical address where system.xml gives
//! the PD the region's (`<setvar region_paddr>`, seL4 with virtio-net), else
//! that virtual address (the hosted devices).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

use ipc_bindings::{memory_region, Channel, MemoryRegion};
use net_queue::{ActiveConsumer, ActiveProducer, BuffDesc, RingMemory, BUFFER_SIZE};

/// A region of packet buffers.
#[derive(Clone, Copy, Debug)]
pub struct DataRegion {
    pub base: *mut u8,
    pub nbufs: u32,
    /// The IO address of buffer 0: the region's physical address when
    /// system.xml gives this PD one (`<setvar region_paddr>`, what a DMA
    /// device needs on seL4), else its virtual address (hosted devices).
    pub io_base: u64,
    /// `io_base` is a physical address.
    pub phys: bool,
    pub name: &'static str,
}

impl DataRegion {
    pub fn from_region(r: &MemoryRegion) -> Self {
        Self {
            base: r.base(),
            nbufs: (r.size() / BUFFER_SIZE) as u32,
            io_base: r.phys_addr().unwrap_or(r.base() as u64),
            phys: r.phys_addr().is_some(),
            name: r.name(),
        }
    }

    pub fn find(symbol: &str) -> Result<Self, String> {
        let r = memory_region(symbol).map_err(|e| e.to_string())?;
        let d = Self::from_region(&r);
        if !d.nbufs.is_power_of_two() {
            return Err(alloc::format!("data region '{}': {} buffers, not a power of two", d.name, d.nbufs));
        }
        Ok(d)
    }

    /// The buffer index of a buffer offset, if it is a valid one.
    pub fn index_of_offset(&self, off: u64) -> Option<u32> {
        (off % BUFFER_SIZE as u64 == 0 && off < self.nbufs as u64 * BUFFER_SIZE as u64)
            .then_some((off / BUFFER_SIZE as u64) as u32)
    }

    /// The buffer index of an IO address in this region.
    pub fn index_of_io(&self, io: u64) -> Option<u32> {
        self.index_of_offset(io.checked_sub(self.io_base)?)
    }

    pub fn buf(&self, index: u32) -> *mut u8 {
        debug_assert!(index < self.nbufs);
        // SAFETY: index < nbufs (checked by callers through index_of_*).
        unsafe { self.base.add(index as usize * BUFFER_SIZE) }
    }

    /// Bytes `0..len` of buffer `index`.
    ///
    /// # Safety
    /// The caller must own the buffer (by the queue protocol no other
    /// domain writes it meanwhile) and `len <= BUFFER_SIZE`.
    pub unsafe fn frame(&self, index: u32, len: usize) -> &[u8] {
        unsafe { core::slice::from_raw_parts(self.buf(index), len) }
    }
}

fn ring(symbol: &str) -> Result<RingMemory, String> {
    let r = memory_region(symbol).map_err(|e| e.to_string())?;
    if !r.is_writable() {
        return Err(alloc::format!("queue region '{symbol}' must be mapped rw"));
    }
    Ok(RingMemory { base: r.base(), len: r.size() })
}

/// Attaches as the filling side of pair `P` (`P_free`, `P_active`).
pub fn producer(pair: &str, capacity: u32) -> Result<ActiveProducer, String> {
    let (f, a) = (ring(&alloc::format!("{pair}_free"))?, ring(&alloc::format!("{pair}_active"))?);
    // SAFETY: the regions are mapped for the life of the PD and system.xml
    // gives this pair to exactly two PDs, one on each side.
    unsafe { ActiveProducer::attach(f, a, capacity) }.map_err(|e| alloc::format!("queue pair '{pair}': {e}"))
}

/// Attaches as the emptying side of pair `P`.
pub fn consumer(pair: &str, capacity: u32) -> Result<ActiveConsumer, String> {
    let (f, a) = (ring(&alloc::format!("{pair}_free"))?, ring(&alloc::format!("{pair}_active"))?);
    // SAFETY: as in `producer`.
    unsafe { ActiveConsumer::attach(f, a, capacity) }.map_err(|e| alloc::format!("queue pair '{pair}': {e}"))
}

/// Does this PD map region symbol `s`?
pub fn has_region(s: &str) -> bool {
    memory_region(s).is_ok()
}

/// The layout of the `net_config` region: the configuration text under a
/// sequence lock, and the driver's life-cycle words.
#[repr(C)]
struct ConfigHeader {
    magic: AtomicU32,
    /// Odd while `netctl` rewrites the text.
    seq: AtomicU32,
    len: AtomicU32,
    /// Incremented by `netctl` for every driver start (first start: 1).
    driver_epoch: AtomicU32,
    /// The driver epoch `netctl` wants stopped (for a swap).
    stop_epoch: AtomicU32,
    /// The epoch whose start first ran the current `driver` line (its
    /// `crash_after` only applies then).
    driver_line_epoch: AtomicU32,
    /// Bumped whenever the `driver` line changes.
    driver_line_gen: AtomicU32,
    _pad: [u32; 9],
}

const CONFIG_MAGIC: u32 = 0x4e43_4647; // "NCFG"
const CONFIG_TEXT_AT: usize = 64;

/// The `net_config` region.
#[derive(Clone, Copy)]
pub struct ConfigPage {
    base: *mut u8,
    size: usize,
}

unsafe impl Send for ConfigPage {}
unsafe impl Sync for ConfigPage {}

/// The driver's life-cycle words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriverControl {
    pub epoch: u32,
    pub stop_epoch: u32,
    pub line_epoch: u32,
    pub line_gen: u32,
}

impl ConfigPage {
    pub fn find() -> Result<Self, String> {
        let r = memory_region("net_config").map_err(|e| e.to_string())?;
        Ok(Self { base: r.base(), size: r.size() })
    }

    /// # Safety
    /// `base..base+size` must stay mapped (writable for the writer).
    pub unsafe fn from_raw(base: *mut u8, size: usize) -> Self {
        Self { base, size }
    }

    fn hdr(&self) -> &ConfigHeader {
        // SAFETY: mapped for the PD's life; all fields atomic.
        unsafe { &*self.base.cast::<ConfigHeader>() }
    }

    /// The configuration text, or `None` before `netctl` has published it.
    pub fn read(&self) -> Option<String> {
        let h = self.hdr();
        for _ in 0..1000 {
            if h.magic.load(Ordering::Acquire) != CONFIG_MAGIC {
                return None;
            }
            let s1 = h.seq.load(Ordering::Acquire);
            if s1 % 2 == 1 {
                core::hint::spin_loop();
                continue;
            }
            let len = (h.len.load(Ordering::Relaxed) as usize).min(self.size - CONFIG_TEXT_AT);
            let mut bytes = Vec::with_capacity(len);
            for i in 0..len {
                // SAFETY: in bounds; volatile because the writer may race us
                // (then the sequence check below discards the copy).
                bytes.push(unsafe { self.base.add(CONFIG_TEXT_AT + i).read_volatile() });
            }
            core::sync::atomic::fence(Ordering::Acquire);
            if h.seq.load(Ordering::Relaxed) == s1 {
                return Some(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        None
    }

    /// Changes with every write: a domain re-reads the text only when it
    /// moved (odd while a write is in progress).
    pub fn sequence(&self) -> u32 {
        self.hdr().seq.load(Ordering::Acquire)
    }

    /// Publishes a new text (writer: `netctl`).
    pub fn write(&self, text: &str) -> Result<(), String> {
        let bytes = text.as_bytes();
        if bytes.len() > self.size - CONFIG_TEXT_AT {
            return Err(alloc::format!("network config of {} bytes does not fit the net_config region", bytes.len()));
        }
        let h = self.hdr();
        h.seq.fetch_add(1, Ordering::AcqRel);
        core::sync::atomic::fence(Ordering::Release);
        for (i, &b) in bytes.iter().enumerate() {
            // SAFETY: in bounds (checked above); only netctl writes.
            unsafe { self.base.add(CONFIG_TEXT_AT + i).write_volatile(b) };
        }
        h.len.store(bytes.len() as u32, Ordering::Relaxed);
        h.seq.fetch_add(1, Ordering::Release);
        h.magic.store(CONFIG_MAGIC, Ordering::Release);
        Ok(())
    }

    pub fn control(&self) -> DriverControl {
        let h = self.hdr();
        DriverControl {
            epoch: h.driver_epoch.load(Ordering::Acquire),
            stop_epoch: h.stop_epoch.load(Ordering::Acquire),
            line_epoch: h.driver_line_epoch.load(Ordering::Acquire),
            line_gen: h.driver_line_gen.load(Ordering::Acquire),
        }
    }

    /// Starts a new driver epoch (writer: `netctl`, before each start).
    pub fn begin_driver_epoch(&self, new_line: bool) -> u32 {
        let h = self.hdr();
        let e = h.driver_epoch.fetch_add(1, Ordering::AcqRel) + 1;
        if new_line {
            h.driver_line_epoch.store(e, Ordering::Release);
            h.driver_line_gen.fetch_add(1, Ordering::AcqRel);
        }
        e
    }

    /// Back to the previous `driver` line's generation after a swap whose
    /// driver did not start (writer: `netctl`), so that the old input
    /// resumes where it stopped.
    pub fn revert_driver_line(&self) {
        let h = self.hdr();
        h.driver_line_gen.fetch_sub(1, Ordering::AcqRel);
        h.driver_line_epoch.store(0, Ordering::Release);
    }

    /// Asks the driver of epoch `epoch` to stop (writer: `netctl`).
    pub fn request_stop(&self, epoch: u32) {
        self.hdr().stop_epoch.store(epoch, Ordering::Release);
    }
}

/// A child VIF whose buffers this domain fills (classifier to VIF, or a
/// VIF to its child): sDDF's copy component folded into the parent.
pub struct Downstream {
    pub name: String,
    pub q: ActiveProducer,
    pub data: DataRegion,
    pub channel: Channel,
    enqueued: bool,
    pub delivered: u64,
    pub bad_buffers: u64,
}

impl Downstream {
    /// Attaches to child `k`: regions `child{k}_free`, `child{k}_active`,
    /// `child{k}_data`, channel `first_channel + k`. The child's name is its
    /// data region's name without `_data`.
    pub fn attach(k: usize, first_channel: usize) -> Result<Self, String> {
        let data = DataRegion::find(&alloc::format!("child{k}_data"))?;
        let q = producer(&alloc::format!("child{k}"), data.nbufs)?;
        let name = data.name.strip_suffix("_data").unwrap_or(data.name).to_string();
        Ok(Self {
            name,
            q,
            data,
            channel: Channel::new(first_channel + k),
            enqueued: false,
            delivered: 0,
            bad_buffers: 0,
        })
    }

    /// Attaches to every `child{k}` this PD maps.
    pub fn attach_all(first_channel: usize) -> Result<Vec<Self>, String> {
        let mut v = Vec::new();
        while has_region(&alloc::format!("child{}_data", v.len())) {
            v.push(Self::attach(v.len(), first_channel)?);
        }
        Ok(v)
    }

    /// Copies `frame` into one of the child's free buffers; `false` if it
    /// has none.
    pub fn deliver(&mut self, frame: &[u8]) -> bool {
        loop {
            let Some(d) = self.q.dequeue_free() else { return false };
            let Some(i) = self.data.index_of_offset(d.io_or_offset) else {
                // A bogus offset from the child: drop the descriptor (sDDF's copier does too).
                self.bad_buffers += 1;
                continue;
            };
            let len = frame.len().min(BUFFER_SIZE);
            // SAFETY: the child gave us this buffer; it stays ours until we
            // enqueue it as active.
            unsafe { core::ptr::copy_nonoverlapping(frame.as_ptr(), self.data.buf(i), len) };
            let _ = self.q.enqueue_active(BuffDesc::new(d.io_or_offset, len as u16));
            self.enqueued = true;
            self.delivered += 1;
            return true;
        }
    }

    /// Waits for the child to give buffers back; `true` if some already
    /// arrived (go on delivering).
    pub fn want_free(&mut self) -> bool {
        self.q.request_signal_free()
    }

    /// The notification phase: notify the child if we gave it packets and
    /// it asked to be told.
    pub fn notify_phase(&mut self) {
        if self.enqueued {
            self.enqueued = false;
            if self.q.signal_active() {
                self.channel.notify();
            }
        } else {
            self.q.flush();
        }
    }
}

/// Sending from this domain's own pool through the transmit virtualiser
/// (the classifier's bypass route). Buffers come back on the pair's free
/// ring.
pub struct TxClient {
    pub q: ActiveProducer,
    pub data: DataRegion,
    pub channel: Channel,
    free: Vec<u32>,
    is_free: Vec<bool>,
    enqueued: bool,
    waiting: bool,
    pub sent: u64,
    pub bad_buffers: u64,
}

impl TxClient {
    /// Attaches to pair `tx` with data region `tx_data`; every buffer starts
    /// free (this domain owns the pool).
    pub fn attach(channel: Channel) -> Result<Self, String> {
        let data = DataRegion::find("tx_data")?;
        let q = producer("tx", data.nbufs)?;
        Ok(Self {
            q,
            data,
            channel,
            free: (0..data.nbufs).rev().collect(),
            is_free: alloc::vec![true; data.nbufs as usize],
            enqueued: false,
            waiting: false,
            sent: 0,
            bad_buffers: 0,
        })
    }

    /// Takes back buffers the virtualiser returned.
    pub fn collect(&mut self) {
        while let Some(d) = self.q.dequeue_free() {
            match self.data.index_of_offset(d.io_or_offset) {
                Some(i) if !self.is_free[i as usize] => {
                    self.is_free[i as usize] = true;
                    self.free.push(i)
                }
                _ => self.bad_buffers += 1,
            }
        }
    }

    /// Copies `frame` into a free buffer and queues it; `false` if none.
    pub fn send(&mut self, frame: &[u8]) -> bool {
        if self.free.is_empty() {
            self.collect();
        }
        let Some(i) = self.free.pop() else { return false };
        self.is_free[i as usize] = false;
        let len = frame.len().min(BUFFER_SIZE);
        // SAFETY: a free buffer of our pool.
        unsafe { core::ptr::copy_nonoverlapping(frame.as_ptr(), self.data.buf(i), len) };
        let _ = self.q.enqueue_active(BuffDesc::new(i as u64 * BUFFER_SIZE as u64, len as u16));
        self.enqueued = true;
        self.sent += 1;
        true
    }

    /// Asks to be notified when buffers come back; `true` if some already did.
    pub fn want_free(&mut self) -> bool {
        self.waiting = true;
        self.q.request_signal_free()
    }

    pub fn free_buffers(&self) -> usize {
        self.free.len()
    }

    pub fn notify_phase(&mut self) {
        if self.enqueued {
            self.enqueued = false;
            if self.q.signal_active() {
                self.channel.notify();
            }
        } else {
            self.q.flush();
        }
    }
}
