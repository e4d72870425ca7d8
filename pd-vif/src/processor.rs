//! Packet processors: what a VIF domain runs on its traffic, with 000's
//! VIFlet semantics. `enqueue` is called for each packet that arrives;
//! `dequeue` whenever the domain can send, and returns the next packet to
//! send or `None`. A processor drops a packet by dropping its handle.
//! The Java VIFlet ([`crate::viflet`]) is one more implementation.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use pd_netdriver::classify::{PacketInfo, Rule, PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP};
use pd_netdriver::config::{ClassSource, NodeConfig, ProcessorSpec};

use crate::packet::Packet;
use crate::viflet::{JavaHost, JavaProcessor};

pub trait PacketProcessor {
    fn name(&self) -> &str;
    /// A packet arrived.
    fn enqueue(&mut self, p: Packet);
    /// The next packet to send, if any.
    fn dequeue(&mut self) -> Option<Packet>;
    /// Packets arrived, in order: takes all of `ps`. The domain hands over
    /// what it found on its ring at once; a processor that works in
    /// batches (a Java VIFlet) saves a call and its set-up per packet.
    fn enqueue_all(&mut self, ps: &mut Vec<Packet>) {
        for p in ps.drain(..) {
            self.enqueue(p);
        }
    }
    /// Appends up to `max` packets to send to `out`, in order: fewer only
    /// when the processor has no more now.
    fn dequeue_into(&mut self, out: &mut Vec<Packet>, max: usize) {
        while out.len() < max {
            match self.dequeue() {
                Some(p) => out.push(p),
                None => break,
            }
        }
    }
    /// Packets held now.
    fn backlog(&self) -> usize;
    /// Times the processor was stopped by a fault (a Java VIFlet's guards).
    fn faults(&self) -> u64 {
        0
    }
    /// What `capuchin vif list` shows for the processor (its name unless
    /// it has more to say, e.g. why it was stopped).
    fn info(&self) -> String {
        String::from(self.name())
    }
    /// How many of the packets dropped since the last call were forgotten
    /// rather than dropped on purpose (a Java VIFlet's dead Queues).
    fn take_forgotten(&mut self) -> u64 {
        0
    }
    /// How many of its handlers run compiled (a Java VIFlet with the JIT:
    /// the methods of its class and of `capuchin.vif.Batch` with code).
    fn compiled_methods(&mut self) -> u64 {
        0
    }
    /// A count that moves whenever `compiled_methods` may have changed
    /// (cheap, unlike that count).
    fn code_changes(&self) -> u64 {
        0
    }
    /// Everything the processor holds, in the order it would send it
    /// (when it is replaced). Packets it will not give up stay with it.
    fn take_all(&mut self) -> Vec<Packet> {
        core::iter::from_fn(|| self.dequeue()).collect()
    }
}

/// FIFO relay: forwards everything.
#[derive(Default)]
pub struct Relay {
    q: VecDeque<Packet>,
}

impl PacketProcessor for Relay {
    fn name(&self) -> &str {
        "relay"
    }
    fn enqueue(&mut self, p: Packet) {
        self.q.push_back(p);
    }
    fn dequeue(&mut self) -> Option<Packet> {
        self.q.pop_front()
    }
    fn enqueue_all(&mut self, ps: &mut Vec<Packet>) {
        self.q.extend(ps.drain(..));
    }
    fn dequeue_into(&mut self, out: &mut Vec<Packet>, max: usize) {
        let n = self.q.len().min(max.saturating_sub(out.len()));
        out.extend(self.q.drain(..n));
    }
    fn backlog(&self) -> usize {
        self.q.len()
    }
}

/// Keeps the packets that match one of its rules, in order.
pub struct Filter {
    keep: Vec<Rule>,
    q: VecDeque<Packet>,
}

impl Filter {
    pub fn new(keep: Vec<Rule>) -> Self {
        Self { keep, q: VecDeque::new() }
    }
}

impl PacketProcessor for Filter {
    fn name(&self) -> &str {
        "filter"
    }
    fn enqueue(&mut self, p: Packet) {
        let info = PacketInfo::parse(p.data());
        if self.keep.iter().any(|r| r.matches(&info)) {
            self.q.push_back(p);
        }
    }
    fn dequeue(&mut self) -> Option<Packet> {
        self.q.pop_front()
    }
    fn backlog(&self) -> usize {
        self.q.len()
    }
}

/// Strict priority queuing over four classes, as 000's PriQ_VIFlet
/// (Figure 2), with a simple classifier: ICMP 0, UDP 1, TCP 2, other 3.
#[derive(Default)]
pub struct PriQ {
    queues: [VecDeque<Packet>; 4],
    length: usize,
}

pub fn simple_class(p: &Packet) -> usize {
    match PacketInfo::parse(p.data()).proto {
        Some(PROTO_ICMP | PROTO_ICMPV6) => 0,
        Some(PROTO_UDP) => 1,
        Some(PROTO_TCP) => 2,
        _ => 3,
    }
}

impl PacketProcessor for PriQ {
    fn name(&self) -> &str {
        "priq"
    }
    fn enqueue(&mut self, p: Packet) {
        let t = simple_class(&p);
        self.length += 1;
        self.queues[t % 4].push_back(p);
    }
    fn dequeue(&mut self) -> Option<Packet> {
        for q in &mut self.queues {
            if let Some(p) = q.pop_front() {
                self.length -= 1;
                return Some(p);
            }
        }
        None
    }
    fn backlog(&self) -> usize {
        self.length
    }
}

/// A deliberately careless relay for the accounting tests: drops every
/// `drop_every`-th packet and forgets every `forget_every`-th (its handle
/// is leaked with `mem::forget`, as a buggy processor would).
pub struct Lossy {
    n: u64,
    drop_every: u32,
    forget_every: u32,
    q: VecDeque<Packet>,
}

impl PacketProcessor for Lossy {
    fn name(&self) -> &str {
        "lossy"
    }
    fn enqueue(&mut self, p: Packet) {
        self.n += 1;
        if self.forget_every != 0 && self.n % self.forget_every as u64 == 0 {
            core::mem::forget(p);
        } else if self.drop_every != 0 && self.n % self.drop_every as u64 == 0 {
            drop(p);
        } else {
            self.q.push_back(p);
        }
    }
    fn dequeue(&mut self) -> Option<Packet> {
        self.q.pop_front()
    }
    fn backlog(&self) -> usize {
        self.q.len()
    }
}

/// The processor a VIF's configuration names; `nbufs` is the domain's
/// pool size, `host` how a Java VIFlet's classes are found.
pub fn from_config(cfg: &NodeConfig, nbufs: u32, host: &JavaHost) -> Result<Box<dyn PacketProcessor>, String> {
    Ok(match &cfg.processor {
        ProcessorSpec::Relay => Box::new(Relay::default()),
        ProcessorSpec::Filter => Box::new(Filter::new(cfg.keep.clone())),
        ProcessorSpec::PriQ => Box::new(PriQ::default()),
        &ProcessorSpec::Lossy { drop_every, forget_every } => {
            Box::new(Lossy { n: 0, drop_every, forget_every, q: VecDeque::new() })
        }
        ProcessorSpec::Java { class } => {
            let why = |e: String| format!("processor=java:{class}: {e}");
            let library = (host.library)().map_err(why)?;
            let classes = match &cfg.java.classes {
                ClassSource::Staged(n) => staged_image(*n),
                // A file (hosted), or the image the domain embeds.
                other => (host.read_classes)(other),
            }
            .map_err(why)?;
            let p = JavaProcessor::load(library, &classes, class, &cfg.java, nbufs, host.output)
                .map_err(|e| format!("VIFlet {class}: {e}"))?;
            Box::new(p)
        }
    })
}

/// A copy of the image netctl staged as load `n` in this VIF's
/// `viflet_image` region, checked (length, checksum) on the copy.
pub fn staged_image(n: u32) -> Result<Vec<u8>, String> {
    let r = ipc_bindings::memory_region("viflet_image")
        .map_err(|e| format!("image={n}: this VIF has no viflet_image region ({e})"))?;
    // SAFETY: a region system.xml maps into this PD for its life; only
    // netctl writes it, and we check what we copied.
    unsafe { pd_netdriver::viflet_load::read_staged(r.base(), r.size(), n) }.map_err(|e| format!("VIFlet image: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::Returns;
    use alloc::rc::Rc;

    /// An IPv4 frame of protocol `proto` with UDP/TCP ports 1 -> `dport`.
    fn frame(proto: u8, dport: u16) -> Vec<u8> {
        let mut f = alloc::vec![0u8; 64];
        f[12] = 0x08;
        f[14] = 0x45;
        f[23] = proto;
        f[34..36].copy_from_slice(&1u16.to_be_bytes());
        f[36..38].copy_from_slice(&dport.to_be_bytes());
        f
    }

    fn packets(frames: &mut [Vec<u8>], home: &Rc<Returns>) -> Vec<Packet> {
        frames
            .iter_mut()
            .enumerate()
            .map(|(i, f)| unsafe { Packet::new(i as u32, f.len() as u16, f.as_mut_ptr(), home.clone()) })
            .collect()
    }

    #[test]
    fn priq_serves_classes_in_order_and_fifo_within_one() {
        let home = Rc::new(Returns::default());
        let mut frames = alloc::vec![frame(6, 1), frame(17, 2), frame(1, 3), frame(17, 4), frame(47, 5), frame(1, 6)];
        let mut q = PriQ::default();
        for p in packets(&mut frames, &home) {
            q.enqueue(p);
        }
        assert_eq!(q.backlog(), 6);
        let order: Vec<u32> = core::iter::from_fn(|| q.dequeue()).map(|p| p.into_raw().0).collect();
        assert_eq!(order, [2, 5, 1, 3, 0, 4], "ICMP, then UDP, TCP, other");
        assert_eq!(q.backlog(), 0);
        assert!(home.take().is_empty());
    }

    #[test]
    fn a_filter_drops_what_no_rule_keeps_and_the_drops_are_recorded() {
        let home = Rc::new(Returns::default());
        let mut frames = alloc::vec![frame(17, 53), frame(17, 54), frame(6, 53)];
        let keep = alloc::vec![Rule::parse(&["udp", "dport=53"]).unwrap()];
        let mut f = Filter::new(keep);
        for p in packets(&mut frames, &home) {
            f.enqueue(p);
        }
        assert_eq!(f.dequeue().map(|p| p.into_raw().0), Some(0));
        assert!(f.dequeue().is_none());
        assert_eq!(home.take(), [1, 2]);
    }

    #[test]
    fn lossy_drops_and_forgets_on_schedule() {
        let home = Rc::new(Returns::default());
        let mut frames: Vec<Vec<u8>> = (0..6).map(|_| frame(17, 1)).collect();
        let mut l = Lossy { n: 0, drop_every: 2, forget_every: 3, q: VecDeque::new() };
        for p in packets(&mut frames, &home) {
            l.enqueue(p);
        }
        // 1 kept, 2 dropped, 3 forgotten, 4 dropped, 5 kept, 6 forgotten.
        assert_eq!(l.backlog(), 2);
        assert_eq!(home.take(), [1, 3]);
    }
}
