//! Java VIFlets: a [`PacketProcessor`] that runs a `capuchin.vif.VIFlet`
//! on our JVM, on the VIF domain's own thread (docs/network.md, "Java
//! VIFlets").
//!
//! Each VIFlet gets a VM of its own: the class library (trusted, from the
//! domain) plus the VIFlet's class image (untrusted: it may not define
//! classes in `java.*`, `capuchin.*`, ...), the configured heap quota, call
//! budget and depth limit. The domain enters Java once per batch of up to
//! [`BATCH`] packets (`capuchin.vif.Batch`), each entry with a fresh
//! budget of `BATCH` times the per-packet one.
//!
//! Packets stay in the pool's buffers. The VM holds one `Packet` object
//! per buffer (created once), which Java sees while the buffer carries a
//! packet the VIFlet holds. Which buffers the VIFlet holds is the domain's
//! to say (its Rust [`Packet`]s, one slot per buffer); where in the VIFlet
//! a held packet is, Java keeps in `Packet.place`: in hand (passed to
//! `enqueue`, or taken from a Queue) or in exactly one `Queue`. Queues are
//! plain Java, so compiled VIFlets queue without native calls; the library
//! classes that write `place` are trusted, the VIFlet cannot reach it.
//!
//! A packet a handler leaves in hand was dropped: `Batch` reports the ones
//! passed to `enqueue`; any other (taken from a Queue and not returned)
//! shows as a difference between the packets the domain holds and
//! `Queue.queued`, and a scan of `place` finds it. Its Rust [`Packet`] is
//! dropped and the domain reaps the buffer. A Queue the collector finds
//! dead had its packets forgotten: they are dropped too and counted as
//! `forgotten_reclaimed`.
//!
//! A VIFlet is stopped when a handler throws, exhausts its budget, recurses
//! too deep, runs out of heap, or breaks the one-reference rule (enqueuing
//! a packet twice, returning a queued one). The VM is dropped; the packets
//! it held and all later ones are passed on or dropped by the configured
//! [`FaultPolicy`].

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use pd_jvm::heap::{Heap, Ref, WeakRef};
use pd_jvm::image::ClassImage;
use pd_jvm::runtime::{
    Args, MapSource, MethodId, NativeError, NativeResult, Output, Pin, Value, Vm, VmConfig, VmError,
};

use pd_netdriver::config::{ClassSource, FaultPolicy, JavaSettings};

use crate::packet::Packet;
use crate::processor::PacketProcessor;
use net_queue::BUFFER_SIZE;

const PACKET: &str = "capuchin/vif/Packet";
const QUEUE: &str = "capuchin/vif/Queue";
const VIFLET: &str = "capuchin/vif/VIFlet";
const ISE: &str = "java/lang/IllegalStateException";
const BOUNDS: &str = "java/lang/IndexOutOfBoundsException";
const NPE: &str = "java/lang/NullPointerException";

/// Packages a VIFlet image may not define classes in: the library's.
const RESERVED: &[&str] = &["java/", "javax/", "jdk/", "sun/", "capuchin/"];

/// At most this many live Queues per VIFlet (the native side is bounded).
const MAX_QUEUES: usize = 4096;

/// `Packet.place` of a packet the VIFlet does not hold (Packet.FREE).
const PLACE_FREE: i32 = -2;
/// `Packet.place` of a packet in the VIFlet's hand (Packet.IN_HAND).
const PLACE_IN_HAND: i32 = -1;

/// Field offsets and the static slot the domain reads.
struct Offsets {
    /// `Packet.index`, `Packet.place`, `Packet.len`, `Packet.data`.
    index: u32,
    place: u32,
    len: u32,
    data: u32,
    /// `Queue.ring`, `Queue.head`, `Queue.count`: read when a stopped
    /// VIFlet's packets are passed on in queue order.
    ring: u32,
    head: u32,
    count: u32,
    /// The static `Queue.queued`.
    queued: u32,
}

/// The natives' state ([`Vm::set_embedder_data`]).
struct VifJava {
    /// The packet in each buffer while the VIFlet holds it.
    slots: Vec<Option<Packet>>,
    /// The address each buffer's wrapper has in `Packet.data` (0: none yet).
    data: Vec<usize>,
    /// Each live Queue's weak reference, by its number.
    queues: Vec<Option<WeakRef>>,
    free_queues: Vec<u32>,
    /// How many slots hold a packet.
    held: u32,
    /// Packets taken back from dead Queues: `Queue.queued` still counts
    /// them, so `held + reaped == Queue.queued` (wrapping) unless a
    /// handler dropped a packet it had taken from a Queue.
    reaped: u32,
    /// Why a native stopped the VIFlet (kept even if Java catches what follows).
    abort: Option<String>,
    off: Offsets,
    /// The `Packet[]` of wrappers, one per buffer.
    wrappers: Option<Pin>,
}

impl VifJava {
    /// Takes buffer `i`'s packet back from the VIFlet (`None` if it does
    /// not hold one).
    fn release(&mut self, i: u32) -> Option<Packet> {
        let p = self.slots.get_mut(i as usize)?.take()?;
        self.held -= 1;
        Some(p)
    }

    /// Gives `p` to the VIFlet: its buffer's slot. Returns its (buffer,
    /// length) pair as the inbox holds it, and `Some(addr)` when the
    /// buffer's wrapper must follow it to `addr` first (`Loaded::set_data`).
    /// (Inlined: it runs per packet in `Loaded::give_all`'s loop.)
    #[inline(always)]
    fn hold(&mut self, p: Packet) -> (u64, Option<usize>) {
        let (i, addr, len) = (p.index() as usize, p.data().as_ptr() as usize, p.len() as u64);
        // The slot is empty (the pool gives a buffer to one packet at a
        // time): nothing to drop, and no drop check per packet.
        let old = self.slots[i].replace(p);
        debug_assert!(old.is_none());
        core::mem::forget(old);
        self.held += 1;
        (i as u64 | len << 32, (self.data[i] != addr).then_some(addr))
    }

    /// Takes back the packets of the (buffer, length) pairs in `io` (as
    /// `Batch.dequeueAll` wrote them) into `out`. Stops at a buffer the
    /// VIFlet does not hold and returns its number.
    fn take_dequeued(&mut self, io: &[u8], out: &mut Vec<Packet>) -> Option<u32> {
        for w in io.chunks_exact(8) {
            let pair = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            let (i, len) = (pair as u32, (pair >> 32) as u32);
            let Some(mut p) = self.release(i) else { return Some(i) };
            // Java's setLength kept it within the buffer.
            p.set_len(len as usize);
            out.push(p);
        }
        None
    }
}

/// The `Packet[]` of wrappers, one per buffer (pinned at load).
fn wrappers(vm: &Vm) -> Ref {
    let st = vm.embedder_data::<VifJava>().expect("capuchin.vif natives without a VIFlet runtime");
    vm.pinned(st.wrappers.as_ref().expect("wrappers"))
}

fn parts(vm: &mut Vm) -> (&mut VifJava, &mut Heap) {
    vm.embedder_data_and_heap::<VifJava>().expect("capuchin.vif natives without a VIFlet runtime")
}

/// Stops the VIFlet: the call into Java unwinds (Java cannot catch it).
fn abort(st: &mut VifJava, why: String) -> NativeError {
    let e = NativeError::Vm(VmError::Internal(why.clone()));
    st.abort.get_or_insert(why);
    e
}

fn buffer_of(st: &VifJava, heap: &Heap, obj: Ref) -> Result<usize, NativeError> {
    if obj.is_null() {
        return Err(NativeError::new(NPE, "packet is null"));
    }
    let i = heap.get_field::<i32>(obj, st.off.index).map_err(|_| NativeError::new(NPE, "packet"))? as usize;
    if i >= st.slots.len() {
        return Err(NativeError::new(ISE, format!("packet #{i} is not a buffer of this VIF")));
    }
    Ok(i)
}

/// The packet of wrapper `obj`, its length as Java set it (`Packet.len`
/// is the length while Java holds the packet).
fn held_packet<'s>(st: &'s mut VifJava, heap: &Heap, obj: Ref) -> Result<&'s mut Packet, NativeError> {
    let i = buffer_of(st, heap, obj)?;
    let len = heap.get_field::<i32>(obj, st.off.len).unwrap_or(0);
    match st.slots[i].as_mut() {
        // Java's setLength keeps `len` within the buffer.
        Some(p) if len >= 0 && len as usize <= BUFFER_SIZE => {
            p.set_len(len as usize);
            Ok(p)
        }
        _ => {
            Err(NativeError::new(ISE, format!("packet #{i} is no longer held by this VIFlet (it was sent or dropped)")))
        }
    }
}

fn bounds(off: i32, n: usize, len: usize) -> Result<usize, NativeError> {
    if off < 0 || off as usize + n > len {
        return Err(NativeError::new(BOUNDS, format!("packet offset {off} + {n} outside its {len} bytes")));
    }
    Ok(off as usize)
}

/// Reads `N` bytes at argument 1's offset of the packet in argument 0.
/// RFC 1071: the ones' complement of the ones' complement sum of 16-bit
/// big-endian words, an odd last byte padded with zero.
pub fn internet_checksum(data: &[u8]) -> u16 {
    let mut sum: u64 = 0;
    let mut words = data.chunks_exact(2);
    for w in &mut words {
        sum += u64::from(u16::from_be_bytes([w[0], w[1]]));
    }
    if let [last] = words.remainder() {
        sum += u64::from(*last) << 8;
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn byte_array(vm: &mut Vm, a: Args, slot: usize) -> Result<(Ref, usize, usize), NativeError> {
    let (arr, off, len) = (a.reference(vm, slot), a.int(vm, slot + 1), a.int(vm, slot + 2));
    if arr.is_null() {
        return Err(NativeError::new(NPE, "byte array is null"));
    }
    let n = vm.heap().array_length(arr).map_err(|_| NativeError::new(NPE, "byte array"))? as usize;
    if off < 0 || len < 0 || off as usize + len as usize > n {
        return Err(NativeError::new(BOUNDS, format!("array range {off}+{len} outside its {n} elements")));
    }
    Ok((arr, off as usize, len as usize))
}

fn packet_get_bytes(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, off) = (a.reference(vm, 0), a.int(vm, 1));
    let (arr, aoff, len) = byte_array(vm, a, 2)?;
    let (st, heap) = parts(vm);
    let p = held_packet(st, heap, this)?;
    let at = bounds(off, len, p.len())?;
    let src: *const u8 = p.data()[at..].as_ptr();
    let dst = heap.array_bytes_mut(arr).map_err(|_| NativeError::new(NPE, "byte array"))?;
    // SAFETY: `src` has `len` bytes in the packet's buffer (checked), which is
    // outside the Java heap, so the two ranges cannot overlap.
    dst[aoff..aoff + len].copy_from_slice(unsafe { core::slice::from_raw_parts(src, len) });
    Ok(Value::Void)
}

fn packet_set_bytes(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, off) = (a.reference(vm, 0), a.int(vm, 1));
    let (arr, aoff, len) = byte_array(vm, a, 2)?;
    let (st, heap) = parts(vm);
    let src = heap.array_bytes(arr).map_err(|_| NativeError::new(NPE, "byte array"))?;
    let src = &src[aoff..aoff + len];
    let p = held_packet(st, heap, this)?;
    let at = bounds(off, len, p.len())?;
    p.data_mut()[at..at + len].copy_from_slice(src);
    Ok(Value::Void)
}

fn queue_open(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    let id = match st.free_queues.pop() {
        Some(id) => id,
        None if st.queues.len() < MAX_QUEUES => {
            st.queues.push(None);
            st.queues.len() as u32 - 1
        }
        None => return Err(NativeError::new(ISE, format!("more than {MAX_QUEUES} live Queues"))),
    };
    // Weak, so a Queue the VIFlet drops is found dead and its packets released.
    st.queues[id as usize] = Some(heap.weak_new(this, id));
    Ok(Value::Int(id as i32))
}

/// `Packet.ruleBroken(p, returned)`: the one-reference rule was broken.
fn rule_broken(vm: &mut Vm, a: Args) -> NativeResult {
    let (p, returned) = (a.reference(vm, 0), a.int(vm, 1) != 0);
    let (st, heap) = parts(vm);
    let i = buffer_of(st, heap, p)?;
    let queued = heap.get_field::<i32>(p, st.off.place).unwrap_or(PLACE_FREE) >= 0;
    let why = match (returned, queued) {
        (false, true) => {
            format!("Queue.enqueue: packet #{i} is already in a Queue (a packet may be referenced from one place only)")
        }
        (false, false) => {
            format!("Queue.enqueue: packet #{i} is no longer held by this VIFlet (it was sent or dropped)")
        }
        (true, true) => format!(
            "dequeue returned packet #{i}, which is still in a Queue (a packet may be referenced from one place only)"
        ),
        (true, false) => {
            format!("dequeue returned packet #{i}, which the VIFlet no longer holds (it was sent or dropped)")
        }
    };
    Err(abort(st, why))
}

fn register(vm: &mut Vm) {
    let list: &[(&str, &str, &str, pd_jvm::runtime::NativeFn)] = &[
        (PACKET, "getBytes", "(I[BII)V", packet_get_bytes),
        (PACKET, "setBytes", "(I[BII)V", packet_set_bytes),
        (PACKET, "checksum", "(II)I", |vm, a| {
            let (this, off, len) = (a.reference(vm, 0), a.int(vm, 1), a.int(vm, 2));
            let (st, heap) = parts(vm);
            let p = held_packet(st, heap, this)?;
            if len < 0 {
                return Err(NativeError::new(BOUNDS, format!("checksum length {len}")));
            }
            let at = bounds(off, len as usize, p.len())?;
            Ok(Value::Int(internet_checksum(&p.data()[at..at + len as usize]) as i32))
        }),
        (PACKET, "ruleBroken", "(Lcapuchin/vif/Packet;Z)Ljava/lang/RuntimeException;", rule_broken),
        (QUEUE, "open0", "()I", queue_open),
    ];
    for &(c, n, d, f) in list {
        vm.register_native(c, n, d, f);
    }
    // Packet's accessors check offsets against `len` in Java, then load or
    // store through these (compiled code: one access each), in network order.
    pd_jvm::runtime::raw::register_accessors(vm, PACKET, true);
}

/// What a VIF domain needs from its platform to run Java VIFlets.
#[derive(Clone, Copy)]
pub struct JavaHost {
    /// The class library image (`java-l4.img`: java.base and capuchin.vif).
    pub library: fn() -> Result<&'static [u8], String>,
    /// Reads the VIFlet class image a configuration names: a `classes=`
    /// file (hosted), or the image the domain embeds. (A staged image,
    /// `image=N`, the domain reads from its region itself.)
    pub read_classes: fn(&ClassSource) -> Result<Vec<u8>, String>,
    /// Where the VIFlet's `System.out`/`err` and the domain's reports go.
    pub output: fn() -> Box<dyn Output>,
}

impl JavaHost {
    /// A platform without Java VIFlets.
    pub const NONE: JavaHost = JavaHost {
        library: || Err("this VIF domain has no Java class library".to_string()),
        read_classes: |_| Err("this VIF domain cannot read VIFlet images".to_string()),
        output: || Box::new(pd_jvm::runtime::NullOutput),
    };
}

/// The JIT for VIFlets (cargo feature `jit`), as in a Java PD: code memory
/// is the region system.xml maps into the VIF twice, read-write at
/// `jit_code_rw` and read-execute at `jit_code_rx` (docs/jit.md, "Code
/// memory"; the domain passes it to [`set_code_region`]); without those
/// maps (the in-process tests) a private memfd.
///
/// A replacement VIFlet is built while the old one still runs (and keeps
/// running if the new one fails), so the region is used in two halves: a
/// new VM compiles into the half the running one does not use.
#[cfg(feature = "jit")]
mod code {
    use super::*;
    use jit::code_memory::{CodeMemory, DualMapped};
    use pd_jvm::runtime::compiler::JitConfig;

    /// Native stack compiled code may use (compiled methods calling each
    /// other recurse natively): as the JVM PD, most of an seL4 PD's
    /// 256 KiB stack; a hosted main thread has 8 MiB, a test thread 2 MiB.
    const NATIVE_STACK: usize = if cfg!(target_os = "linux") { 1 << 20 } else { 160 << 10 };

    /// The half of the code region the last VIFlet that loaded uses.
    static HALF_IN_USE: AtomicUsize = AtomicUsize::new(1);

    fn code_memory() -> Result<(Box<dyn CodeMemory>, Option<usize>), String> {
        let (write, exec, size) =
            (CODE_WRITE.load(Ordering::Acquire), CODE_EXEC.load(Ordering::Acquire), CODE_SIZE.load(Ordering::Acquire));
        if size != 0 {
            let half = 1 - HALF_IN_USE.load(Ordering::Relaxed);
            let size = size / 2 / 4096 * 4096;
            // SAFETY: two mappings of one region for the domain's life
            // (`set_code_region`'s contract); this half is not used by the
            // running VIFlet's VM (see the module comment).
            let mem = unsafe { DualMapped::new(write.add(half * size), exec + half * size, size) };
            return Ok((Box::new(mem), Some(half)));
        }
        jit::code_memory::default_code_memory().map(|m| (m, None)).ok_or_else(|| {
            String::from(
                "system.xml maps no code memory into this VIF (one memory region mapped perms=\"rw\" with \
                 setvar_vaddr=\"jit_code_rw\" and perms=\"rx\" with setvar_vaddr=\"jit_code_rx\"); run it with jit=off",
            )
        })
    }

    /// Installs the JIT into a new VIFlet's VM (threshold 0: compile
    /// every method before its first run). Returns the half of the code
    /// region it compiles into, for [`commit`].
    pub fn install_jit(vm: &mut Vm, threshold: u32) -> Result<Option<usize>, String> {
        let (memory, half) = code_memory()?;
        let jit = jit::Jit::new(jit::JitOptions::default(), memory).map_err(|d| format!("JIT: {}", d.0))?;
        let config = JitConfig { threshold: Some(threshold), native_stack_bytes: NATIVE_STACK, ..JitConfig::default() };
        vm.set_compiler(Box::new(jit), config);
        Ok(half)
    }

    /// The VIFlet whose VM compiles into `half` loaded and replaces the
    /// running one: the next VIFlet gets the other half. (One that failed
    /// to load leaves the running one's half as it was.)
    pub fn commit(half: Option<usize>) {
        if let Some(h) = half {
            HALF_IN_USE.store(h, Ordering::Relaxed);
        }
    }
}

static CODE_WRITE: AtomicPtr<u8> = AtomicPtr::new(core::ptr::null_mut());
static CODE_EXEC: AtomicUsize = AtomicUsize::new(0);
static CODE_SIZE: AtomicUsize = AtomicUsize::new(0);

/// The VIF domain's code memory for the JIT: one region mapped read-write
/// at `write` and read-execute at `exec`, `size` bytes (system.xml's
/// `jit_code_rw` and `jit_code_rx`). Without it (the in-process tests) the
/// JIT uses a private memfd where the platform has one.
///
/// # Safety
/// Both mappings must be of the same region, stay mapped for the life of
/// the process, and be used by nothing else.
pub unsafe fn set_code_region(write: *mut u8, exec: usize, size: usize) {
    CODE_WRITE.store(write, Ordering::Release);
    CODE_EXEC.store(exec, Ordering::Release);
    CODE_SIZE.store(if size >= 2 * 4096 { size } else { 0 }, Ordering::Release);
}

/// Without the JIT (cargo feature `jit` off) VIFlets are interpreted.
#[cfg(not(feature = "jit"))]
mod code {
    use super::*;

    pub fn install_jit(vm: &mut Vm, _threshold: u32) -> Result<Option<usize>, String> {
        let _ = vm;
        Ok(None)
    }

    pub fn commit(_half: Option<usize>) {}
}

/// Packets per call into Java: the entry costs more than the handlers of a
/// simple VIFlet, so `enqueue`s are batched (until the domain asks for
/// output) and `dequeue`s run ahead by up to this many (a transmit queue of
/// this depth).
pub const BATCH: usize = 64;

/// A loaded VIFlet: its VM, the instance, the batch entry points and the
/// pinned arrays they take.
struct Loaded {
    vm: Vm,
    viflet: Pin,
    /// `int Batch.enqueueAll(VIFlet, Packet[], int[], int)`,
    /// `int Batch.dequeueAll(VIFlet, int[], int)`.
    enq: MethodId,
    deq: MethodId,
    /// `int[2 * BATCH]`s of (buffer number, length) pairs, in and out:
    /// the domain writes and reads them in place, as bytes.
    io_in: Pin,
    io_out: Pin,
    /// Arrived packets in `io_in` not yet given to `enqueue`.
    inbox: usize,
    /// The half of the VIF's code region the JIT compiles into (`code`).
    code_half: Option<usize>,
}

fn describe(vm: &mut Vm, e: VmError, abort: Option<String>) -> String {
    if let Some(why) = abort {
        return why;
    }
    match e {
        VmError::Exception(p) | VmError::StackDepthExceeded(Some(p)) => {
            let d = vm.describe_throwable(&p);
            vm.unpin(p);
            d
        }
        VmError::BudgetExhausted => "call budget exhausted (loops or recurses too long)".to_string(),
        VmError::StackDepthExceeded(None) => "java.lang.StackOverflowError".to_string(),
        VmError::Exit(c) => format!("System.exit({c}) called"),
        other => format!("{other}"),
    }
}

impl Loaded {
    fn load(
        library: &'static [u8],
        classes: &[u8],
        class: &str,
        s: &JavaSettings,
        nbufs: u32,
        output: Box<dyn Output>,
    ) -> Result<Loaded, String> {
        let lib = ClassImage::parse(library).map_err(|e| format!("class library: {e}"))?;
        let image = ClassImage::parse(classes).map_err(|e| format!("VIFlet image: {e}"))?;
        let mut user = MapSource::default();
        for (name, bytes) in image.iter() {
            let n = core::str::from_utf8(name).unwrap_or("?");
            if let Some(p) = RESERVED.iter().find(|p| n.starts_with(**p)) {
                return Err(format!(
                    "VIFlet image: class {} is in a reserved package ({}*)",
                    n.replace('/', "."),
                    p.replace('/', ".")
                ));
            }
            user.0.insert(name.to_vec(), bytes.to_vec());
        }
        let internal = class.replace('.', "/");
        if !user.0.contains_key(internal.as_bytes()) {
            return Err(format!("VIFlet image has no class {class}"));
        }
        let config = VmConfig {
            heap_quota: s.heap as usize,
            // The budget is per packet; an entry carries up to BATCH of them.
            budget: s.budget.saturating_mul(BATCH as u64),
            max_depth: s.max_depth,
            // Natives of capuchin.vif never call back into Java.
            max_native_nesting: 4,
            ..VmConfig::default()
        };
        let mut vm = Vm::new(config, output).map_err(|e| format!("{e}"))?;
        vm.add_source(Box::new(lib));
        vm.add_source(Box::new(user));
        register(&mut vm);
        let code_half = match s.jit {
            Some(threshold) => code::install_jit(&mut vm, threshold)?,
            None => None,
        };
        let link = |vm: &mut Vm, c: &str| {
            vm.load_and_link(c)
                .map_err(|e| format!("{}: {}: {}", c.replace('/', "."), e.class.replace('/', "."), e.message))
        };
        let packet = link(&mut vm, PACKET)?;
        let queue = link(&mut vm, QUEUE)?;
        let base = link(&mut vm, VIFLET)?;
        let field = |vm: &Vm, c, class: &str, name: &str, desc: &str| {
            vm.instance_field_offset(c, name, desc).ok_or(format!("capuchin.vif.{class} has no field {name}"))
        };
        let off = Offsets {
            index: field(&vm, packet, "Packet", "index", "I")?,
            place: field(&vm, packet, "Packet", "place", "I")?,
            len: field(&vm, packet, "Packet", "len", "I")?,
            data: field(&vm, packet, "Packet", "data", "J")?,
            ring: field(&vm, queue, "Queue", "ring", "[Ljava/lang/Object;")?,
            head: field(&vm, queue, "Queue", "head", "I")?,
            count: field(&vm, queue, "Queue", "count", "I")?,
            queued: vm.static_int_slot(queue, "queued").ok_or("capuchin.vif.Queue has no static queued")?,
        };
        let mut slots = Vec::with_capacity(nbufs as usize);
        slots.resize_with(nbufs as usize, || None);
        vm.set_embedder_data(VifJava {
            slots,
            data: alloc::vec![0; nbufs as usize],
            queues: Vec::new(),
            free_queues: Vec::new(),
            held: 0,
            reaped: 0,
            abort: None,
            off,
            wrappers: None,
        });
        let array = |vm: &mut Vm, what: &str, desc: &str, n: i32| -> Result<Pin, String> {
            match vm.invoke_static("capuchin/vif/Batch", what, desc, &[Value::Int(n)]) {
                Ok(Value::Ref(r)) => Ok(vm.pin(r)),
                Ok(_) => Err(format!("Batch.{what} returned no array")),
                Err(e) => Err(format!("Batch.{what}: {}", describe(vm, e, None))),
            }
        };
        let wrappers = match vm.invoke_static(PACKET, "pool", "(I)[Lcapuchin/vif/Packet;", &[Value::Int(nbufs as i32)])
        {
            Ok(Value::Ref(r)) => vm.pin(r),
            Ok(_) => return Err("Packet.pool returned no array".into()),
            Err(e) => return Err(format!("packet wrappers: {}", describe(&mut vm, e, None))),
        };
        parts(&mut vm).0.wrappers = Some(wrappers);
        let io_in = array(&mut vm, "ints", "(I)[I", 2 * BATCH as i32)?;
        let io_out = array(&mut vm, "ints", "(I)[I", 2 * BATCH as i32)?;
        let batch = link(&mut vm, "capuchin/vif/Batch")?;
        let enq = vm.find_method(batch, "enqueueAll", "(Lcapuchin/vif/VIFlet;[Lcapuchin/vif/Packet;[II)I");
        let deq = vm.find_method(batch, "dequeueAll", "(Lcapuchin/vif/VIFlet;[II)I");
        let (Some(enq), Some(deq)) = (enq, deq) else {
            return Err("the class library's capuchin.vif.Batch lacks its entry points".into());
        };
        let c = link(&mut vm, &internal)?;
        if !vm.is_subclass(c, base) {
            return Err(format!("{class} does not extend capuchin.vif.VIFlet"));
        }
        let viflet = match vm.new_instance(&internal) {
            Ok(p) => p,
            Err(e) => {
                let why = parts(&mut vm).0.abort.take();
                return Err(format!("{class}.<init>: {}", describe(&mut vm, e, why)));
            }
        };
        Ok(Loaded { vm, viflet, enq, deq, io_in, io_out, inbox: 0, code_half })
    }

    /// Gives packets from `ps` to the VIFlet (their buffers' slots, and
    /// the inbox) until the inbox is full, `ps` is empty, or a buffer's
    /// wrapper had to follow it to a new address (then `true`: call again).
    /// One look-up of the domain's state and the inbox for all of them.
    fn give_all(&mut self, ps: &mut impl Iterator<Item = Packet>) -> bool {
        let io = self.vm.pinned(&self.io_in);
        let mut k = self.inbox;
        let mut moved = None;
        {
            let (st, heap) = parts(&mut self.vm);
            let inbox = heap.array_bytes_mut(io).expect("the inbox is a pinned int[]");
            for w in inbox[k * 8..BATCH * 8].chunks_exact_mut(8) {
                let Some(p) = ps.next() else { break };
                let (pair, m) = st.hold(p);
                w.copy_from_slice(&pair.to_le_bytes());
                k += 1;
                if let Some(addr) = m {
                    moved = Some((pair as u32 as usize, addr));
                    break;
                }
            }
        }
        self.inbox = k;
        let Some((i, addr)) = moved else { return false };
        self.set_data(i, addr);
        true
    }

    /// The wrapper of buffer `i` follows the buffer to `addr` (once per
    /// buffer in a VIF domain, whose pool stays mapped).
    #[cold]
    #[inline(never)]
    fn set_data(&mut self, i: usize, addr: usize) {
        self.st().data[i] = addr;
        let w = wrappers(&self.vm);
        let (st, heap) = parts(&mut self.vm);
        let _ = heap.get_element::<Ref>(w, i as i32).and_then(|p| heap.set_field::<i64>(p, st.off.data, addr as i64));
    }

    fn st(&mut self) -> &mut VifJava {
        parts(&mut self.vm).0
    }

    /// Takes buffer `i`'s packet back from the VIFlet (`None` if it does
    /// not hold one).
    fn release(&mut self, i: u32) -> Option<Packet> {
        self.st().release(i)
    }

    /// `place` of buffer `i`'s wrapper.
    fn place(&self, i: usize) -> i32 {
        let (w, heap) = (wrappers(&self.vm), self.vm.heap());
        let st = self.vm.embedder_data::<VifJava>().expect("runtime");
        heap.get_element::<Ref>(w, i as i32).and_then(|p| heap.get_field::<i32>(p, st.off.place)).unwrap_or(PLACE_FREE)
    }

    /// Takes buffer `i`'s packet back from the VIFlet whatever Java
    /// thinks: its wrapper stops reaching the buffer (`place` free, `len`
    /// 0) and the packet keeps the length Java gave it, if Java had it.
    fn take_back(&mut self, i: u32) -> Option<Packet> {
        let w = wrappers(&self.vm);
        let (st, heap) = parts(&mut self.vm);
        let mut len = None;
        if let Ok(p) = heap.get_element::<Ref>(w, i as i32) {
            // A packet Java has not seen yet (still free there: a batch
            // stopped part way) keeps the length the domain gave it.
            if heap.get_field::<i32>(p, st.off.place).is_ok_and(|place| place != PLACE_FREE) {
                len = heap.get_field::<i32>(p, st.off.len).ok();
            }
            let _ = heap.set_field::<i32>(p, st.off.place, PLACE_FREE);
            let _ = heap.set_field::<i32>(p, st.off.len, 0);
        }
        let mut pkt = self.release(i)?;
        if let Some(n) = len {
            pkt.set_len(n.max(0) as usize);
        }
        Some(pkt)
    }

    /// After a call: packets a handler took from a Queue and left in hand
    /// were dropped. They are found by counting (cheap, every call) and,
    /// only if some are missing from the Queues, by a scan of the pool.
    fn sweep_hand(&mut self) {
        let st = self.vm.embedder_data::<VifJava>().expect("runtime");
        let queued = self.vm.static_int(st.off.queued) as u32;
        if st.held.wrapping_add(st.reaped) == queued {
            return;
        }
        for i in 0..self.st().slots.len() {
            if self.st().slots[i].is_some() && self.place(i) == PLACE_IN_HAND {
                drop(self.take_back(i as u32));
            }
        }
    }

    /// Queues the collector found dead: their packets were forgotten and
    /// go back to the pool. Returns how many.
    fn reap_queues(&mut self) -> u64 {
        let cleared = self.vm.heap_mut().take_cleared_weaks();
        if cleared.is_empty() {
            return 0;
        }
        let mut dead = Vec::with_capacity(cleared.len());
        {
            let (st, heap) = parts(&mut self.vm);
            for c in cleared {
                let Some(w) = st.queues.get_mut(c.tag as usize).and_then(Option::take) else { continue };
                heap.weak_free(w);
                st.free_queues.push(c.tag);
                dead.push(c.tag as i32);
            }
        }
        let mut n = 0;
        for i in 0..self.st().slots.len() {
            if self.st().slots[i].is_some() && dead.contains(&self.place(i)) {
                drop(self.take_back(i as u32));
                let st = self.st();
                st.reaped = st.reaped.wrapping_add(1);
                n += 1;
            }
        }
        n
    }

    /// Every packet the VIFlet holds, queued ones in queue order (read
    /// from the Queues' rings; the VIFlet no longer runs).
    fn take_all(&mut self) -> Vec<Packet> {
        let mut order = Vec::new();
        let (st, heap) = parts(&mut self.vm);
        for q in st.queues.iter().flatten() {
            let Some(obj) = heap.weak_get(*q) else { continue };
            let ring = heap.get_field::<Ref>(obj, st.off.ring).unwrap_or(Ref::NULL);
            let (head, count) = (
                heap.get_field::<i32>(obj, st.off.head).unwrap_or(0),
                heap.get_field::<i32>(obj, st.off.count).unwrap_or(0),
            );
            let len = heap.array_length(ring).unwrap_or(0);
            for k in 0..count.min(len) {
                let Ok(p) = heap.get_element::<Ref>(ring, (head + k) & (len - 1)) else { continue };
                order.extend(heap.get_field::<i32>(p, st.off.index).ok().map(|i| i as u32));
            }
        }
        // Then the rest (in hand, or not given to Java yet), by buffer.
        order.extend(0..st.slots.len() as u32);
        order.into_iter().filter_map(|i| self.take_back(i)).collect()
    }
}

/// A Java VIFlet as the domain's packet processor.
pub struct JavaProcessor {
    name: String,
    loaded: Option<Loaded>,
    policy: FaultPolicy,
    /// Packets the VIFlet dequeued that the domain has not taken yet
    /// (single `dequeue`s take a batch from Java at a time).
    ready: VecDeque<Packet>,
    /// Reused by `fill_ready`.
    scratch: Vec<Packet>,
    /// After a fault: what passes through (policy `pass`).
    fallback: VecDeque<Packet>,
    faults: u64,
    /// Why the VIFlet was stopped.
    pub last_error: Option<String>,
    output: Box<dyn Output>,
    nbufs: u32,
    enqueues: u64,
    /// Arrivals counted at the last collection we forced.
    last_gc: u64,
    /// Dropped packets (since the domain last asked) that were forgotten.
    forgotten: u64,
}

impl JavaProcessor {
    /// Loads `class` from `classes` (a class image) over `library` and runs
    /// its constructor. `nbufs` is the domain's pool size.
    pub fn load(
        library: &'static [u8],
        classes: &[u8],
        class: &str,
        s: &JavaSettings,
        nbufs: u32,
        host_output: fn() -> Box<dyn Output>,
    ) -> Result<Self, String> {
        let loaded = Loaded::load(library, classes, class, s, nbufs, host_output())?;
        code::commit(loaded.code_half);
        Ok(JavaProcessor {
            name: format!("java:{class}"),
            loaded: Some(loaded),
            policy: s.on_fault,
            ready: VecDeque::with_capacity(BATCH),
            scratch: Vec::with_capacity(BATCH),
            fallback: VecDeque::new(),
            faults: 0,
            last_error: None,
            output: host_output(),
            nbufs,
            enqueues: 0,
            last_gc: 0,
            forgotten: 0,
        })
    }

    /// The VIFlet's heap statistics (`None` once it was stopped).
    pub fn heap_stats(&self) -> Option<pd_jvm::heap::GcStats> {
        self.loaded.as_ref().map(|l| l.vm.heap_stats())
    }

    /// The methods of `class` (internal name) that have compiled code (the
    /// JIT), by name; empty once the VIFlet was stopped.
    pub fn compiled_methods_of(&mut self, class: &str) -> Vec<String> {
        let Some(l) = self.loaded.as_mut() else { return Vec::new() };
        let Ok(c) = l.vm.load_and_link(class) else { return Vec::new() };
        let methods = l.vm.class_methods(c).to_vec();
        methods
            .into_iter()
            .filter(|&m| l.vm.is_compiled(m))
            .map(|m| String::from_utf8_lossy(l.vm.method_name(m).0).into_owned())
            .collect()
    }

    /// Whether the VIFlet is running (not stopped by a fault).
    pub fn running(&self) -> bool {
        self.loaded.is_some()
    }

    /// Stops the VIFlet: reports why, and hands its packets to the policy.
    fn fault(&mut self, e: VmError) {
        let Some(mut l) = self.loaded.take() else { return };
        let why = l.st().abort.take();
        let why = describe(&mut l.vm, e, why);
        // Dequeued and waiting first (they left the VIFlet first), then what it held.
        let mut held: Vec<Packet> = self.ready.drain(..).collect();
        held.extend(l.take_all());
        let n = held.len();
        let then = match self.policy {
            FaultPolicy::Pass => {
                self.fallback.extend(held);
                "passing packets through"
            }
            FaultPolicy::Drop => {
                drop(held);
                "dropping packets"
            }
        };
        let first = why.lines().next().unwrap_or("").to_string();
        let msg = format!(
            "{}: VIFlet stopped: {why}\n{}: {n} held packet(s) {}; now {then} until a new VIFlet is loaded\n",
            self.name,
            self.name,
            if self.policy == FaultPolicy::Pass { "passed on" } else { "dropped" }
        );
        self.output.write(2, msg.as_bytes());
        self.last_error = Some(first);
        self.faults += 1;
    }

    /// Forgotten packets come back when a collection finds their Queue
    /// dead. Collections follow allocation, so a VIFlet that forgets
    /// without allocating would keep its buffers: collect when most of the
    /// pool is queued, or when `dequeue` finds nothing while packets are
    /// queued (a sign of forgotten ones), at most once per `every` arrivals.
    fn maybe_collect(&mut self, every: u64) {
        let Some(l) = self.loaded.as_mut() else { return };
        if self.enqueues >= self.last_gc + every {
            self.last_gc = self.enqueues;
            l.vm.collect_garbage();
            self.forgotten += l.reap_queues();
        }
    }

    /// Packets the running VIFlet holds (queued, in hand or in the inbox).
    fn java_held(&self) -> u32 {
        self.loaded.as_ref().and_then(|l| l.vm.embedder_data::<VifJava>()).map_or(0, |s| s.held)
    }

    /// Gives the arrived packets to the VIFlet's `enqueue`, in one entry.
    /// (Checked inline: `dequeue` asks once per packet.)
    #[inline]
    fn flush_inbox(&mut self) {
        if self.loaded.as_ref().is_some_and(|l| l.inbox > 0) {
            self.flush_inbox_now();
        }
    }

    // Out of line, so the per-packet `enqueue` and `dequeue` stay small
    // functions that save few registers.
    #[inline(never)]
    fn flush_inbox_now(&mut self) {
        let Some(l) = self.loaded.as_mut() else { return };
        let n = core::mem::take(&mut l.inbox);
        let (arr, wrappers, obj) = (l.vm.pinned(&l.io_in), wrappers(&l.vm), l.vm.pinned(&l.viflet));
        let args = [Value::Ref(obj), Value::Ref(wrappers), Value::Ref(arr), Value::Int(n as i32)];
        let r = l.vm.invoke(l.enq, &args);
        let aborted = l.st().abort.is_some();
        self.enqueues += n as u64;
        match r {
            Ok(Value::Int(d)) if !aborted && (0..=n as i32).contains(&d) => {
                // The packets `enqueue` left in hand: Batch marked them free.
                for k in 0..d {
                    let i = l.vm.heap().get_element::<i32>(arr, k).unwrap_or(-1);
                    drop(l.release(i as u32));
                }
                l.sweep_hand();
            }
            Ok(_) => return self.fault(VmError::Internal(String::new())),
            Err(e) => return self.fault(e),
        }
        self.forgotten += l.reap_queues();
        if l.st().held as u64 * 4 >= u64::from(self.nbufs) * 3 {
            self.maybe_collect(u64::from(self.nbufs));
        }
    }

    /// Runs the VIFlet's `dequeue` for up to [`BATCH`] packets, in one entry.
    #[inline(never)]
    fn fill_ready(&mut self) {
        let mut got = core::mem::take(&mut self.scratch);
        self.fill(&mut got, BATCH);
        self.ready.extend(got.drain(..));
        self.scratch = got;
    }

    /// Runs the VIFlet's `dequeue` for up to `max` (at most [`BATCH`])
    /// packets, in one entry, and appends them to `out`.
    #[inline(never)]
    fn fill(&mut self, out: &mut Vec<Packet>, max: usize) {
        let Some(l) = self.loaded.as_mut() else { return };
        let max = max.min(BATCH);
        let (io, obj) = (l.vm.pinned(&l.io_out), l.vm.pinned(&l.viflet));
        let r = l.vm.invoke(l.deq, &[Value::Ref(obj), Value::Ref(io), Value::Int(max as i32)]);
        let aborted = l.st().abort.is_some();
        let n = match r {
            Ok(Value::Int(n)) if !aborted && (0..=max as i32).contains(&n) => n as usize,
            Ok(_) => return self.fault(VmError::Internal(String::new())),
            Err(e) => return self.fault(e),
        };
        // Batch checked each packet was in hand and marked it free; back to
        // the domain with one look-up of its state and the array.
        let (st, heap) = parts(&mut l.vm);
        let pairs = heap.array_bytes(io).expect("the outbox is a pinned int[]");
        if let Some(i) = st.take_dequeued(&pairs[..n * 8], out) {
            st.abort = Some(format!("dequeue returned packet #{i}, which the VIFlet does not hold"));
            return self.fault(VmError::Internal(String::new()));
        }
        l.sweep_hand();
        self.forgotten += l.reap_queues();
        if n < max && l.st().held > 0 {
            // The VIFlet said null while it holds packets (the domain asks
            // no more after a short batch): once per batch of arrivals, so
            // the last forgotten packets come back before the domain goes
            // idle (a shaper that holds packets pays a collection of its
            // small heap per wakeup).
            self.maybe_collect(1);
        }
    }
}

impl PacketProcessor for JavaProcessor {
    fn name(&self) -> &str {
        &self.name
    }

    fn enqueue(&mut self, p: Packet) {
        let Some(l) = self.loaded.as_mut() else {
            if self.policy == FaultPolicy::Pass {
                self.fallback.push_back(p);
            }
            return;
        };
        l.give_all(&mut core::iter::once(p));
        if l.inbox == BATCH {
            self.flush_inbox_now();
        }
    }

    fn dequeue(&mut self) -> Option<Packet> {
        self.flush_inbox();
        if self.ready.is_empty() {
            self.fill_ready();
        }
        // After a fault, what the VIFlet held passes through (policy pass).
        self.ready.pop_front().or_else(|| self.fallback.pop_front())
    }

    /// As `enqueue` for each, with one look-up of the domain's state per
    /// run of packets (up to a full inbox).
    fn enqueue_all(&mut self, ps: &mut Vec<Packet>) {
        let mut ps = ps.drain(..);
        loop {
            let Some(l) = self.loaded.as_mut() else {
                // Stopped, before or during this batch: the policy applies.
                if self.policy == FaultPolicy::Pass {
                    self.fallback.extend(ps);
                }
                return;
            };
            let moved = l.give_all(&mut ps);
            if l.inbox == BATCH {
                self.flush_inbox_now();
            } else if !moved {
                // Not full and not stopped early: `ps` is empty.
                return;
            }
        }
    }

    fn dequeue_into(&mut self, out: &mut Vec<Packet>, max: usize) {
        self.flush_inbox();
        // What single `dequeue`s left first, then straight from Java.
        while out.len() < max {
            let Some(p) = self.ready.pop_front() else { break };
            out.push(p);
        }
        // A VIFlet that holds no packet has none to give: no call into
        // Java to hear it say null (the domain asks until a call comes
        // back short, so this saves an entry per batch).
        while out.len() < max && self.java_held() > 0 {
            let asked = (max - out.len()).min(BATCH);
            let before = out.len();
            self.fill(out, asked);
            if out.len() - before < asked {
                // Its `dequeue` said null (or it stopped).
                break;
            }
        }
        // After a fault, what the VIFlet held passes through (policy pass).
        while out.len() < max {
            let Some(p) = self.fallback.pop_front() else { break };
            out.push(p);
        }
    }

    fn backlog(&self) -> usize {
        // Held by the VIFlet: queued (the inbox is held too, not yet given).
        self.java_held() as usize + self.ready.len() + self.fallback.len()
    }

    fn faults(&self) -> u64 {
        self.faults
    }

    fn info(&self) -> String {
        match &self.last_error {
            Some(e) if !self.running() => {
                let then = if self.policy == FaultPolicy::Pass { "passing" } else { "dropping" };
                format!("{} stopped, {then}: {e}", self.name)
            }
            _ => self.name.clone(),
        }
    }

    fn take_forgotten(&mut self) -> u64 {
        core::mem::take(&mut self.forgotten)
    }

    fn compiled_methods(&mut self) -> u64 {
        let class = self.name.trim_start_matches("java:").replace('.', "/");
        (self.compiled_methods_of(&class).len() + self.compiled_methods_of("capuchin/vif/Batch").len()) as u64
    }

    fn code_changes(&self) -> u64 {
        // Stopped: one more than any count, so the stop is seen.
        self.loaded.as_ref().map_or(u64::MAX, |l| l.vm.jit_code_changes())
    }

    /// Everything, without running Java: what was dequeued, what is queued
    /// (queue by queue), what has not reached `enqueue` yet, what passed.
    fn take_all(&mut self) -> Vec<Packet> {
        let mut out: Vec<Packet> = self.ready.drain(..).collect();
        if let Some(l) = self.loaded.as_mut() {
            l.inbox = 0;
            out.extend(l.take_all());
        }
        out.extend(self.fallback.drain(..));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::internet_checksum;

    #[test]
    fn internet_checksum_of_rfc1071_example_and_an_ipv4_header() {
        // RFC 1071 section 3: the sum of these words is 0xddf2.
        assert_eq!(internet_checksum(&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]), !0xddf2);
        let hdr = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8,
            0x00, 0xc7,
        ];
        assert_eq!(internet_checksum(&hdr), 0, "a header with its checksum in place sums to 0");
        assert_eq!(internet_checksum(&[0xff]), !0xff00);
        assert_eq!(internet_checksum(&[]), 0xffff);
    }
}
