//! Java VIFlets in one process, without the other domains: the processor
//! gets packets over buffers of this test, as the VIF domain hands them
//! over. Needs the class library (`make java-l4`, same profile and target
//! directory) and javac (JDK 17).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::OnceLock;

use pd_jvm::runtime::Output;
use pd_netdriver::config::{ClassSource, FaultPolicy, JavaSettings};
use pd_vif::packet::{Packet, Returns};
use pd_vif::processor::{PacketProcessor, PriQ};
use pd_vif::viflet::{internet_checksum, JavaProcessor};

fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().to_path_buf()
}

fn library() -> &'static [u8] {
    static LIB: OnceLock<&'static [u8]> = OnceLock::new();
    LIB.get_or_init(|| {
        let p = profile_dir().join("java-l4.img");
        let b = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}: build it with `make java-l4`", p.display()));
        Box::leak(b.into_boxed_slice())
    })
}

/// The test VIFlets (pd-vif/tests/java) and the examples (examples/vif),
/// compiled with stock javac against the API jar, as one class image.
fn classes() -> &'static [u8] {
    static IMG: OnceLock<Vec<u8>> = OnceLock::new();
    IMG.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = std::env::temp_dir().join(format!("pd-vif-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let mut cmd = Command::new("javac");
        cmd.args(["--release", "17", "-g", "-cp"]).arg(profile_dir().join("java-l4.jar")).arg("-d").arg(&out);
        for dir in [root.join("tests/java/probe"), root.join("../examples/vif/vif"), root.join("../tests/vif/faulty")] {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                cmd.arg(e.path());
            }
        }
        let o = cmd.output().expect("javac (JDK 17) on PATH");
        assert!(o.status.success(), "javac failed:\n{}", String::from_utf8_lossy(&o.stderr));
        let m = pd_jvm_test_support::class_files(&out);
        let _ = std::fs::remove_dir_all(&out);
        pd_jvm::image::build(m.iter().map(|(k, v)| (k.as_slice(), v.as_slice()))).unwrap()
    })
}

/// VIFlet output, kept for the assertions.
#[derive(Clone, Default)]
struct Captured(Rc<std::cell::RefCell<String>>);

thread_local! {
    static OUT: Captured = Captured::default();
}

struct ToCapture;

impl Output for ToCapture {
    fn write(&mut self, _fd: i32, bytes: &[u8]) {
        OUT.with(|c| c.0.borrow_mut().push_str(&String::from_utf8_lossy(bytes)));
    }
}

fn output() -> String {
    OUT.with(|c| c.0.borrow().clone())
}

fn load(class: &str, s: JavaSettings, nbufs: u32) -> Result<JavaProcessor, String> {
    JavaProcessor::load(library(), classes(), class, &s, nbufs, || Box::new(ToCapture))
}

/// A pool of 2 KiB buffers standing in for the domain's data region.
struct Bufs {
    mem: Vec<[u8; 2048]>,
    home: Rc<Returns>,
}

impl Bufs {
    fn new(n: usize) -> Self {
        Bufs { mem: vec![[0; 2048]; n], home: Rc::new(Returns::default()) }
    }
    fn packet(&mut self, i: u32, frame: &[u8]) -> Packet {
        self.mem[i as usize][..frame.len()].copy_from_slice(frame);
        // SAFETY: buffer i is held by no other packet in these tests.
        unsafe { Packet::new(i, frame.len() as u16, self.mem[i as usize].as_mut_ptr(), self.home.clone()) }
    }
}

/// A packet leaving the processor: its buffer number (not recorded as a drop).
fn sent(p: Packet) -> u32 {
    let i = p.index();
    std::mem::forget(p);
    i
}

/// An IPv4 frame of protocol `proto` with UDP/TCP ports 1 -> `dport`.
fn frame(proto: u8, dport: u16) -> Vec<u8> {
    let mut f = vec![0u8; 80];
    f[12] = 0x08;
    f[14] = 0x45;
    f[22] = 64;
    f[23] = proto;
    f[26..30].copy_from_slice(&[10, 1, 2, 3]);
    f[34..36].copy_from_slice(&1u16.to_be_bytes());
    f[36..38].copy_from_slice(&dport.to_be_bytes());
    f
}

/// Frames whose class takes more than the IPv4 protocol byte: VLAN and
/// QinQ tags, IPv6 with extension headers and fragments, and truncations.
fn odd_frames() -> Vec<Vec<u8>> {
    let tagged = |tags: &[u16], inner: &[u8]| {
        let mut f = inner[..12].to_vec();
        for &t in tags {
            f.extend_from_slice(&t.to_be_bytes());
            f.extend_from_slice(&[0, 5]);
        }
        f.extend_from_slice(&inner[12..]);
        f
    };
    let v6 = |next: u8, ext: &[u8]| {
        let mut f = vec![0u8; 14 + 40];
        f[12..14].copy_from_slice(&[0x86, 0xdd]);
        f[14] = 0x60;
        f[20] = next;
        f.extend_from_slice(ext);
        f.extend_from_slice(&[0u8; 16]);
        f
    };
    let mut out = vec![
        tagged(&[0x8100], &frame(17, 1)),
        tagged(&[0x88a8, 0x8100], &frame(6, 1)),
        tagged(&[0x8100, 0x8100, 0x8100], &frame(6, 1)), // a third tag: not walked
        v6(17, &[]),
        v6(58, &[]),
        v6(0, &[6, 0, 0, 0, 0, 0, 0, 0]), // hop-by-hop, then TCP
        v6(43, &[60, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 0]),
        v6(44, &[17, 0, 0, 0, 0, 0, 0, 0]),              // first fragment: UDP
        v6(44, &[6, 0, 0, 8, 0, 0, 0, 0]),               // later fragment: still TCP
        v6(0, &[6])[..55].to_vec(),                      // option header cut short
        frame(17, 1)[..13].to_vec(),                     // no ethertype
        frame(17, 1)[..30].to_vec(),                     // IPv4 header cut short
        tagged(&[0x8100], &frame(17, 1))[..16].to_vec(), // tag cut short
    ];
    let mut bad_ihl = frame(17, 1);
    bad_ihl[14] = 0x44;
    let mut v5 = frame(17, 1);
    v5[14] = 0x55;
    let mut arp = frame(17, 1);
    arp[12..14].copy_from_slice(&[0x08, 0x06]);
    out.extend([bad_ihl, v5, arp]);
    out
}

fn settings() -> JavaSettings {
    JavaSettings { classes: ClassSource::File("test".into()), ..JavaSettings::default() }
}

#[test]
fn figure_2_priq_orders_packets_like_the_rust_priq() {
    let mut j = load("vif.PriQ_VIFlet", settings(), 64).unwrap();
    assert!(output().contains("Initializing..."), "the constructor's println: {}", output());
    let mut r = PriQ::default();
    let mut bufs = Bufs::new(64);
    let mut rbufs = Bufs::new(64);
    // IPv4 by protocol, then the header walks the classifiers must agree
    // on (Java's SimplePacketClassifier, Rust's simple_class).
    let mut frames: Vec<Vec<u8>> = [6u8, 17, 1, 17, 47, 1, 58, 6, 6, 17, 2, 1].iter().map(|&p| frame(p, 9)).collect();
    frames.extend(odd_frames());
    // Interleave enqueues and dequeues so the queues fill and drain; a
    // buffer is reused once both processors have sent it.
    let (mut got, mut want) = (Vec::new(), Vec::new());
    let mut free: Vec<u32> = (0..64).rev().collect();
    let mut next = 0usize;
    for round in 0..200 {
        for _ in 0..(round % 5 + 1) {
            let Some(i) = free.pop() else { break };
            let f = &frames[next % frames.len()];
            j.enqueue(bufs.packet(i, f));
            r.enqueue(rbufs.packet(i, f));
            next += 1;
        }
        // The domain dequeues until there is nothing (the Java side runs
        // ahead by a batch, which only shows if it stopped earlier).
        if round % 3 == 0 {
            let a: Vec<u32> = std::iter::from_fn(|| j.dequeue()).map(sent).collect();
            let b: Vec<u32> = std::iter::from_fn(|| r.dequeue()).map(sent).collect();
            assert_eq!(a, b, "round {round}");
            got.extend(&a);
            want.extend(&b);
            free.extend(a);
        }
        assert_eq!(j.backlog(), r.backlog());
    }
    got.extend(std::iter::from_fn(|| j.dequeue()).map(sent));
    want.extend(std::iter::from_fn(|| r.dequeue()).map(sent));
    assert_eq!(got, want);
    assert_eq!(got.len(), next);
    assert!(j.running() && j.faults() == 0);
    assert!(bufs.home.take().is_empty(), "nothing dropped");
}

/// The domain's batch calls (`enqueue_all`, `dequeue_into`) give the order
/// of one call per packet, whatever the batch sizes.
#[test]
fn batches_keep_the_order_of_single_packets() {
    let mut j = load("vif.PriQ_VIFlet", settings(), 128).unwrap();
    let mut r = PriQ::default();
    let (mut bufs, mut rbufs) = (Bufs::new(128), Bufs::new(128));
    let frames: Vec<Vec<u8>> = [6u8, 17, 1, 17, 47, 1, 58, 6].iter().map(|&p| frame(p, 9)).collect();
    let mut free: Vec<u32> = (0..128).rev().collect();
    let (mut arrived, mut out) = (Vec::new(), Vec::new());
    let mut next = 0usize;
    for round in 0..120 {
        for _ in 0..(round * 7 % 71) {
            let Some(i) = free.pop() else { break };
            let f = &frames[next % frames.len()];
            arrived.push(bufs.packet(i, f));
            r.enqueue(rbufs.packet(i, f));
            next += 1;
        }
        j.enqueue_all(&mut arrived);
        assert!(arrived.is_empty());
        // As the domain: until a call comes back short (the Java side
        // takes up to a batch from the VIFlet at once, so stopping
        // earlier would show it ran ahead).
        let max = [1, 5, 32, 100][round % 4];
        loop {
            let before = out.len();
            j.dequeue_into(&mut out, before + max);
            assert!(out.len() <= before + max);
            if out.len() < before + max {
                break;
            }
        }
        let a: Vec<u32> = out.drain(..).map(sent).collect();
        let b: Vec<u32> = std::iter::from_fn(|| r.dequeue()).map(sent).collect();
        assert_eq!(a, b, "round {round}");
        free.extend(a);
        assert_eq!(j.backlog(), r.backlog(), "round {round}");
    }
    assert!(j.running() && j.faults() == 0);
    assert!(bufs.home.take().is_empty(), "nothing dropped");
}

/// A VIFlet that stops in the middle of a batch (the first `BATCH` packets
/// reach Java, the fault comes with #2): everything passes on, in order.
#[test]
fn a_viflet_stopped_in_a_batch_passes_the_whole_batch_on() {
    let n = pd_vif::viflet::BATCH as u32 + 8;
    let mut j = load("probe.Twice", settings(), n).unwrap();
    let mut bufs = Bufs::new(n as usize);
    let mut arrived: Vec<Packet> = (0..n).map(|i| bufs.packet(i, &frame(17, 9))).collect();
    j.enqueue_all(&mut arrived);
    assert!(!j.running());
    assert_eq!(j.faults(), 1);
    let mut out = Vec::new();
    j.dequeue_into(&mut out, n as usize);
    assert!(out.iter().all(|p| p.len() == 80), "lengths: {:?}", out.iter().map(|p| p.len()).collect::<Vec<_>>());
    let order: Vec<u32> = out.into_iter().map(sent).collect();
    assert_eq!(order, (0..n).collect::<Vec<u32>>());
    assert!(bufs.home.take().is_empty());
}

#[test]
fn packet_accessors_checksum_bounds_and_stale_references() {
    let mut j = load("probe.Probe", settings(), 8).unwrap();
    let mut bufs = Bufs::new(8);
    let mut f = frame(17, 53);
    f[59] = 0xfe;
    f[12] = 0xff;
    f[13] = 0xfe;
    for i in 0..3u32 {
        j.enqueue(bufs.packet(i, &f));
        let p = j.dequeue().expect("relayed");
        assert!(j.running(), "{:?}", j.last_error);
        let d = p.data();
        assert_eq!(d[60], 0xfe, "getByte/setByte");
        assert_eq!(&d[64..68], &[10, 1, 2, 3], "getInt/setInt");
        assert_eq!(d[22], 63, "TTL decremented");
        assert_eq!(internet_checksum(&d[14..34]), 0, "checksum recomputed in Java is valid");
        let caught = if i == 0 { 1 } else { 1 | 2 | 4 };
        assert_eq!(d[68], caught, "bounds (1), stale access (2), isHeld (4)");
        assert_eq!(&d[70..72], &[0xff, 0xfe], "slice and setBytes");
        assert_eq!(u16::from_be_bytes([d[72], d[73]]), 80, "length");
        std::mem::forget(p);
    }
}

#[test]
fn enqueuing_a_packet_twice_stops_the_viflet_and_its_packets_pass_on() {
    let mut j = load("probe.Twice", settings(), 8).unwrap();
    let mut bufs = Bufs::new(8);
    for i in 0..5 {
        j.enqueue(bufs.packet(i, &frame(17, 9)));
    }
    // Arrivals reach Java in a batch, when the domain next asks for output.
    let first = j.dequeue().map(sent);
    assert!(!j.running());
    assert_eq!(j.faults(), 1);
    let e = j.last_error.clone().unwrap();
    assert!(e.contains("packet #2 is already in a Queue"), "{e}");
    assert!(output().contains("VIFlet stopped"), "{}", output());
    // pass: what it held (0, 1, 2) and what came after (3, 4), in order,
    // whole: 3 and 4 never reached Java, which must not set their length.
    let rest: Vec<Packet> = std::iter::from_fn(|| j.dequeue()).collect();
    assert!(rest.iter().all(|p| p.len() == 80), "lengths: {:?}", rest.iter().map(|p| p.len()).collect::<Vec<_>>());
    let order: Vec<u32> = first.into_iter().chain(rest.into_iter().map(sent)).collect();
    assert_eq!(order, [0, 1, 2, 3, 4]);
    assert!(bufs.home.take().is_empty());
}

#[test]
fn returning_a_queued_packet_stops_the_viflet_and_drop_policy_drops() {
    let s = JavaSettings { on_fault: FaultPolicy::Drop, ..settings() };
    let mut j = load("probe.ReturnQueued", s, 8).unwrap();
    let mut bufs = Bufs::new(8);
    j.enqueue(bufs.packet(0, &frame(17, 9)));
    j.enqueue(bufs.packet(1, &frame(17, 9)));
    assert!(j.dequeue().is_none());
    assert!(!j.running());
    assert!(j.last_error.clone().unwrap().contains("still in a Queue"));
    j.enqueue(bufs.packet(2, &frame(17, 9)));
    assert!(j.dequeue().is_none());
    let mut dropped = bufs.home.take();
    dropped.sort();
    assert_eq!(dropped, [0, 1, 2], "held and later packets dropped");
}

#[test]
fn packets_left_out_of_queues_are_dropped_at_once() {
    let mut j = load("probe.DropOdd", settings(), 16).unwrap();
    let mut bufs = Bufs::new(16);
    let mut out = Vec::new();
    for i in 0..12 {
        j.enqueue(bufs.packet(i, &frame(17, 9)));
        if i % 4 == 3 {
            out.extend(std::iter::from_fn(|| j.dequeue()).map(sent));
        }
    }
    assert!(j.running(), "{:?}", j.last_error);
    let mut dropped = bufs.home.take();
    dropped.sort();
    assert_eq!(out.len() + dropped.len(), 12, "sent {out:?} dropped {dropped:?}");
    for i in [1, 3, 5, 7, 9, 11] {
        assert!(dropped.contains(&i), "odd packet {i} dropped at enqueue");
    }
    assert!(dropped.iter().any(|i| i % 2 == 0), "and some dropped at dequeue");
    assert_eq!(j.backlog(), 0);
}

#[test]
fn bad_viflet_classes_are_refused_with_a_reason() {
    let e = load("probe.NotAViflet", settings(), 4).err().unwrap();
    assert!(e.contains("does not extend capuchin.vif.VIFlet"), "{e}");
    let e = load("probe.Missing", settings(), 4).err().unwrap();
    assert!(e.contains("has no class probe.Missing"), "{e}");
    let e =
        JavaProcessor::load(library(), b"not an image", "x.Y", &settings(), 4, || Box::new(ToCapture)).err().unwrap();
    assert!(e.starts_with("VIFlet image:"), "{e}");
    // A VIFlet image may not bring classes into the library's packages.
    let evil = pd_jvm::image::build([(&b"capuchin/vif/Evil"[..], &classes()[..0])]);
    if let Ok(img) = evil {
        let e = JavaProcessor::load(library(), &img, "capuchin.vif.Evil", &settings(), 4, || Box::new(ToCapture))
            .err()
            .unwrap();
        assert!(e.contains("reserved package"), "{e}");
    }
}

/// Counts this test binary's heap allocations (the VIFlet runtime's Rust side).
struct Counting;

static ALLOCS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.realloc(p, l, n) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Buffers in the pool of `capuchin bench vif`'s VIF domain.
const POOL: u32 = 512;

/// Relays `n` packets as the domain passes them: batches of
/// `RECEIVE_BATCH` to `enqueue_all`, then `dequeue_into` by
/// `DEQUEUE_BATCH` until a batch comes back short.
fn relay_batches(p: &mut dyn PacketProcessor, bufs: &mut Bufs, n: usize, frames: &[Vec<u8>]) {
    use pd_vif::domain::{DEQUEUE_BATCH, RECEIVE_BATCH};
    let mut k = 0;
    let (mut arrived, mut out) = (Vec::with_capacity(RECEIVE_BATCH), Vec::with_capacity(DEQUEUE_BATCH));
    while k < n {
        for b in 0..RECEIVE_BATCH as u32 {
            arrived.push(bufs.packet(b, &frames[(k + b as usize) % frames.len()]));
        }
        p.enqueue_all(&mut arrived);
        loop {
            p.dequeue_into(&mut out, DEQUEUE_BATCH);
            let got = out.len();
            for x in out.drain(..) {
                sent(x);
            }
            if got < DEQUEUE_BATCH {
                break;
            }
        }
        k += RECEIVE_BATCH;
    }
}

#[test]
fn the_per_packet_path_allocates_nothing_after_warm_up() {
    let frames: Vec<Vec<u8>> = [6u8, 17, 1, 47].iter().map(|&p| frame(p, 9)).collect();
    for class in ["vif.RelayVIFlet", "vif.PriQ_VIFlet", "vif.DnsFilterVIFlet"] {
        // A pool the size of the bench's VIF domain's: batches use an
        // eighth of it (a VIFlet holding most of its pool is collected).
        let mut j = load(class, settings(), POOL).unwrap();
        let mut bufs = Bufs::new(POOL as usize);
        relay_batches(&mut j, &mut bufs, 4096, &frames);
        let (heap, native) =
            (j.heap_stats().unwrap().bytes_allocated, ALLOCS.load(std::sync::atomic::Ordering::SeqCst));
        relay_batches(&mut j, &mut bufs, 32_768, &frames);
        let native_after = ALLOCS.load(std::sync::atomic::Ordering::SeqCst);
        assert_eq!(j.heap_stats().unwrap().bytes_allocated, heap, "{class}: Java heap allocations");
        // Other tests run on other threads; they allocate too, so this
        // test only counts when it runs alone (cargo test -- --test-threads=1).
        // The filter's drops go to the test's drop list, which grows.
        if std::env::var("RUST_TEST_THREADS").as_deref() == Ok("1") && !class.contains("Filter") {
            assert_eq!(native_after, native, "{class}: Rust heap allocations");
        }
        assert!(j.running() && j.backlog() == 0, "{class}: {:?}", j.last_error);
        bufs.home.take();
    }
}

/// (Without pd-vif's feature `jit` every VIFlet is interpreted.)
#[test]
#[cfg(feature = "jit")]
fn viflets_run_compiled_by_default_and_interpreted_with_jit_off() {
    let frames: Vec<Vec<u8>> = [6u8, 17, 1, 47].iter().map(|&p| frame(p, 9)).collect();
    for (jit, compiled) in [(Some(1000), true), (Some(0), true), (None, false)] {
        let mut j = load("vif.PriQ_VIFlet", JavaSettings { jit, ..settings() }, 64).unwrap();
        let mut bufs = Bufs::new(64);
        // Past the tiering threshold: each handler runs once per packet.
        relay_batches(&mut j, &mut bufs, 4096, &frames);
        let viflet = j.compiled_methods_of("vif/PriQ_VIFlet");
        let batch = j.compiled_methods_of("capuchin/vif/Batch");
        if compiled {
            for m in ["enqueue", "dequeue"] {
                assert!(viflet.iter().any(|n| n == m), "jit={jit:?}: PriQ_VIFlet.{m} not compiled: {viflet:?}");
            }
            for m in ["enqueueAll", "dequeueAll"] {
                assert!(batch.iter().any(|n| n == m), "jit={jit:?}: Batch.{m} not compiled: {batch:?}");
            }
        } else {
            assert!(viflet.is_empty() && batch.is_empty(), "jit=off compiled {viflet:?} {batch:?}");
        }
        assert!(j.running() && j.backlog() == 0, "{:?}", j.last_error);
    }
}

/// Per-packet cost of the Java path against the Rust relay, in one process,
/// each VIFlet interpreted (`jit=off`) and with the default JIT policy
/// (compiled during the warm-up). Run with --ignored --nocapture; under
/// callgrind for instruction counts (VIFLET_ONLY picks rows by name).
#[test]
#[ignore]
fn hot_path_cost() {
    let n: usize = std::env::var("VIFLET_PACKETS").ok().and_then(|s| s.parse().ok()).unwrap_or(2_000_000);
    let frames: Vec<Vec<u8>> = [6u8, 17, 1, 47].iter().map(|&p| frame(p, 9)).collect();
    let mut bufs = Bufs::new(POOL as usize);
    let interpreted = || JavaSettings { jit: None, ..settings() };
    let mut procs: Vec<(&str, Box<dyn PacketProcessor>)> = vec![
        ("rust relay", Box::new(pd_vif::processor::Relay::default())),
        ("java relay interp", Box::new(load("vif.RelayVIFlet", interpreted(), POOL).unwrap())),
        ("java priq interp", Box::new(load("vif.PriQ_VIFlet", interpreted(), POOL).unwrap())),
        ("java relay jit", Box::new(load("vif.RelayVIFlet", settings(), POOL).unwrap())),
        ("java priq jit", Box::new(load("vif.PriQ_VIFlet", settings(), POOL).unwrap())),
    ];
    let only = std::env::var("VIFLET_ONLY").unwrap_or_default();
    for (name, p) in procs.iter_mut().filter(|(n, _)| n.contains(only.as_str())) {
        relay_batches(p.as_mut(), &mut bufs, 4096, &frames);
        let t = std::time::Instant::now();
        relay_batches(p.as_mut(), &mut bufs, n, &frames);
        let ns = t.elapsed().as_nanos() as f64 / n as f64;
        println!("{name}: {ns:.1} ns per packet (enqueue + dequeue)");
    }
}

#[test]
fn forgotten_packets_come_back_before_the_domain_goes_idle() {
    let mut j = load("faulty.Forget", settings(), 64).unwrap();
    let mut bufs = Bufs::new(64);
    let frames = [frame(17, 9)];
    let mut free: Vec<u32> = (0..64).rev().collect();
    let mut sent_n = 0;
    for round in 0..300 {
        for _ in 0..(round % 7 + 1) {
            let Some(i) = free.pop() else { break };
            j.enqueue(bufs.packet(i, &frames[0]));
        }
        for p in std::iter::from_fn(|| j.dequeue()) {
            free.push(sent(p));
            sent_n += 1;
        }
        // Forgotten ones come back through the drop list.
        free.extend(bufs.home.take());
        assert_eq!(j.backlog(), 0, "round {round}: everything sent or reclaimed");
    }
    assert!(j.running());
    assert!(sent_n > 0 && j.take_forgotten() > 0);

    // The same through the domain's batch calls, which stop asking after a
    // short batch: the VIFlet's null in that batch must do what a last
    // empty `dequeue` did.
    let mut j = load("faulty.Forget", settings(), 64).unwrap();
    let (mut arrived, mut out) = (Vec::new(), Vec::new());
    let mut free: Vec<u32> = (0..64).rev().collect();
    for round in 0..300 {
        for _ in 0..(round % 7 + 1) {
            let Some(i) = free.pop() else { break };
            arrived.push(bufs.packet(i, &frames[0]));
        }
        j.enqueue_all(&mut arrived);
        loop {
            j.dequeue_into(&mut out, 32);
            let got = out.len();
            free.extend(out.drain(..).map(sent));
            if got < 32 {
                break;
            }
        }
        free.extend(bufs.home.take());
        assert_eq!(j.backlog(), 0, "batches, round {round}: everything sent or reclaimed");
    }
    assert!(j.running() && j.take_forgotten() > 0);
}
