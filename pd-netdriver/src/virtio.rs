//! A virtio-net device over virtio-mmio (virtio 1.x, "modern", split
//! virtqueues): the driver domain's device on seL4 under QEMU's `virt`
//! board. After sDDF's `drivers/network/virtio/ethernet.c`: receive queue 0
//! and transmit queue 1, each buffer a chain of two descriptors, the
//! 12-byte `virtio_net_hdr` (in a driver-owned DMA region) and the 2 KiB
//! packet buffer (in the data region whose IO address the descriptor
//! carries), so packet data starts at offset 0 of its buffer as everywhere
//! else in the pipeline.
//!
//! Memory the device reads or writes must have physical addresses: the
//! virtqueues and headers live in the `virtio_dma` region, and every data
//! region whose buffers reach the device is given its physical address by
//! system.xml (`<setvar region_paddr>`, see `DataRegion::io_base`).
//! Transmit is zero-copy: the device reads frames straight from the VIF or
//! bypass pools, which the driver only maps read-only.
//!
//! Registers are accessed with volatile 32-bit loads and stores in the
//! page system.xml maps uncached (`virtio_regs`); the page holds eight
//! virtio-mmio transports (0x200 apart) and the driver takes the
//! highest-addressed one with a network device, which is where QEMU puts
//! the first `-device virtio-net-device` (0xa003e00 on `virt`, SPI 47).
//! The device's interrupt is acknowledged by [`NetDevice::ack_interrupt`];
//! the Microkit IRQ itself by the driver domain.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{fence, Ordering};

use ipc_bindings::MemoryRegion;
use net_queue::BUFFER_SIZE;

use crate::driver::{DevBuf, NetDevice};

// virtio-mmio registers (virtio 1.2, 4.2.2).
const MAGIC: usize = 0x000;
const VERSION: usize = 0x004;
const DEVICE_ID: usize = 0x008;
const DEVICE_FEATURES: usize = 0x010;
const DEVICE_FEATURES_SEL: usize = 0x014;
const DRIVER_FEATURES: usize = 0x020;
const DRIVER_FEATURES_SEL: usize = 0x024;
const QUEUE_SEL: usize = 0x030;
const QUEUE_NUM_MAX: usize = 0x034;
const QUEUE_NUM: usize = 0x038;
const QUEUE_READY: usize = 0x044;
const QUEUE_NOTIFY: usize = 0x050;
const INTERRUPT_STATUS: usize = 0x060;
const INTERRUPT_ACK: usize = 0x064;
const STATUS: usize = 0x070;
const QUEUE_DESC_LOW: usize = 0x080;
const QUEUE_DESC_HIGH: usize = 0x084;
const QUEUE_DRIVER_LOW: usize = 0x090;
const QUEUE_DRIVER_HIGH: usize = 0x094;
const QUEUE_DEVICE_LOW: usize = 0x0a0;
const QUEUE_DEVICE_HIGH: usize = 0x0a4;
const CONFIG: usize = 0x100;

const MAGIC_VALUE: u32 = 0x7472_6976; // "virt"
const TRANSPORT_SIZE: usize = 0x200;
const NET_DEVICE_ID: u32 = 1;

// Device status bits.
const ACKNOWLEDGE: u32 = 1;
const DRIVER: u32 = 2;
const DRIVER_OK: u32 = 4;
const FEATURES_OK: u32 = 8;
const FAILED: u32 = 128;

// Feature bits.
const F_NET_MAC: u64 = 1 << 5;
const F_VERSION_1: u64 = 1 << 32;

// Descriptor flags.
const DESC_NEXT: u16 = 1;
const DESC_WRITE: u16 = 2;

/// `struct virtio_net_hdr` with VIRTIO_F_VERSION_1 (`num_buffers` always
/// present): 12 bytes in front of every frame.
pub const NET_HDR_LEN: usize = 12;
/// Header slots are 16 bytes apart.
const HDR_STRIDE: usize = 16;

const RX_QUEUE: u32 = 0;
const TX_QUEUE: u32 = 1;
/// Queue size we ask for (each buffer takes two descriptors).
const MAX_QUEUE_SIZE: u32 = 256;

#[repr(C)]
#[derive(Clone, Copy)]
struct Desc {
    addr: u64,
    len: u32,
    flags: u16,
    next: u16,
}

/// Bytes the driver needs in its `virtio_dma` region for two queues of
/// `n` descriptors: per queue the descriptor table (16 n), the available
/// ring (6 + 2 n) and the used ring (6 + 8 n), each 4 KiB aligned, then
/// the headers (16 bytes per buffer, n / 2 buffers per queue).
pub fn dma_bytes(n: usize) -> usize {
    let page = |x: usize| x.div_ceil(4096) * 4096;
    2 * (page(16 * n) + page(6 + 2 * n) + page(6 + 8 * n)) + page(n * HDR_STRIDE)
}

/// One split virtqueue in the DMA region.
struct Queue {
    index: u32,
    size: u16,
    desc: *mut Desc,
    avail: *mut u16,
    used: *mut u8,
    /// Next available-ring index we will fill.
    avail_idx: u16,
    /// Next used-ring index we will read.
    last_used: u16,
    notify: bool,
    /// Per buffer (chain head 2 s): the buffer posted, if any.
    slots: Vec<Option<DevBuf>>,
    free: Vec<u16>,
    /// Virtual and IO address of this queue's header slots.
    hdr_virt: *mut u8,
    hdr_io: u64,
}

impl Queue {
    fn buffers(&self) -> usize {
        self.size as usize / 2
    }

    /// Puts chain `slot` (header + `buf`, `len` bytes of it) into the
    /// available ring.
    fn post(&mut self, slot: u16, buf: DevBuf, len: u32, device_writes: bool) {
        let (h, b) = (2 * slot, 2 * slot + 1);
        let w = if device_writes { DESC_WRITE } else { 0 };
        // SAFETY: h, b < size (slot < size / 2); the DMA region holds the
        // table; the device does not own these descriptors (slot was free).
        unsafe {
            self.desc.add(h as usize).write_volatile(Desc {
                addr: self.hdr_io + slot as u64 * HDR_STRIDE as u64,
                len: NET_HDR_LEN as u32,
                flags: DESC_NEXT | w,
                next: b,
            });
            self.desc.add(b as usize).write_volatile(Desc { addr: buf.io, len, flags: w, next: 0 });
            // avail: flags, idx, ring[size], used_event
            self.avail.add(2 + (self.avail_idx % self.size) as usize).write_volatile(h);
        }
        self.avail_idx = self.avail_idx.wrapping_add(1);
        // The descriptors and ring entry before the index (virtio 2.7.13).
        fence(Ordering::SeqCst);
        // SAFETY: the avail ring's idx field.
        unsafe { self.avail.add(1).write_volatile(self.avail_idx) };
        self.slots[slot as usize] = Some(buf);
        self.notify = true;
    }

    /// The next used element: (chain head, bytes written).
    fn pop_used(&mut self) -> Option<(u32, u32)> {
        // SAFETY: the used ring's idx field (offset 2).
        let idx = unsafe { self.used.add(2).cast::<u16>().read_volatile() };
        if idx == self.last_used {
            return None;
        }
        fence(Ordering::SeqCst);
        let at = 4 + 8 * (self.last_used % self.size) as usize;
        // SAFETY: within the used ring (at + 8 <= 4 + 8 size).
        let (id, len) = unsafe {
            (self.used.add(at).cast::<u32>().read_volatile(), self.used.add(at + 4).cast::<u32>().read_volatile())
        };
        self.last_used = self.last_used.wrapping_add(1);
        Some((id, len))
    }

    /// The slot of a used chain head the device returned, taking the
    /// buffer out; `None` for an id that is not a posted chain head.
    fn take(&mut self, id: u32) -> Option<(u16, DevBuf)> {
        if id % 2 != 0 || id >= self.size as u32 {
            return None;
        }
        let slot = (id / 2) as u16;
        let buf = self.slots[slot as usize].take()?;
        Some((slot, buf))
    }
}

/// The virtio-net device.
pub struct VirtioNet {
    regs: *mut u8,
    regs_phys: Option<u64>,
    rx: Queue,
    tx: Queue,
    mac: [u8; 6],
    /// Frames the device completed with an impossible length (re-posted).
    rx_bad_len: u64,
    /// Used elements naming no posted buffer (ignored).
    bad_used: u64,
}

fn rd(regs: *mut u8, off: usize) -> u32 {
    // SAFETY: `regs` is a mapped transport (0x200 bytes); off < 0x200.
    unsafe { regs.add(off).cast::<u32>().read_volatile() }
}

fn wr(regs: *mut u8, off: usize, v: u32) {
    // SAFETY: as in `rd`.
    unsafe { regs.add(off).cast::<u32>().write_volatile(v) }
}

impl VirtioNet {
    /// Finds the network device in the `regs` page, resets and initialises
    /// it (virtio 1.2, 3.1.1) with its queues in `dma`, which must have a
    /// physical address.
    pub fn open(regs: &MemoryRegion, dma: &MemoryRegion) -> Result<Self, String> {
        if !regs.is_writable() || !dma.is_writable() {
            return Err(format!("virtio: regions '{}' and '{}' must be mapped rw", regs.name(), dma.name()));
        }
        let dma_io = dma.phys_addr().ok_or_else(|| {
            format!(
                "virtio: DMA region '{}' has no physical address (give the driver a <setvar region_paddr=\"{}\">)",
                dma.name(),
                dma.name()
            )
        })?;
        // The highest-addressed transport with a network device.
        let mut found = None;
        let mut seen = String::new();
        for k in (0..regs.size() / TRANSPORT_SIZE).rev() {
            // SAFETY: k * 0x200 + 0x200 <= size.
            let t = unsafe { regs.base().add(k * TRANSPORT_SIZE) };
            let (magic, version, id) = (rd(t, MAGIC), rd(t, VERSION), rd(t, DEVICE_ID));
            if magic != MAGIC_VALUE {
                continue;
            }
            if id == NET_DEVICE_ID {
                if version != 2 {
                    return Err(format!(
                        "virtio: the network device at offset {:#x} is virtio-mmio version {version} (legacy); \
                         this driver needs version 2: run QEMU with -global virtio-mmio.force-legacy=false",
                        k * TRANSPORT_SIZE
                    ));
                }
                found = Some((k, t));
                break;
            }
            if id != 0 {
                seen.push_str(&format!(" {:#x}:device {id}", k * TRANSPORT_SIZE));
            }
        }
        let Some((k, t)) = found else {
            return Err(format!(
                "virtio: no virtio-net device in region '{}' ({} transports; other devices:{})",
                regs.name(),
                regs.size() / TRANSPORT_SIZE,
                if seen.is_empty() { " none" } else { &seen }
            ));
        };
        // Reset, then ACKNOWLEDGE | DRIVER.
        wr(t, STATUS, 0);
        let mut spins = 0;
        while rd(t, STATUS) != 0 {
            spins += 1;
            if spins > 1_000_000 {
                return Err("virtio: the device does not finish its reset".into());
            }
            core::hint::spin_loop();
        }
        wr(t, STATUS, ACKNOWLEDGE);
        wr(t, STATUS, ACKNOWLEDGE | DRIVER);
        let features = {
            wr(t, DEVICE_FEATURES_SEL, 0);
            let lo = rd(t, DEVICE_FEATURES) as u64;
            wr(t, DEVICE_FEATURES_SEL, 1);
            lo | (rd(t, DEVICE_FEATURES) as u64) << 32
        };
        let fail = |msg: String| {
            wr(t, STATUS, FAILED);
            Err(msg)
        };
        if features & F_VERSION_1 == 0 {
            return fail(format!("virtio: device features {features:#x} lack VIRTIO_F_VERSION_1"));
        }
        // Nothing else: no checksum offload, no merged buffers, no
        // segmentation, so every frame is one buffer of at most 1514 bytes.
        let ours = F_VERSION_1 | (features & F_NET_MAC);
        wr(t, DRIVER_FEATURES_SEL, 0);
        wr(t, DRIVER_FEATURES, ours as u32);
        wr(t, DRIVER_FEATURES_SEL, 1);
        wr(t, DRIVER_FEATURES, (ours >> 32) as u32);
        wr(t, STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        if rd(t, STATUS) & FEATURES_OK == 0 {
            return fail("virtio: the device refused our features (FEATURES_OK not kept)".into());
        }
        // Queue sizes first: both must fit the DMA region.
        let mut sizes = [0u16; 2];
        for (q, s) in [RX_QUEUE, TX_QUEUE].into_iter().zip(sizes.iter_mut()) {
            wr(t, QUEUE_SEL, q);
            if rd(t, QUEUE_READY) != 0 {
                return fail(format!("virtio: queue {q} is already in use after reset"));
            }
            let max = rd(t, QUEUE_NUM_MAX).min(MAX_QUEUE_SIZE);
            if max < 2 {
                return fail(format!("virtio: queue {q} is not available (QueueNumMax {max})"));
            }
            // A power of two (split virtqueues), at least one buffer.
            *s = 1u16 << (31 - max.leading_zeros());
        }
        let n = sizes[0].max(sizes[1]) as usize;
        if dma.size() < dma_bytes(n) {
            return fail(format!(
                "virtio: DMA region '{}' has {} bytes; queues of {n} need {}",
                dma.name(),
                dma.size(),
                dma_bytes(n)
            ));
        }
        let page = |x: usize| x.div_ceil(4096) * 4096;
        let mut off = 0usize;
        let mut take = |bytes: usize| {
            let at = off;
            off += page(bytes);
            at
        };
        let mut queues = Vec::new();
        for (i, &size) in sizes.iter().enumerate() {
            let nz = n; // region offsets sized for the larger queue
            let (d, a, u) = (take(16 * nz), take(6 + 2 * nz), take(6 + 8 * nz));
            // SAFETY: the offsets are within the region (dma_bytes checked).
            let (dv, av, uv) = unsafe { (dma.base().add(d), dma.base().add(a), dma.base().add(u)) };
            // Zero the rings: a previous driver may have used them.
            // SAFETY: within the region; the device is reset.
            unsafe {
                core::ptr::write_bytes(dv, 0, 16 * nz);
                core::ptr::write_bytes(av, 0, 6 + 2 * nz);
                core::ptr::write_bytes(uv, 0, 6 + 8 * nz);
            }
            let q = i as u32;
            wr(t, QUEUE_SEL, q);
            wr(t, QUEUE_NUM, size as u32);
            let set = |lo: usize, hi: usize, io: u64| {
                wr(t, lo, io as u32);
                wr(t, hi, (io >> 32) as u32);
            };
            set(QUEUE_DESC_LOW, QUEUE_DESC_HIGH, dma_io + d as u64);
            set(QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, dma_io + a as u64);
            set(QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH, dma_io + u as u64);
            wr(t, QUEUE_READY, 1);
            queues.push((q, size, dv.cast::<Desc>(), av.cast::<u16>(), uv));
        }
        let hdrs = take(n * HDR_STRIDE);
        let mac = {
            let mut m = [0u8; 6];
            for (i, b) in m.iter_mut().enumerate() {
                // SAFETY: the device configuration space starts at 0x100.
                *b = unsafe { t.add(CONFIG + i).read_volatile() };
            }
            m
        };
        let mk = |(index, size, desc, avail, used): (u32, u16, *mut Desc, *mut u16, *mut u8), hdr_off: usize| Queue {
            index,
            size,
            desc,
            avail,
            used,
            avail_idx: 0,
            last_used: 0,
            notify: false,
            slots: alloc::vec![None; size as usize / 2],
            free: (0..size / 2).rev().collect(),
            // SAFETY: within the region (dma_bytes checked).
            hdr_virt: unsafe { dma.base().add(hdr_off) },
            hdr_io: dma_io + hdr_off as u64,
        };
        let rx = mk(queues[0], hdrs);
        let tx = mk(queues[1], hdrs + n / 2 * HDR_STRIDE);
        // Transmit headers are all zero (no offload, GSO_NONE); receive
        // headers are written by the device.
        // SAFETY: within the region.
        unsafe { core::ptr::write_bytes(rx.hdr_virt, 0, n * HDR_STRIDE) };
        wr(t, STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        if rd(t, STATUS) & FAILED != 0 {
            return Err("virtio: the device failed during initialisation".into());
        }
        Ok(Self {
            regs: t,
            regs_phys: regs.phys_addr().map(|p| p + (k * TRANSPORT_SIZE) as u64),
            rx,
            tx,
            mac,
            rx_bad_len: 0,
            bad_used: 0,
        })
    }

    fn kick(&mut self, rx: bool) {
        let q = if rx { &mut self.rx } else { &mut self.tx };
        if q.notify {
            q.notify = false;
            fence(Ordering::SeqCst);
            wr(self.regs, QUEUE_NOTIFY, q.index);
        }
    }

    pub fn mac(&self) -> [u8; 6] {
        self.mac
    }

    /// Used elements the device returned that named no posted buffer.
    pub fn bad_used(&self) -> u64 {
        self.bad_used
    }
}

impl NetDevice for VirtioNet {
    fn rx_space(&self) -> usize {
        self.rx.free.len()
    }

    fn post_rx(&mut self, buf: DevBuf) {
        let Some(slot) = self.rx.free.pop() else {
            panic!("virtio: post_rx without space (the driver checks rx_space)");
        };
        self.rx.post(slot, buf, BUFFER_SIZE as u32, true);
    }

    fn poll_rx(&mut self) -> Option<(DevBuf, u16)> {
        self.kick(true);
        loop {
            let (id, len) = self.rx.pop_used()?;
            let Some((slot, buf)) = self.rx.take(id) else {
                self.bad_used += 1;
                continue;
            };
            self.rx.free.push(slot);
            // `len` counts the header and the frame the device wrote.
            match (len as usize).checked_sub(NET_HDR_LEN) {
                Some(n) if n > 0 && n <= BUFFER_SIZE => return Some((buf, n as u16)),
                _ => {
                    // Nothing usable: give the buffer straight back.
                    self.rx_bad_len += 1;
                    let slot = self.rx.free.pop().expect("just freed");
                    self.rx.post(slot, buf, BUFFER_SIZE as u32, true);
                    self.kick(true);
                }
            }
        }
    }

    fn tx_space(&self) -> usize {
        self.tx.free.len()
    }

    fn post_tx(&mut self, buf: DevBuf, len: u16) {
        let Some(slot) = self.tx.free.pop() else {
            panic!("virtio: post_tx without space (the driver checks tx_space)");
        };
        self.tx.post(slot, buf, len as u32, false);
    }

    fn poll_tx(&mut self) -> Option<DevBuf> {
        self.kick(false);
        loop {
            let (id, _) = self.tx.pop_used()?;
            match self.tx.take(id) {
                Some((slot, buf)) => {
                    self.tx.free.push(slot);
                    return Some(buf);
                }
                None => self.bad_used += 1,
            }
        }
    }

    fn flush(&mut self) {
        self.kick(true);
        self.kick(false);
    }

    fn input_done(&self) -> bool {
        false
    }

    fn take_posted_rx(&mut self) -> Vec<DevBuf> {
        // Stop the device first: it must not write a buffer we hand back.
        wr(self.regs, STATUS, 0);
        let mut v = Vec::new();
        for (slot, b) in self.rx.slots.iter_mut().enumerate() {
            if let Some(b) = b.take() {
                v.push(b);
                self.rx.free.push(slot as u16);
            }
        }
        v
    }

    /// Completions without a usable frame, and used elements that named
    /// no posted buffer (both device errors; published as `rx_dev_dropped`).
    fn rx_dropped(&self) -> u64 {
        self.rx_bad_len + self.bad_used
    }

    fn ack_interrupt(&mut self) {
        let s = rd(self.regs, INTERRUPT_STATUS);
        if s != 0 {
            wr(self.regs, INTERRUPT_ACK, s);
        }
    }

    fn describe(&self) -> String {
        let m = self.mac;
        format!(
            "virtio-net (virtio-mmio 1.x{}, mac {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}, {} rx + {} tx buffers)",
            self.regs_phys.map_or(String::new(), |p| format!(" at {p:#x}")),
            m[0],
            m[1],
            m[2],
            m[3],
            m[4],
            m[5],
            self.rx.buffers(),
            self.tx.buffers()
        )
    }
}

#[cfg(test)]
mod tests {
    //! The driver against a device simulated in plain memory: the test
    //! plays the device's part of the split virtqueue protocol (physical
    //! address = virtual address here).
    use super::*;
    use alloc::vec;

    const T: usize = 0xe00; // the transport QEMU's first device uses

    struct Fake {
        regs: Vec<u32>,
        dma: Vec<u64>,
        bufs: Vec<u64>,
    }

    impl Fake {
        fn new(version: u32) -> Self {
            let mut regs = vec![0u32; 0x1000 / 4];
            let mut set = |off: usize, v: u32| regs[(T + off) / 4] = v;
            set(MAGIC, MAGIC_VALUE);
            set(VERSION, version);
            set(DEVICE_ID, NET_DEVICE_ID);
            // Read for either feature word: VERSION_1 (bit 32) and MAC (bit 5).
            set(DEVICE_FEATURES, 1 | 1 << 5);
            set(QUEUE_NUM_MAX, 256);
            set(CONFIG, u32::from_le_bytes([0x52, 0x54, 0, 0x12]));
            set(CONFIG + 4, u32::from_le_bytes([0x34, 0x56, 0, 0]));
            Self { regs, dma: vec![0u64; 0x10000 / 8], bufs: vec![0u64; 8 * BUFFER_SIZE / 8] }
        }

        fn regions(&mut self, phys: bool) -> (MemoryRegion, MemoryRegion) {
            // SAFETY: the vectors outlive the regions in each test.
            let r = unsafe { MemoryRegion::from_raw("virtio_regs", self.regs.as_mut_ptr().cast(), 0x1000, true) };
            let d = unsafe { MemoryRegion::from_raw("virtio_dma", self.dma.as_mut_ptr().cast(), 0x10000, true) };
            let d = if phys { d.with_phys_addr(d.base() as u64) } else { d };
            (r, d)
        }

        fn buf(&mut self, i: usize) -> DevBuf {
            let ptr = unsafe { self.bufs.as_mut_ptr().cast::<u8>().add(i * BUFFER_SIZE) };
            DevBuf { io: ptr as u64, ptr }
        }

        fn base(&self) -> *mut u8 {
            self.dma.as_ptr() as *mut u8
        }

        /// Queue `q`'s (descriptor table, avail ring, used ring) for n = 256.
        fn rings(&self, q: usize) -> (*mut Desc, *mut u16, *mut u8) {
            let per = 3 * 4096;
            let b = self.base();
            unsafe { (b.add(q * per).cast(), b.add(q * per + 4096).cast(), b.add(q * per + 8192)) }
        }

        /// The device takes avail entry `k` of queue `q`: (head, descriptors of the chain).
        fn avail(&self, q: usize, k: u16) -> (u16, Vec<Desc>) {
            let (desc, avail, _) = self.rings(q);
            unsafe {
                let head = avail.add(2 + k as usize % 256).read_volatile();
                let mut chain = vec![desc.add(head as usize).read_volatile()];
                while chain.last().unwrap().flags & DESC_NEXT != 0 {
                    let next = chain.last().unwrap().next;
                    chain.push(desc.add(next as usize).read_volatile());
                }
                (head, chain)
            }
        }

        fn avail_idx(&self, q: usize) -> u16 {
            unsafe { self.rings(q).1.add(1).read_volatile() }
        }

        /// The device returns chain `id` with `len` bytes written.
        fn used(&self, q: usize, id: u32, len: u32) {
            let (_, _, used) = self.rings(q);
            unsafe {
                let idx = used.add(2).cast::<u16>().read_volatile();
                let at = 4 + 8 * (idx % 256) as usize;
                used.add(at).cast::<u32>().write_volatile(id);
                used.add(at + 4).cast::<u32>().write_volatile(len);
                used.add(2).cast::<u16>().write_volatile(idx.wrapping_add(1));
            }
        }

        fn reg(&self, off: usize) -> u32 {
            self.regs[(T + off) / 4]
        }
    }

    #[test]
    fn initialises_and_moves_frames_both_ways() {
        let mut f = Fake::new(2);
        let (r, d) = f.regions(true);
        let mut dev = VirtioNet::open(&r, &d).unwrap();
        assert_eq!(f.reg(STATUS), ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        assert_eq!(f.reg(QUEUE_READY), 1);
        assert_eq!(dev.mac(), [0x52, 0x54, 0, 0x12, 0x34, 0x56]);
        assert_eq!((dev.rx_space(), dev.tx_space()), (128, 128));

        // Receive: two buffers posted, each a header + buffer chain the device writes.
        let (b0, b1) = (f.buf(0), f.buf(1));
        dev.post_rx(b0);
        dev.post_rx(b1);
        assert_eq!(f.avail_idx(0), 2);
        let (h0, chain) = f.avail(0, 0);
        assert_eq!(chain.len(), 2);
        assert_eq!((chain[0].len as usize, chain[0].flags), (NET_HDR_LEN, DESC_NEXT | DESC_WRITE));
        assert_eq!((chain[1].addr, chain[1].len as usize, chain[1].flags), (b0.io, BUFFER_SIZE, DESC_WRITE));
        assert!(dev.poll_rx().is_none());
        unsafe { core::ptr::write_bytes(b0.ptr, 0xab, 60) };
        f.used(0, h0 as u32, (NET_HDR_LEN + 60) as u32);
        assert_eq!(dev.poll_rx(), Some((b0, 60)));
        assert_eq!(dev.rx_space(), 127);

        // Bad completions: an id that is no posted chain head is ignored
        // and counted; a length with no frame re-posts the buffer.
        f.used(0, 3, 100);
        f.used(0, h0 as u32, 100); // already returned
        let (h1, _) = f.avail(0, 1);
        f.used(0, h1 as u32, 4);
        assert!(dev.poll_rx().is_none());
        assert_eq!((dev.bad_used(), dev.rx_dropped()), (2, 3));
        assert_eq!(f.avail_idx(0), 3, "the buffer of the empty completion went back to the device");
        let (_, chain) = f.avail(0, 2);
        assert_eq!(chain[1].addr, b1.io);
        f.used(0, h1 as u32, (NET_HDR_LEN + BUFFER_SIZE + 1) as u32);
        assert!(dev.poll_rx().is_none());
        assert_eq!(dev.rx_dropped(), 4);

        // Transmit: the device reads the header and `len` bytes.
        let b2 = f.buf(2);
        dev.post_tx(b2, 1514);
        let (ht, chain) = f.avail(1, 0);
        assert_eq!((chain[0].len as usize, chain[0].flags), (NET_HDR_LEN, DESC_NEXT));
        assert_eq!((chain[1].addr, chain[1].len, chain[1].flags), (b2.io, 1514, 0));
        assert!(dev.poll_tx().is_none());
        f.used(1, ht as u32, 0);
        assert_eq!(dev.poll_tx(), Some(b2));
        assert_eq!(dev.tx_space(), 128);

        // A stop resets the device and hands back what it still holds.
        assert_eq!(dev.take_posted_rx(), vec![b1]);
        assert_eq!(f.reg(STATUS), 0);
    }

    #[test]
    fn refuses_what_it_cannot_drive() {
        let mut f = Fake::new(1);
        let (r, d) = f.regions(true);
        let e = VirtioNet::open(&r, &d).err().unwrap();
        assert!(e.contains("force-legacy=false"), "{e}");

        let mut f = Fake::new(2);
        let (r, d) = f.regions(false);
        let e = VirtioNet::open(&r, &d).err().unwrap();
        assert!(e.contains("no physical address"), "{e}");

        let mut f = Fake::new(2);
        f.regs[(T + DEVICE_ID) / 4] = 2; // a block device
        let (r, d) = f.regions(true);
        let e = VirtioNet::open(&r, &d).err().unwrap();
        assert!(e.contains("no virtio-net device") && e.contains("device 2"), "{e}");

        let mut f = Fake::new(2);
        f.regs[(T + DEVICE_FEATURES) / 4] = 1 << 5; // no VERSION_1
        let (r, d) = f.regions(true);
        let e = VirtioNet::open(&r, &d).err().unwrap();
        assert!(e.contains("VIRTIO_F_VERSION_1"), "{e}");
        assert_eq!(f.reg(STATUS), FAILED);
    }
}
