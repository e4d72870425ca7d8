//! The two virtualisers between the driver and the VIF domains, after
//! sDDF's `network/components/virt_rx.c` and `virt_tx.c`.
//!
//! * [`Classifier`] (receive side, the root of the VIF tree): owns the
//!   receive DMA pool and keeps the driver's free ring stocked; routes each
//!   frame by the route table and *copies* it into a buffer of the target
//!   VIF (sDDF's copy component folded in: no VIF ever maps the DMA pool),
//!   or into its own bypass pool for straight transmission, or drops it.
//! * [`VirtTx`] (transmit side): merges the transmit rings of its clients
//!   (VIFs and the bypass) into the driver's, translating buffer offsets to
//!   IO addresses, and hands sent buffers back to their owners.
//!
//! Both keep, per buffer, whether the driver holds it; when the driver
//! stops (swap or crash), `reset_driver` reclaims exactly the buffers the
//! stopped driver held and leaves everything queued in the rings for the
//! next driver.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use ipc_bindings::{Channel, MemoryRegion};
use net_queue::{ActiveConsumer, ActiveProducer, BuffDesc, BUFFER_SIZE};

use crate::classify::{RouteTable, Target, TargetName};
use crate::config::{NodeConfig, Overflow};
use crate::shared::{DataRegion, Downstream, TxClient};
use crate::stats::StatsWriter;

/// Resolves a node's configured routes against its children's names.
pub fn route_table(cfg: &NodeConfig, children: &[String], default_if_unset: Target) -> Result<RouteTable, String> {
    let resolve = |t: &TargetName| -> Result<Target, String> {
        match t {
            TargetName::Tx => Ok(Target::Tx),
            TargetName::Drop => Ok(Target::Drop),
            TargetName::Named(n) => children
                .iter()
                .position(|c| c == n)
                .map(Target::Child)
                .ok_or_else(|| alloc::format!("route target '{n}' is not a child here (children: {children:?})")),
        }
    };
    let mut table = RouteTable::new(match &cfg.default {
        Some(t) => resolve(t)?,
        None => default_if_unset,
    });
    for (rule, t) in &cfg.routes {
        table.routes.push((rule.clone(), resolve(t)?));
    }
    Ok(table)
}

/// Channel ids of the classifier.
pub mod classifier_channel {
    use ipc_bindings::Channel;
    pub const DRIVER: Channel = Channel::new(0);
    pub const TX: Channel = Channel::new(1);
    pub const CTL: Channel = Channel::new(2);
    /// Child VIF `k` is on channel `FIRST_CHILD + k`.
    pub const FIRST_CHILD: usize = 3;
}

/// Frames the classifier takes from the driver between notification
/// phases.
const RX_BATCH: u64 = 64;

/// Fixed counters of the classifier; `route{i}` hit counters follow.
pub const CLASSIFIER_COUNTERS: &[&str] = &[
    "rx",
    "delivered",
    "bypass",
    "dropped_rule",
    "dropped_nobuf",
    "bad_desc",
    "unused_returned",
    "driver_resets",
    "reclaimed",
    "wakeups",
    "blocked",
];

mod cc {
    pub const RX: usize = 0;
    pub const DELIVERED: usize = 1;
    pub const BYPASS: usize = 2;
    pub const DROPPED_RULE: usize = 3;
    pub const DROPPED_NOBUF: usize = 4;
    pub const BAD: usize = 5;
    pub const UNUSED: usize = 6;
    pub const RESETS: usize = 7;
    pub const RECLAIMED: usize = 8;
    pub const WAKEUPS: usize = 9;
    pub const BLOCKED: usize = 10;
    pub const N: usize = 11;
}

/// Reply labels of the virtualisers' protected calls.
pub mod ppc {
    /// netctl -> virtualiser: the driver stopped; reclaim what it held.
    /// Reply MR0: buffers reclaimed.
    pub const RESET_DRIVER: u64 = 1;
    pub const OK: u64 = 0;
    pub const BAD_REQUEST: u64 = 1;
}

pub struct Classifier {
    drv: ActiveConsumer,
    rx_data: DataRegion,
    /// Buffers handed to the driver (in its free ring, posted, or filled
    /// and on their way back).
    with_driver: Vec<bool>,
    pub children: Vec<Downstream>,
    bypass: Option<TxClient>,
    table: RouteTable,
    overflow: Overflow,
    v: [u64; cc::N],
    route_hits: Vec<u64>,
    stats: StatsWriter,
    returned: bool,
    own_bad: u64,
}

impl Classifier {
    /// Attaches to the driver pair (`rx_free`/`rx_active`, `rx_data`), the
    /// children and the bypass pool, and stocks the driver's free ring
    /// with every receive buffer.
    pub fn new(cfg: &NodeConfig, stats: &MemoryRegion) -> Result<Self, String> {
        let rx_data = DataRegion::find("rx_data")?;
        let mut drv = crate::shared::consumer("rx", rx_data.nbufs)?;
        let children = Downstream::attach_all(classifier_channel::FIRST_CHILD)?;
        let bypass =
            if crate::shared::has_region("tx_data") { Some(TxClient::attach(classifier_channel::TX)?) } else { None };
        let names: Vec<String> = children.iter().map(|c| c.name.clone()).collect();
        let default = if children.is_empty() { Target::Tx } else { Target::Child(0) };
        let table = route_table(cfg, &names, default)?;
        if bypass.is_none() && (table.default == Target::Tx || table.routes.iter().any(|(_, t)| *t == Target::Tx)) {
            return Err("a route goes to tx (bypass) but the classifier maps no tx_data pool".to_string());
        }
        let mut counters: Vec<String> = CLASSIFIER_COUNTERS.iter().map(|s| s.to_string()).collect();
        for i in 0..=table.routes.len() {
            counters.push(if i == table.routes.len() { "route_default".into() } else { alloc::format!("route{i}") });
        }
        let names_ref: Vec<&str> = counters.iter().map(|s| s.as_str()).collect();
        let stats = StatsWriter::from_region(stats, "classifier", ipc_bindings::pd_name(), "driver", &names_ref)?;
        let mut info = String::new();
        for (rule, t) in &table.routes {
            info.push_str(&alloc::format!("{rule}->{t:?}; "));
        }
        info.push_str(&alloc::format!("default->{:?}", table.default));
        stats.set_info(&info);
        // Every receive buffer starts in the driver's free ring (sDDF's
        // net_buffers_init), unless a previous classifier already did.
        let mut with_driver = alloc::vec![false; rx_data.nbufs as usize];
        let mut seen = 0;
        drv.for_each_pending_free(|_| seen += 1);
        if seen == 0 && drv.active_len() == 0 {
            for i in 0..rx_data.nbufs {
                let _ = drv.enqueue_free(BuffDesc::new(rx_data.io_base + i as u64 * BUFFER_SIZE as u64, 0));
                with_driver[i as usize] = true;
            }
        } else {
            with_driver.iter_mut().for_each(|w| *w = true);
        }
        if drv.signal_free() {
            classifier_channel::DRIVER.notify();
        }
        let route_hits = alloc::vec![0; table.routes.len() + 1];
        Ok(Self {
            drv,
            rx_data,
            with_driver,
            children,
            bypass,
            table,
            overflow: cfg.overflow,
            v: [0; cc::N],
            route_hits,
            stats,
            returned: false,
            own_bad: 0,
        })
    }

    /// Handles a wakeup: frames from the driver, buffers back from the
    /// bypass path; then the notification phase.
    pub fn process(&mut self) {
        self.v[cc::WAKEUPS] += 1;
        if let Some(b) = self.bypass.as_mut() {
            b.collect();
        }
        self.rx_return(self.overflow);
        self.notify_phase();
        self.publish();
    }

    fn notify_phase(&mut self) {
        for c in &mut self.children {
            c.notify_phase();
        }
        if let Some(b) = self.bypass.as_mut() {
            b.notify_phase();
        }
        if self.returned {
            self.returned = false;
            if self.drv.signal_free() {
                classifier_channel::DRIVER.notify();
            }
        } else {
            self.drv.flush();
        }
    }

    fn publish(&mut self) {
        self.v[cc::DELIVERED] = self.children.iter().map(|c| c.delivered).sum();
        self.v[cc::BYPASS] = self.bypass.as_ref().map_or(0, |b| b.sent);
        self.v[cc::BAD] = self.own_bad
            + self.children.iter().map(|c| c.bad_buffers).sum::<u64>()
            + self.bypass.as_ref().map_or(0, |b| b.bad_buffers);
        self.stats.publish(&self.v);
        for (i, &h) in self.route_hits.iter().enumerate() {
            self.stats.set(cc::N + i, h);
        }
    }

    fn give_back(&mut self, i: u32) {
        let io = self.rx_data.io_base + i as u64 * BUFFER_SIZE as u64;
        if self.drv.enqueue_free(BuffDesc::new(io, 0)).is_ok() {
            self.with_driver[i as usize] = true;
            self.returned = true;
        }
    }

    /// Frames from the driver's active ring (sDDF `rx_return`), with a
    /// notification phase after every [`RX_BATCH`].
    fn rx_return(&mut self, overflow: Overflow) {
        loop {
            let mut blocked = false;
            while let Some(d) = self.drv.peek_active() {
                let i = match self.rx_data.index_of_io(d.io_or_offset) {
                    Some(i) if self.with_driver[i as usize] => i,
                    _ => {
                        self.drv.dequeue_active();
                        self.own_bad += 1;
                        continue;
                    }
                };
                if d.len == 0 {
                    self.drv.dequeue_active();
                    self.with_driver[i as usize] = false;
                    self.v[cc::UNUSED] += 1;
                    self.give_back(i);
                    continue;
                }
                let len = (d.len as usize).min(BUFFER_SIZE);
                // SAFETY: the driver handed this buffer over (it is in the
                // active ring); it is ours until we give it back.
                let frame = unsafe { self.rx_data.frame(i, len) };
                let (target, r) = self.table.route(frame);
                let ok = match target {
                    Target::Child(k) => self.children[k].deliver(frame),
                    Target::Tx => self.bypass.as_mut().is_some_and(|b| b.send(frame)),
                    Target::Drop => {
                        self.v[cc::DROPPED_RULE] += 1;
                        true
                    }
                };
                if !ok {
                    if overflow == Overflow::Wait {
                        let again = match target {
                            Target::Child(k) => self.children[k].want_free(),
                            _ => self.bypass.as_mut().is_some_and(|b| b.want_free()),
                        };
                        if again {
                            continue;
                        }
                        self.v[cc::BLOCKED] += 1;
                        blocked = true;
                        break;
                    }
                    self.v[cc::DROPPED_NOBUF] += 1;
                }
                self.route_hits[r] += 1;
                self.v[cc::RX] += 1;
                self.drv.dequeue_active();
                self.with_driver[i as usize] = false;
                self.give_back(i);
                // The children and the driver work on a batch while we
                // classify the next (as a VIF domain does, pd-vif).
                if self.v[cc::RX] % RX_BATCH == 0 {
                    self.notify_phase();
                }
            }
            // Blocked on a child: its returned buffers will wake us.
            if blocked || !self.drv.request_signal_active() {
                break;
            }
        }
    }

    /// The driver stopped (netctl's protected call, before it starts the
    /// next one): buffers in neither ring were held by the stopped driver
    /// and go back into the free ring; frames it had already queued stay
    /// queued and are classified as usual. Returns the buffers reclaimed.
    pub fn reset_driver(&mut self) -> u32 {
        // SAFETY: netctl calls this only between the driver's death and the
        // next driver's start.
        unsafe { self.drv.repair_stopped_peer() };
        let mut queued = alloc::vec![false; self.rx_data.nbufs as usize];
        let data = self.rx_data;
        let mut mark = |d: BuffDesc| {
            if let Some(i) = data.index_of_io(d.io_or_offset) {
                queued[i as usize] = true;
            }
        };
        self.drv.for_each_pending_free(&mut mark);
        self.drv.for_each_pending_active(&mut mark);
        let mut reclaimed = 0;
        for i in 0..self.rx_data.nbufs {
            if self.with_driver[i as usize] && !queued[i as usize] {
                self.with_driver[i as usize] = false;
                self.give_back(i);
                reclaimed += 1;
            }
        }
        self.drv.flush();
        self.returned = false;
        self.v[cc::RESETS] += 1;
        self.v[cc::RECLAIMED] += reclaimed as u64;
        self.publish();
        reclaimed
    }

    /// Receive buffers not accounted to the driver (all of them are, at
    /// rest: the classifier keeps none between wakeups).
    pub fn buffers_not_with_driver(&self) -> usize {
        self.with_driver.iter().filter(|w| !**w).count()
    }
}

/// Channel ids of the transmit virtualiser.
pub mod virt_tx_channel {
    use ipc_bindings::Channel;
    pub const DRIVER: Channel = Channel::new(0);
    pub const CTL: Channel = Channel::new(1);
    /// Client `k` (`client{k}_*` regions) is on channel `FIRST_CLIENT + k`.
    pub const FIRST_CLIENT: usize = 2;
}

pub const VIRT_TX_COUNTERS: &[&str] =
    &["tx", "returned", "bad_desc", "driver_resets", "dropped_in_driver", "wakeups", "driver_bad_return"];

mod tc {
    pub const TX: usize = 0;
    pub const RETURNED: usize = 1;
    pub const BAD: usize = 2;
    pub const RESETS: usize = 3;
    pub const DROPPED: usize = 4;
    pub const WAKEUPS: usize = 5;
    pub const DRV_BAD: usize = 6;
    pub const N: usize = 7;
}

struct Client {
    q: ActiveConsumer,
    data: DataRegion,
    with_driver: Vec<bool>,
    channel: Channel,
    returned: bool,
}

pub struct VirtTx {
    drv: ActiveProducer,
    clients: Vec<Client>,
    v: [u64; tc::N],
    stats: StatsWriter,
}

impl VirtTx {
    /// Attaches to the driver pair (`drv_free`/`drv_active`) and every
    /// client pair `client{k}` with its pool `client{k}_data` (mapped to
    /// learn its IO address).
    pub fn new(stats: &MemoryRegion) -> Result<Self, String> {
        let mut clients = Vec::new();
        while crate::shared::has_region(&alloc::format!("client{}_data", clients.len())) {
            let k = clients.len();
            let data = DataRegion::find(&alloc::format!("client{k}_data"))?;
            clients.push(Client {
                q: crate::shared::consumer(&alloc::format!("client{k}"), data.nbufs)?,
                with_driver: alloc::vec![false; data.nbufs as usize],
                data,
                channel: Channel::new(virt_tx_channel::FIRST_CLIENT + k),
                returned: false,
            });
        }
        let cap = clients.iter().map(|c| c.data.nbufs).sum::<u32>().next_power_of_two().max(1);
        let drv = crate::shared::producer("drv", cap)?;
        let stats = StatsWriter::from_region(stats, "virt_tx", ipc_bindings::pd_name(), "driver", VIRT_TX_COUNTERS)?;
        stats.set_info(&alloc::format!("{} clients", clients.len()));
        Ok(Self { drv, clients, v: [0; tc::N], stats })
    }

    pub fn process(&mut self) {
        self.v[tc::WAKEUPS] += 1;
        self.tx_return();
        self.tx_provide();
        self.stats.publish(&self.v);
    }

    /// Client frames to the driver (sDDF `tx_provide`).
    fn tx_provide(&mut self) {
        let mut enqueued = false;
        for c in &mut self.clients {
            loop {
                while let Some(d) = c.q.dequeue_active() {
                    let ok_len = d.len > 0 && d.len as usize <= BUFFER_SIZE;
                    match c.data.index_of_offset(d.io_or_offset) {
                        Some(i) if ok_len && !c.with_driver[i as usize] => {
                            let io = c.data.io_base + d.io_or_offset;
                            if self.drv.enqueue_active(BuffDesc::new(io, d.len)).is_ok() {
                                c.with_driver[i as usize] = true;
                                enqueued = true;
                                self.v[tc::TX] += 1;
                            } else {
                                self.v[tc::BAD] += 1;
                                let _ = c.q.enqueue_free(BuffDesc::new(d.io_or_offset, 0));
                                c.returned = true;
                            }
                        }
                        Some(i) if !c.with_driver[i as usize] => {
                            // A bad length: give it straight back, like sDDF.
                            self.v[tc::BAD] += 1;
                            let _ = c.q.enqueue_free(BuffDesc::new(d.io_or_offset, 0));
                            c.returned = true;
                        }
                        _ => self.v[tc::BAD] += 1,
                    }
                }
                if !c.q.request_signal_active() {
                    break;
                }
            }
        }
        if enqueued && self.drv.signal_active() {
            virt_tx_channel::DRIVER.notify();
        }
        self.notify_clients();
    }

    fn return_to_client(&mut self, io: u64) -> bool {
        for c in &mut self.clients {
            if let Some(i) = c.data.index_of_io(io) {
                if !c.with_driver[i as usize] {
                    return false;
                }
                c.with_driver[i as usize] = false;
                let _ = c.q.enqueue_free(BuffDesc::new(io - c.data.io_base, 0));
                c.returned = true;
                return true;
            }
        }
        false
    }

    /// Sent buffers back to their clients (sDDF `tx_return`).
    fn tx_return(&mut self) {
        loop {
            while let Some(d) = self.drv.dequeue_free() {
                if self.return_to_client(d.io_or_offset) {
                    self.v[tc::RETURNED] += 1;
                } else {
                    self.v[tc::DRV_BAD] += 1;
                }
            }
            if !self.drv.request_signal_free() {
                break;
            }
        }
        self.notify_clients();
    }

    fn notify_clients(&mut self) {
        for c in &mut self.clients {
            if c.returned {
                c.returned = false;
                if c.q.signal_free() {
                    c.channel.notify();
                }
            }
        }
    }

    /// The driver stopped: its sent buffers still in the free ring go home,
    /// frames still queued for it stay queued for the next driver, and the
    /// buffers it had taken (lost with it) go back to their clients.
    /// Returns the number of frames lost.
    pub fn reset_driver(&mut self) -> u32 {
        // SAFETY: netctl calls this only while no driver runs.
        unsafe { self.drv.repair_stopped_peer() };
        self.tx_return();
        let mut queued: Vec<u64> = Vec::new();
        self.drv.for_each_pending_active(|d| queued.push(d.io_or_offset));
        let mut lost = 0;
        for c in &mut self.clients {
            for i in 0..c.data.nbufs {
                let io = c.data.io_base + i as u64 * BUFFER_SIZE as u64;
                if c.with_driver[i as usize] && !queued.contains(&io) {
                    c.with_driver[i as usize] = false;
                    let _ = c.q.enqueue_free(BuffDesc::new(io - c.data.io_base, 0));
                    c.returned = true;
                    lost += 1;
                }
            }
        }
        self.notify_clients();
        self.v[tc::RESETS] += 1;
        self.v[tc::DROPPED] += lost as u64;
        self.stats.publish(&self.v);
        lost
    }
}
