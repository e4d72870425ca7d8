//! The VIF domain: receives packets its parent (the classifier, or a parent
//! VIF) copied into its own buffers, runs them through its packet
//! processor, and sends what the processor dequeues to the transmit
//! virtualiser or splits it to child VIFs by its route table.
//!
//! Rings: `rx` with the parent (we empty it: [`ActiveConsumer`]), `tx` with
//! the transmit virtualiser (we fill it), `child{k}` with each child (we
//! fill the child's buffers, as the classifier fills ours). One pool,
//! `data`, serves both directions: a received buffer is transmitted as it
//! is (no copy), and comes back on the transmit free ring.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use net_queue::{ActiveConsumer, ActiveProducer, BuffDesc, BUFFER_SIZE};
use pd_netdriver::classify::{RouteTable, Target};
use pd_netdriver::config::{NodeConfig, Overflow};
use pd_netdriver::shared::{DataRegion, Downstream};
use pd_netdriver::stats::StatsWriter;
use pd_netdriver::virt::route_table;

use crate::packet::{BufState, Packet, Pool, Returns};
use crate::processor::{from_config, PacketProcessor};
use crate::viflet::JavaHost;

/// Channel ids of a VIF domain.
pub mod channel {
    use ipc_bindings::Channel;
    pub const PARENT: Channel = Channel::new(0);
    pub const TX: Channel = Channel::new(1);
    pub const CTL: Channel = Channel::new(2);
    /// Child VIF `k` is on channel `FIRST_CHILD + k`.
    pub const FIRST_CHILD: usize = 3;
}

/// Packets asked of the processor at a time.
pub const DEQUEUE_BATCH: usize = 32;

/// Packets taken from the parent before they are sent on and the next
/// domains told: they work on these while this one takes the next.
pub const RECEIVE_BATCH: usize = 64;

pub const VIF_COUNTERS: &[&str] = &[
    "in",
    "out_tx",
    "out_child",
    "dropped_processor",
    "dropped_route",
    "dropped_nobuf",
    "forgotten_reclaimed",
    "bad_desc",
    "held",
    "pool_total",
    "pool_free",
    "pool_posted",
    "pool_processor",
    "pool_tx",
    "enqueue_calls",
    "dequeue_calls",
    "wakeups",
    "blocked",
    "pool_ok",
    "processor_faults",
    "processor_swaps",
    "jit_methods",
];

mod c {
    pub const IN: usize = 0;
    pub const OUT_TX: usize = 1;
    pub const OUT_CHILD: usize = 2;
    pub const DROPPED_PROC: usize = 3;
    pub const DROPPED_ROUTE: usize = 4;
    pub const DROPPED_NOBUF: usize = 5;
    pub const FORGOTTEN: usize = 6;
    pub const BAD: usize = 7;
    pub const HELD: usize = 8;
    pub const POOL_TOTAL: usize = 9;
    pub const POOL_FREE: usize = 10;
    pub const POOL_POSTED: usize = 11;
    pub const POOL_PROCESSOR: usize = 12;
    pub const POOL_TX: usize = 13;
    pub const ENQ: usize = 14;
    pub const DEQ: usize = 15;
    pub const WAKEUPS: usize = 16;
    pub const BLOCKED: usize = 17;
    pub const POOL_OK: usize = 18;
    pub const FAULTS: usize = 19;
    pub const SWAPS: usize = 20;
    /// Methods of the VIFlet's class and of `Batch` that run compiled.
    pub const JIT: usize = 21;
    pub const N: usize = 22;
}

pub struct Vif {
    parent: ActiveConsumer,
    tx: ActiveProducer,
    data: DataRegion,
    pool: Pool,
    pub children: Vec<Downstream>,
    table: RouteTable,
    overflow: Overflow,
    processor: Box<dyn PacketProcessor>,
    /// The configuration the processor was built from.
    node: NodeConfig,
    /// Faults of the processors replaced so far.
    faults_before: u64,
    /// The processor's `code_changes` when `jit_methods` was last counted.
    code_changes_seen: u64,
    returns: Rc<Returns>,
    /// A packet waiting for a child's free buffer (overflow = wait).
    pending: Option<(Packet, usize)>,
    /// Packets dequeued after `pending` in its batch: sent before the
    /// processor is asked for more.
    dequeued: Vec<Packet>,
    /// Arrived packets, handed to the processor together.
    arrived: Vec<Packet>,
    /// Packets the processor gave for sending, routed one by one.
    batch: Vec<Packet>,
    posted: bool,
    sent: bool,
    v: [u64; c::N],
    stats: StatsWriter,
}

impl Vif {
    /// Attaches to the domain's rings (`rx`, `tx`, `child{k}`) and pool
    /// (`data`), builds the configured processor and route table, and
    /// posts every buffer to the parent.
    pub fn new(
        cfg: &NodeConfig,
        stats: &ipc_bindings::MemoryRegion,
        parent_name: &str,
        host: &JavaHost,
    ) -> Result<Self, String> {
        let data = DataRegion::find("data")?;
        let parent = pd_netdriver::shared::consumer("rx", data.nbufs)?;
        let tx = pd_netdriver::shared::producer("tx", data.nbufs)?;
        let children = Downstream::attach_all(channel::FIRST_CHILD)?;
        let names: Vec<String> = children.iter().map(|c| c.name.clone()).collect();
        let table = route_table(cfg, &names, Target::Tx)?;
        let processor = from_config(cfg, data.nbufs, host)?;
        let stats = StatsWriter::from_region(stats, "vif", ipc_bindings::pd_name(), parent_name, VIF_COUNTERS)?;
        let mut info = processor.name().to_string();
        if !table.routes.is_empty() || !children.is_empty() {
            info.push_str(&alloc::format!(" routes={} default={:?}", table.routes.len(), table.default));
        }
        stats.set_info(&info);
        let mut vif = Self {
            parent,
            tx,
            pool: Pool::new(data.nbufs),
            data,
            children,
            table,
            overflow: cfg.overflow,
            processor,
            node: cfg.clone(),
            faults_before: 0,
            code_changes_seen: 0,
            returns: Rc::new(Returns::default()),
            pending: None,
            dequeued: Vec::new(),
            arrived: Vec::new(),
            batch: Vec::new(),
            posted: false,
            sent: false,
            v: [0; c::N],
            stats,
        };
        vif.replenish();
        vif.notify_phase();
        vif.publish();
        Ok(vif)
    }

    pub fn processor_name(&self) -> &str {
        self.processor.name()
    }

    /// A new configuration for this VIF: if its processor settings
    /// changed, builds the new processor and hands it what the old one
    /// held, in the old one's order, then drops the old one. It runs
    /// between two wakeups, so arrivals wait in the receive ring: none is
    /// lost or seen twice. If the new processor cannot be built, the old
    /// one keeps running and the error is returned.
    pub fn reconfigure(&mut self, cfg: &NodeConfig, host: &JavaHost) -> Result<bool, String> {
        if cfg.processor == self.node.processor && cfg.java == self.node.java && cfg.keep == self.node.keep {
            return Ok(false);
        }
        let mut new = from_config(cfg, self.pool.total(), host)?;
        for p in self.processor.take_all() {
            new.enqueue(p);
        }
        // What the old one would not give up (a Rust processor's packets
        // go back when it is dropped) is counted as dropped.
        let old = core::mem::replace(&mut self.processor, new);
        drop(old);
        self.reap_dropped();
        self.node.processor = cfg.processor.clone();
        self.node.java = cfg.java.clone();
        self.node.keep = cfg.keep.clone();
        self.v[c::SWAPS] += 1;
        // processor_faults counts over every processor this VIF ran.
        self.faults_before = self.v[c::FAULTS];
        self.stats.set_info(&self.processor.info());
        Ok(true)
    }

    /// Handles a wakeup: everything that can move, a receive batch at a
    /// time, each followed by its notifications.
    pub fn process(&mut self) {
        self.v[c::WAKEUPS] += 1;
        loop {
            self.collect_tx();
            let more = self.receive();
            self.drain_output();
            self.reclaim_forgotten();
            self.replenish();
            // The transmit path sends this batch and the parent refills
            // its buffers while we take the next: with the whole ring at
            // once, the domains would take turns instead of overlapping.
            self.notify_phase();
            if more {
                continue;
            }
            // Low on buffers (most are on the transmit path)? Ask to be told
            // when they come back, double-checking as the protocol demands.
            let home = self.pool.count(BufState::Free) + self.pool.count(BufState::Posted);
            if home >= self.pool.total() / 2 || !self.tx.request_signal_free() {
                break;
            }
        }
        self.publish();
    }

    fn collect_tx(&mut self) {
        while let Some(d) = self.tx.dequeue_free() {
            match self.data.index_of_offset(d.io_or_offset) {
                Some(i) if self.pool.to(i, BufState::Tx, BufState::Free) => {}
                _ => self.v[c::BAD] += 1,
            }
        }
    }

    /// Hands arrivals to the processor, up to [`RECEIVE_BATCH`]; `true`
    /// if it stopped there (more may wait, and no signal was asked for).
    fn receive(&mut self) -> bool {
        let mut n = 0;
        loop {
            while n < RECEIVE_BATCH {
                let Some(d) = self.parent.dequeue_active() else { break };
                n += 1;
                let Some(i) = self.data.index_of_offset(d.io_or_offset) else {
                    self.v[c::BAD] += 1;
                    continue;
                };
                if d.len == 0 || d.len as usize > BUFFER_SIZE {
                    if !self.pool.to(i, BufState::Posted, BufState::Free) {
                        self.v[c::BAD] += 1;
                    }
                    continue;
                }
                if !self.pool.to(i, BufState::Posted, BufState::Processor) {
                    self.v[c::BAD] += 1;
                    continue;
                }
                self.v[c::IN] += 1;
                self.v[c::ENQ] += 1;
                // SAFETY: buffer i of our pool, now held for this packet alone.
                let p = unsafe { Packet::new(i, d.len, self.data.buf(i), self.returns.clone()) };
                self.arrived.push(p);
            }
            if !self.arrived.is_empty() {
                self.processor.enqueue_all(&mut self.arrived);
                self.reap_dropped();
            }
            if n == RECEIVE_BATCH {
                return true;
            }
            if !self.parent.request_signal_active() {
                return false;
            }
        }
    }

    /// Buffers of packets the processor dropped go back to the pool.
    fn reap_dropped(&mut self) {
        let mut dropped = 0;
        for i in self.returns.take() {
            if self.pool.to(i, BufState::Processor, BufState::Free) {
                dropped += 1;
            } else {
                self.v[c::BAD] += 1;
            }
        }
        let forgotten = self.processor.take_forgotten().min(dropped);
        self.v[c::DROPPED_PROC] += dropped - forgotten;
        self.v[c::FORGOTTEN] += forgotten;
    }

    fn release(&mut self, p: Packet) {
        let (i, _) = p.into_raw();
        self.pool.to(i, BufState::Processor, BufState::Free);
    }

    /// Sends one dequeued packet on its way; `Err(p)` if it must wait.
    fn route(&mut self, p: Packet) -> Result<(), (Packet, usize)> {
        let (target, _) = self.table.route(p.data());
        match target {
            Target::Tx => {
                let (i, len) = p.into_raw();
                let d = BuffDesc::new(i as u64 * BUFFER_SIZE as u64, len);
                if self.tx.enqueue_active(d).is_ok() {
                    self.pool.to(i, BufState::Processor, BufState::Tx);
                    self.v[c::OUT_TX] += 1;
                    self.sent = true;
                } else {
                    self.pool.to(i, BufState::Processor, BufState::Free);
                    self.v[c::DROPPED_NOBUF] += 1;
                }
            }
            Target::Child(k) => {
                if self.children[k].deliver(p.data()) {
                    self.v[c::OUT_CHILD] += 1;
                    self.release(p);
                } else if self.overflow == Overflow::Wait {
                    return Err((p, k));
                } else {
                    self.v[c::DROPPED_NOBUF] += 1;
                    self.release(p);
                }
            }
            Target::Drop => {
                self.v[c::DROPPED_ROUTE] += 1;
                self.release(p);
            }
        }
        Ok(())
    }

    /// Dequeues while the output can take packets.
    fn drain_output(&mut self) {
        if let Some((p, k)) = self.pending.take() {
            if let Err(w) = self.retry(p, k) {
                self.pending = Some(w);
                return;
            }
        }
        loop {
            let mut batch = core::mem::take(&mut self.batch);
            // A batch that comes back short is the processor's last for now.
            let last = if self.dequeued.is_empty() {
                self.v[c::DEQ] += 1;
                self.processor.dequeue_into(&mut batch, DEQUEUE_BATCH);
                self.reap_dropped();
                batch.len() < DEQUEUE_BATCH
            } else {
                batch.append(&mut self.dequeued);
                false
            };
            if batch.is_empty() {
                self.batch = batch;
                return;
            }
            let mut ps = batch.drain(..);
            while let Some(p) = ps.next() {
                if let Err((p, k)) = self.route(p) {
                    if let Err(w) = self.retry(p, k) {
                        self.pending = Some(w);
                        self.dequeued.extend(ps);
                        self.batch = batch;
                        return;
                    }
                }
            }
            drop(ps);
            self.batch = batch;
            if last {
                return;
            }
        }
    }

    fn retry(&mut self, p: Packet, k: usize) -> Result<(), (Packet, usize)> {
        loop {
            if self.children[k].deliver(p.data()) {
                self.v[c::OUT_CHILD] += 1;
                self.release(p);
                return Ok(());
            }
            if !self.children[k].want_free() {
                self.v[c::BLOCKED] += 1;
                return Err((p, k));
            }
        }
    }

    /// Buffers the pool counts as held that the processor does not: it
    /// forgot them. Only decidable when it holds nothing.
    fn reclaim_forgotten(&mut self) {
        if self.pending.is_some() || !self.dequeued.is_empty() || self.processor.backlog() != 0 {
            return;
        }
        let lost: Vec<u32> = self.pool.in_state(BufState::Processor).collect();
        for i in lost {
            self.pool.to(i, BufState::Processor, BufState::Free);
            self.v[c::FORGOTTEN] += 1;
        }
    }

    /// Every free buffer goes to the parent to be filled.
    fn replenish(&mut self) {
        while let Some(i) = self.pool.take_free(BufState::Posted) {
            if self.parent.enqueue_free(BuffDesc::new(i as u64 * BUFFER_SIZE as u64, 0)).is_err() {
                self.pool.to(i, BufState::Posted, BufState::Free);
                break;
            }
            self.posted = true;
        }
    }

    fn notify_phase(&mut self) {
        if core::mem::take(&mut self.posted) {
            if self.parent.signal_free() {
                channel::PARENT.notify();
            }
        } else {
            self.parent.flush();
        }
        if core::mem::take(&mut self.sent) {
            if self.tx.signal_active() {
                channel::TX.notify();
            }
        } else {
            self.tx.flush();
        }
        for ch in &mut self.children {
            ch.notify_phase();
        }
    }

    fn publish(&mut self) {
        self.v[c::HELD] = self.processor.backlog() as u64 + self.pending.is_some() as u64 + self.dequeued.len() as u64;
        let faults = self.faults_before + self.processor.faults();
        if faults != self.v[c::FAULTS] {
            self.stats.set_info(&self.processor.info());
        }
        self.v[c::FAULTS] = faults;
        self.v[c::POOL_TOTAL] = self.pool.total() as u64;
        self.v[c::POOL_FREE] = self.pool.count(BufState::Free) as u64;
        self.v[c::POOL_POSTED] = self.pool.count(BufState::Posted) as u64;
        self.v[c::POOL_PROCESSOR] = self.pool.count(BufState::Processor) as u64;
        self.v[c::POOL_TX] = self.pool.count(BufState::Tx) as u64;
        // The full O(pool) consistency check, now and then.
        let now_and_then = self.v[c::WAKEUPS] % 64 == 1;
        if now_and_then {
            self.v[c::POOL_OK] = self.pool.check() as u64;
        }
        // The compiled methods, counted by class and name: when the JIT
        // compiled or dropped code since (or now and then, for a swapped
        // processor), so the last figure is never one compile behind.
        let changes = self.processor.code_changes();
        if now_and_then || changes != self.code_changes_seen {
            self.code_changes_seen = changes;
            self.v[c::JIT] = self.processor.compiled_methods();
        }
        self.stats.publish(&self.v);
    }

    /// The pool's buffers by state: (free, posted, processor, tx).
    pub fn pool_counts(&self) -> (u32, u32, u32, u32) {
        (
            self.pool.count(BufState::Free),
            self.pool.count(BufState::Posted),
            self.pool.count(BufState::Processor),
            self.pool.count(BufState::Tx),
        )
    }
}
