//! The driver domain's platform-independent part, after sDDF's virtio-net
//! driver (`drivers/network/virtio/common/ethernet.c`): buffers from the
//! receive free ring are *posted* to the device, frames the device filled
//! go to the receive active ring; frames from the transmit active ring are
//! posted for transmission and come back on the transmit free ring once the
//! device is done with them. Only the [`NetDevice`] behind it is
//! platform-specific: the hosted devices in `hosted/` (generator, pcap
//! replay, AF_PACKET), and virtio-net over MMIO (`virtio`) on seL4.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use net_queue::{ActiveConsumer, ActiveProducer, BuffDesc, BUFFER_SIZE};

use crate::shared::DataRegion;
use crate::stats::StatsWriter;

/// A buffer as the device sees it: its IO address, and where the driver
/// has it mapped (the hosted devices copy through `ptr`; a DMA device
/// uses only `io`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DevBuf {
    pub io: u64,
    pub ptr: *mut u8,
}

/// A network device with receive and transmit rings, the shape of a NIC
/// (and of `virtio-drivers`' `VirtIONetRaw`): buffers are posted, and come
/// back filled (receive) or sent (transmit).
pub trait NetDevice {
    /// Receive buffers the device can still take.
    fn rx_space(&self) -> usize;
    fn post_rx(&mut self, buf: DevBuf);
    /// A filled receive buffer and its frame length. `None` arms the
    /// device's interrupt: it is raised when a frame can be received.
    fn poll_rx(&mut self) -> Option<(DevBuf, u16)>;
    fn tx_space(&self) -> usize;
    fn post_tx(&mut self, buf: DevBuf, len: u16);
    /// A buffer the device has finished transmitting.
    fn poll_tx(&mut self) -> Option<DevBuf>;
    /// End of a batch (a pcap writer flushes).
    fn flush(&mut self) {}
    /// No frame will ever arrive again (generator count reached, end of a
    /// replay).
    fn input_done(&self) -> bool;
    /// Takes back the receive buffers posted and not filled (for a stop).
    fn take_posted_rx(&mut self) -> Vec<DevBuf>;
    /// Frames the device had to drop (too long, no buffer).
    fn rx_dropped(&self) -> u64 {
        0
    }
    /// The device's interrupt arrived: acknowledge it at the device (the
    /// platform's IRQ is acknowledged by the driver domain afterwards).
    fn ack_interrupt(&mut self) {}
    fn describe(&self) -> String;
}

/// The channel ids of the driver domain.
pub mod channel {
    use ipc_bindings::Channel;
    /// The receive virtualiser (the classifier).
    pub const RX: Channel = Channel::new(0);
    /// The transmit virtualiser.
    pub const TX: Channel = Channel::new(1);
    /// `netctl`, the driver's parent.
    pub const CTL: Channel = Channel::new(2);
    /// The device's interrupt (`<irq id="3">`, seL4 with virtio-net).
    pub const IRQ: Channel = Channel::new(3);
}

/// Counter names of the driver's stats page, in order.
pub const DRIVER_COUNTERS: &[&str] = &[
    "rx",
    "rx_bytes",
    "tx",
    "tx_bytes",
    "rx_bad_desc",
    "tx_bad_desc",
    "rx_unused_returned",
    "rx_dev_dropped",
    "input_done",
    "first_rx_ns",
    "last_tx_ns",
    "wakeups",
    "line_gen",
    "line_rx",
    "epoch",
];

mod c {
    pub const RX: usize = 0;
    pub const RX_BYTES: usize = 1;
    pub const TX: usize = 2;
    pub const TX_BYTES: usize = 3;
    pub const RX_BAD: usize = 4;
    pub const TX_BAD: usize = 5;
    pub const RX_UNUSED: usize = 6;
    pub const RX_DEV_DROPPED: usize = 7;
    pub const INPUT_DONE: usize = 8;
    pub const FIRST_RX: usize = 9;
    pub const LAST_TX: usize = 10;
    pub const WAKEUPS: usize = 11;
    pub const LINE_GEN: usize = 12;
    pub const LINE_RX: usize = 13;
    pub const EPOCH: usize = 14;
    pub const N: usize = 15;
}

pub struct Driver {
    dev: Box<dyn NetDevice>,
    rx: ActiveProducer,
    tx: ActiveConsumer,
    rx_data: DataRegion,
    tx_regions: Vec<DataRegion>,
    stats: StatsWriter,
    v: [u64; c::N],
    dev_dropped_base: u64,
    crash_after: Option<u64>,
    /// `report_after`: from then on, tell netctl when counters move.
    report_after: Option<u64>,
    reported: (u64, u64),
    now: fn() -> u64,
}

/// The regions and rings the driver attaches to (found by name).
pub struct DriverMemory {
    pub rx: ActiveProducer,
    pub tx: ActiveConsumer,
    pub rx_data: DataRegion,
    pub tx_regions: Vec<DataRegion>,
}

impl DriverMemory {
    /// `rx_free`/`rx_active` with `rx_data` (rw), `tx_free`/`tx_active`,
    /// and the transmit clients' pools `tx_data0..` (read-only).
    pub fn attach() -> Result<Self, String> {
        let rx_data = DataRegion::find("rx_data")?;
        let mut tx_regions = Vec::new();
        while crate::shared::has_region(&alloc::format!("tx_data{}", tx_regions.len())) {
            tx_regions.push(DataRegion::find(&alloc::format!("tx_data{}", tx_regions.len()))?);
        }
        let tx_cap = tx_regions.iter().map(|r| r.nbufs).sum::<u32>().next_power_of_two().max(1);
        Ok(Self {
            rx: crate::shared::producer("rx", rx_data.nbufs)?,
            tx: crate::shared::consumer("tx", tx_cap)?,
            rx_data,
            tx_regions,
        })
    }
}

impl Driver {
    /// `line_gen`: generation of the configuration's `driver` line; the
    /// stats page keeps how many frames were received under it, so a
    /// restarted driver resumes its input there ([`Driver::resume_point`]).
    pub fn new(
        dev: Box<dyn NetDevice>,
        mem: DriverMemory,
        stats: StatsWriter,
        epoch: u32,
        line_gen: u32,
        crash_after: Option<u64>,
        now: fn() -> u64,
    ) -> Self {
        let mut v = [0u64; c::N];
        for (i, x) in v.iter_mut().enumerate() {
            *x = stats.get(i);
        }
        if v[c::LINE_GEN] != line_gen as u64 {
            v[c::LINE_GEN] = line_gen as u64;
            v[c::LINE_RX] = 0;
        }
        v[c::EPOCH] = epoch as u64;
        v[c::INPUT_DONE] = 0;
        stats.set_info(&dev.describe());
        let dev_dropped_base = v[c::RX_DEV_DROPPED];
        Self {
            dev,
            rx: mem.rx,
            tx: mem.tx,
            rx_data: mem.rx_data,
            tx_regions: mem.tx_regions,
            stats,
            v,
            dev_dropped_base,
            crash_after,
            report_after: None,
            reported: (0, 0),
            now,
        }
    }

    /// Once `n` frames were received, notify `netctl` (channel
    /// [`channel::CTL`]) at the end of every wakeup that moved a frame, so
    /// that it prints every domain's counters when the system is idle
    /// (the QEMU test reads them; `driver ... report_after=N`).
    pub fn set_report_after(&mut self, n: Option<u64>) {
        self.report_after = n;
    }

    /// The device's interrupt arrived.
    pub fn device_interrupt(&mut self) {
        self.dev.ack_interrupt();
    }

    /// Frames already received under this `driver` line (by earlier
    /// incarnations); a replay or generator continues after them.
    pub fn resume_point(stats: &StatsWriter, line_gen: u32) -> u64 {
        if stats.get(c::LINE_GEN) == line_gen as u64 {
            stats.get(c::LINE_RX)
        } else {
            0
        }
    }

    /// Runs every ring until nothing moves, then publishes the counters.
    pub fn process(&mut self) {
        self.v[c::WAKEUPS] += 1;
        loop {
            let mut progress = self.tx_provide();
            progress |= self.tx_return();
            progress |= self.rx_provide();
            progress |= self.rx_return();
            if !progress {
                break;
            }
        }
        self.dev.flush();
        self.publish();
        if self.report_after.is_some_and(|n| self.v[c::RX] >= n) {
            let now = (self.v[c::RX], self.v[c::TX]);
            if now != self.reported {
                self.reported = now;
                let _ = channel::CTL.try_notify();
            }
        }
    }

    fn publish(&mut self) {
        self.v[c::INPUT_DONE] = self.dev.input_done() as u64;
        self.v[c::RX_DEV_DROPPED] = self.dev_dropped_base + self.dev.rx_dropped();
        self.stats.publish(&self.v);
    }

    /// Free buffers to the device (sDDF `rx_provide`).
    fn rx_provide(&mut self) -> bool {
        let mut progress = false;
        loop {
            while self.dev.rx_space() > 0 {
                let Some(d) = self.rx.dequeue_free() else { break };
                progress = true;
                match self.rx_data.index_of_io(d.io_or_offset) {
                    Some(i) => self.dev.post_rx(DevBuf { io: d.io_or_offset, ptr: self.rx_data.buf(i) }),
                    None => self.v[c::RX_BAD] += 1,
                }
            }
            if self.dev.rx_space() == 0 || !self.rx.request_signal_free() {
                break;
            }
        }
        progress
    }

    /// Filled frames to the receive virtualiser (sDDF `rx_return`).
    fn rx_return(&mut self) -> bool {
        let mut n = 0u64;
        while let Some((b, len)) = self.dev.poll_rx() {
            if self.crash_after.is_some_and(|n| self.v[c::LINE_RX] >= n) {
                // Crash at a clean point: what was received is published,
                // this frame is not counted (a restart generates it again).
                self.rx.flush();
                self.publish();
                panic!("netdriver: injected crash after {} frames (crash_after)", self.v[c::LINE_RX]);
            }
            if self.v[c::FIRST_RX] == 0 {
                self.v[c::FIRST_RX] = (self.now)();
            }
            self.v[c::RX] += 1;
            self.v[c::RX_BYTES] += len as u64;
            self.v[c::LINE_RX] += 1;
            if self.rx.enqueue_active(BuffDesc::new(b.io, len)).is_err() {
                self.v[c::RX_BAD] += 1;
            }
            n += 1;
        }
        if n > 0 && self.rx.signal_active() {
            channel::RX.notify();
        }
        n > 0
    }

    fn tx_buf(&self, d: &BuffDesc) -> Option<DevBuf> {
        if d.len == 0 || d.len as usize > BUFFER_SIZE {
            return None;
        }
        self.tx_regions
            .iter()
            .find_map(|r| r.index_of_io(d.io_or_offset).map(|i| DevBuf { io: d.io_or_offset, ptr: r.buf(i) }))
    }

    /// Frames to transmit to the device (sDDF `tx_provide`).
    fn tx_provide(&mut self) -> bool {
        let mut progress = false;
        loop {
            while self.dev.tx_space() > 0 {
                let Some(d) = self.tx.dequeue_active() else { break };
                progress = true;
                match self.tx_buf(&d) {
                    Some(b) => {
                        self.v[c::TX_BYTES] += d.len as u64;
                        self.dev.post_tx(b, d.len)
                    }
                    None => {
                        // Not a client buffer, or a bad length: hand it back
                        // untouched; the virtualiser checks it.
                        self.v[c::TX_BAD] += 1;
                        let _ = self.tx.enqueue_free(BuffDesc::new(d.io_or_offset, 0));
                    }
                }
            }
            if self.dev.tx_space() == 0 || !self.tx.request_signal_active() {
                break;
            }
        }
        progress
    }

    /// Sent buffers back to the transmit virtualiser (sDDF `tx_return`).
    fn tx_return(&mut self) -> bool {
        let mut n = 0u64;
        while let Some(b) = self.dev.poll_tx() {
            let _ = self.tx.enqueue_free(BuffDesc::new(b.io, 0));
            n += 1;
        }
        if n > 0 {
            self.v[c::TX] += n;
            self.v[c::LAST_TX] = (self.now)();
            if self.tx.signal_free() {
                channel::TX.notify();
            }
        }
        n > 0
    }

    /// A clean stop for a swap: transmit what was queued, hand unfilled
    /// receive buffers back (zero-length active entries), publish.
    pub fn stop(&mut self) {
        self.process();
        let posted = self.dev.take_posted_rx();
        for b in &posted {
            let _ = self.rx.enqueue_active(BuffDesc::new(b.io, 0));
        }
        self.v[c::RX_UNUSED] += posted.len() as u64;
        if self.rx.signal_active() {
            channel::RX.notify();
        }
        self.rx.flush();
        self.tx.flush();
        self.dev.flush();
        self.publish();
    }

    pub fn counter(&self, name: &str) -> u64 {
        DRIVER_COUNTERS.iter().position(|n| *n == name).map_or(0, |i| self.v[i])
    }
}
