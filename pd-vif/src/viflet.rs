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
//! packet the VIFlet holds; `Queue`s hold buffer numbers natively. Each
//! buffer is free, in the VIFlet's hand (passed to `enqueue`, or taken
//! from a Queue during this call) or in exactly one Queue. After a batch,
//! a packet still in hand and not returned was dropped: its Rust
//! [`Packet`] is dropped and the domain reaps the buffer. A Queue the
//! collector finds dead had its packets forgotten: they are dropped too
//! and counted as `forgotten_reclaimed`.
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
use crate::processor::{simple_class, PacketProcessor};

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

/// Where a buffer is, as far as the VIFlet is concerned.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Held {
    Free,
    /// Passed to `enqueue`, or dequeued from a Queue, during this call.
    InHand,
    Queued(u32),
}

struct Slot {
    pkt: Option<Packet>,
    held: Held,
}

struct NativeQueue {
    items: VecDeque<u32>,
    weak: WeakRef,
}

/// The natives' state ([`Vm::set_embedder_data`]).
struct VifJava {
    slots: Vec<Slot>,
    queues: Vec<Option<NativeQueue>>,
    free_queues: Vec<u32>,
    /// Buffers that came into the VIFlet's hand during this call.
    in_hand: Vec<u32>,
    queued: usize,
    /// Why a native stopped the VIFlet (kept even if Java catches what follows).
    abort: Option<String>,
    off_index: u32,
    off_qid: u32,
    /// `Queue.empty`, the Java mirror of whether a queue is empty.
    off_qempty: u32,
    /// The `Packet[]` of wrappers, one per buffer.
    wrappers: Option<Pin>,
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
    let i = heap.get_field::<i32>(obj, st.off_index).map_err(|_| NativeError::new(NPE, "packet"))? as usize;
    if i >= st.slots.len() {
        return Err(NativeError::new(ISE, format!("packet #{i} is not a buffer of this VIF")));
    }
    Ok(i)
}

fn held_packet<'s>(st: &'s mut VifJava, heap: &Heap, obj: Ref) -> Result<&'s mut Packet, NativeError> {
    let i = buffer_of(st, heap, obj)?;
    let s = &mut st.slots[i];
    match s.pkt.as_mut() {
        Some(p) if s.held != Held::Free => Ok(p),
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
fn read<const N: usize>(vm: &mut Vm, a: Args) -> Result<[u8; N], NativeError> {
    let (this, off) = (a.reference(vm, 0), a.int(vm, 1));
    let (st, heap) = parts(vm);
    let p = held_packet(st, heap, this)?;
    let at = bounds(off, N, p.len())?;
    Ok(p.data()[at..at + N].try_into().expect("N bytes"))
}

fn write(vm: &mut Vm, a: Args, bytes: &[u8]) -> NativeResult {
    let (this, off) = (a.reference(vm, 0), a.int(vm, 1));
    let (st, heap) = parts(vm);
    let p = held_packet(st, heap, this)?;
    let at = bounds(off, bytes.len(), p.len())?;
    p.data_mut()[at..at + bytes.len()].copy_from_slice(bytes);
    Ok(Value::Void)
}

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

fn queue_id(st: &VifJava, heap: &Heap, this: Ref) -> Result<usize, NativeError> {
    let id = heap.get_field::<i32>(this, st.off_qid).map_err(|_| NativeError::new(NPE, "queue"))? as usize;
    match st.queues.get(id) {
        Some(Some(_)) => Ok(id),
        _ => Err(NativeError::new(ISE, "Queue not initialized")),
    }
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
    let weak = heap.weak_new(this, id);
    st.queues[id as usize] = Some(NativeQueue { items: VecDeque::new(), weak });
    heap.set_field::<i32>(this, st.off_qid, id as i32).map_err(|_| NativeError::new(NPE, "queue"))?;
    Ok(Value::Void)
}

fn queue_enqueue(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, p) = (a.reference(vm, 0), a.reference(vm, 1));
    let (st, heap) = parts(vm);
    let q = queue_id(st, heap, this)?;
    let i = buffer_of(st, heap, p)?;
    match st.slots[i].held {
        Held::InHand => {
            st.slots[i].held = Held::Queued(q as u32);
            st.queued += 1;
            let items = &mut st.queues[q].as_mut().expect("checked").items;
            items.push_back(i as u32);
            if items.len() == 1 {
                mirror_empty(st, heap, this, false)?;
            }
            Ok(Value::Void)
        }
        Held::Queued(_) => Err(abort(
            st,
            format!(
                "Queue.enqueue: packet #{i} is already in a Queue (a packet may be referenced from one place only)"
            ),
        )),
        Held::Free => Err(abort(
            st,
            format!("Queue.enqueue: packet #{i} is no longer held by this VIFlet (it was sent or dropped)"),
        )),
    }
}

fn queue_dequeue(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let arr = {
        let st = vm.embedder_data::<VifJava>().expect("runtime");
        vm.pinned(st.wrappers.as_ref().expect("wrappers"))
    };
    let (st, heap) = parts(vm);
    let q = queue_id(st, heap, this)?;
    let items = &mut st.queues[q].as_mut().expect("checked").items;
    let Some(i) = items.pop_front() else {
        return Ok(Value::Ref(Ref::NULL));
    };
    if items.is_empty() {
        mirror_empty(st, heap, this, true)?;
    }
    st.slots[i as usize].held = Held::InHand;
    st.queued -= 1;
    st.in_hand.push(i);
    let w = heap.get_element::<Ref>(arr, i as i32).map_err(|_| NativeError::new(ISE, "packet wrappers"))?;
    Ok(Value::Ref(w))
}

/// Sets a Queue's Java mirror `empty`, which `isEmpty()` reads as a plain
/// field (written only when it changes: from 0 to 1 packet and back).
fn mirror_empty(st: &VifJava, heap: &mut Heap, this: Ref, empty: bool) -> Result<(), NativeError> {
    heap.set_field::<i8>(this, st.off_qempty, empty as i8).map_err(|_| NativeError::new(NPE, "queue"))
}

fn queue_size(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    let q = queue_id(st, heap, this)?;
    Ok(Value::Int(st.queues[q].as_ref().expect("checked").items.len() as i32))
}

fn register(vm: &mut Vm) {
    let list: &[(&str, &str, &str, pd_jvm::runtime::NativeFn)] = &[
        (PACKET, "length", "()I", |vm, a| {
            let this = a.reference(vm, 0);
            let (st, heap) = parts(vm);
            Ok(Value::Int(held_packet(st, heap, this)?.len() as i32))
        }),
        (PACKET, "setLength", "(I)V", |vm, a| {
            let (this, n) = (a.reference(vm, 0), a.int(vm, 1));
            let (st, heap) = parts(vm);
            let p = held_packet(st, heap, this)?;
            if n < 0 || !p.set_len(n as usize) {
                return Err(NativeError::new(BOUNDS, format!("packet length {n} outside 0..2048")));
            }
            Ok(Value::Void)
        }),
        (PACKET, "getByte", "(I)B", |vm, a| Ok(Value::Int(read::<1>(vm, a)?[0] as i8 as i32))),
        (PACKET, "getUnsignedByte", "(I)I", |vm, a| Ok(Value::Int(read::<1>(vm, a)?[0] as i32))),
        (PACKET, "getShort", "(I)S", |vm, a| Ok(Value::Int(i16::from_be_bytes(read::<2>(vm, a)?) as i32))),
        (PACKET, "getUnsignedShort", "(I)I", |vm, a| Ok(Value::Int(u16::from_be_bytes(read::<2>(vm, a)?) as i32))),
        (PACKET, "getInt", "(I)I", |vm, a| Ok(Value::Int(i32::from_be_bytes(read::<4>(vm, a)?)))),
        (PACKET, "setByte", "(II)V", |vm, a| {
            let v = a.int(vm, 2) as u8;
            write(vm, a, &[v])
        }),
        (PACKET, "setShort", "(II)V", |vm, a| {
            let v = a.int(vm, 2) as u16;
            write(vm, a, &v.to_be_bytes())
        }),
        (PACKET, "setInt", "(II)V", |vm, a| {
            let v = a.int(vm, 2);
            write(vm, a, &v.to_be_bytes())
        }),
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
        // A native call, not a Java one plus a native: calls dominate here.
        ("capuchin/vif/SimplePacketClassifier", "classify", "(Lcapuchin/vif/Packet;)I", |vm, a| {
            let p = a.reference(vm, 1);
            let (st, heap) = parts(vm);
            Ok(Value::Int(simple_class(held_packet(st, heap, p)?) as i32))
        }),
        (PACKET, "isHeld", "()Z", |vm, a| {
            let this = a.reference(vm, 0);
            let (st, heap) = parts(vm);
            Ok(Value::Int(held_packet(st, heap, this).is_ok() as i32))
        }),
        (QUEUE, "open0", "()V", queue_open),
        (QUEUE, "enqueue", "(Lcapuchin/vif/Packet;)V", queue_enqueue),
        (QUEUE, "dequeue", "()Lcapuchin/vif/Packet;", queue_dequeue),
        (QUEUE, "size", "()I", queue_size),
    ];
    for &(c, n, d, f) in list {
        vm.register_native(c, n, d, f);
    }
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
pub const BATCH: usize = 32;

/// A loaded VIFlet: its VM, the instance, the batch entry points and the
/// pinned arrays they take.
struct Loaded {
    vm: Vm,
    viflet: Pin,
    /// `Batch.enqueueAll(VIFlet, Packet[], int[], int)`, `Batch.dequeueAll(VIFlet, int[], int)`.
    enq: MethodId,
    deq: MethodId,
    /// `int[BATCH]` of buffer numbers in and out.
    idx_in: Pin,
    idx_out: Pin,
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
        let off_index = vm.instance_field_offset(packet, "index", "I").ok_or("capuchin.vif.Packet has no index")?;
        let off_qid = vm.instance_field_offset(queue, "id", "I").ok_or("capuchin.vif.Queue has no id")?;
        let off_qempty = vm.instance_field_offset(queue, "empty", "Z").ok_or("capuchin.vif.Queue has no empty")?;
        let mut slots = Vec::with_capacity(nbufs as usize);
        slots.resize_with(nbufs as usize, || Slot { pkt: None, held: Held::Free });
        vm.set_embedder_data(VifJava {
            slots,
            queues: Vec::new(),
            free_queues: Vec::new(),
            in_hand: Vec::with_capacity(BATCH * 2),
            queued: 0,
            abort: None,
            off_index,
            off_qid,
            off_qempty,
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
        let idx_in = array(&mut vm, "ints", "(I)[I", BATCH as i32)?;
        let idx_out = array(&mut vm, "ints", "(I)[I", BATCH as i32)?;
        let batch = link(&mut vm, "capuchin/vif/Batch")?;
        let enq = vm.find_method(batch, "enqueueAll", "(Lcapuchin/vif/VIFlet;[Lcapuchin/vif/Packet;[II)V");
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
        Ok(Loaded { vm, viflet, enq, deq, idx_in, idx_out, code_half })
    }

    fn st(&mut self) -> &mut VifJava {
        parts(&mut self.vm).0
    }

    /// Packets still in hand after a call, except those in `keep`, were
    /// dropped.
    fn sweep(&mut self, keep: &[u32]) {
        let st = self.st();
        for k in 0..st.in_hand.len() {
            let i = st.in_hand[k];
            let s = &mut st.slots[i as usize];
            if s.held == Held::InHand && !keep.contains(&i) {
                s.held = Held::Free;
                drop(s.pkt.take());
            }
        }
        st.in_hand.clear();
    }

    /// Queues the collector found dead: their packets were forgotten and
    /// go back to the pool. Returns how many.
    fn reap_queues(&mut self) -> u64 {
        let cleared = self.vm.heap_mut().take_cleared_weaks();
        if cleared.is_empty() {
            return 0;
        }
        let mut n = 0;
        let (st, heap) = parts(&mut self.vm);
        for c in cleared {
            let Some(q) = st.queues.get_mut(c.tag as usize).and_then(Option::take) else { continue };
            heap.weak_free(q.weak);
            st.free_queues.push(c.tag);
            for i in q.items {
                let s = &mut st.slots[i as usize];
                s.held = Held::Free;
                st.queued -= 1;
                n += s.pkt.take().is_some() as u64;
            }
        }
        n
    }

    /// Every packet the VIFlet holds, queued ones in queue order.
    fn take_all(&mut self) -> Vec<Packet> {
        let st = self.st();
        let mut out = Vec::new();
        for q in st.queues.iter_mut().flatten() {
            for i in q.items.drain(..) {
                out.extend(st.slots[i as usize].pkt.take());
            }
        }
        for s in st.slots.iter_mut() {
            s.held = Held::Free;
            out.extend(s.pkt.take());
        }
        st.queued = 0;
        out
    }
}

/// A Java VIFlet as the domain's packet processor.
pub struct JavaProcessor {
    name: String,
    loaded: Option<Loaded>,
    policy: FaultPolicy,
    /// Arrived packets (buffer numbers) not yet given to `enqueue`.
    inbox: Vec<u32>,
    /// Packets the VIFlet dequeued that the domain has not taken yet.
    ready: VecDeque<Packet>,
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
    /// The last batch dequeued (buffer numbers), reused.
    out: Vec<u32>,
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
            inbox: Vec::with_capacity(BATCH),
            ready: VecDeque::with_capacity(BATCH),
            fallback: VecDeque::new(),
            faults: 0,
            last_error: None,
            output: host_output(),
            nbufs,
            enqueues: 0,
            last_gc: 0,
            forgotten: 0,
            out: Vec::with_capacity(BATCH),
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
        self.inbox.clear();
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

    /// Gives the arrived packets to the VIFlet's `enqueue`, in one entry.
    fn flush_inbox(&mut self) {
        if self.inbox.is_empty() {
            return;
        }
        let Some(l) = self.loaded.as_mut() else { return };
        let n = self.inbox.len();
        let (arr, wrappers, obj) = {
            let st = l.vm.embedder_data::<VifJava>().expect("runtime");
            let w = l.vm.pinned(st.wrappers.as_ref().expect("wrappers"));
            (l.vm.pinned(&l.idx_in), w, l.vm.pinned(&l.viflet))
        };
        {
            let (st, heap) = parts(&mut l.vm);
            for (k, &i) in self.inbox.iter().enumerate() {
                let _ = heap.set_element::<i32>(arr, k as i32, i as i32);
            }
            st.in_hand.extend_from_slice(&self.inbox);
        }
        self.inbox.clear();
        let r = l.vm.invoke(l.enq, &[Value::Ref(obj), Value::Ref(wrappers), Value::Ref(arr), Value::Int(n as i32)]);
        let aborted = l.st().abort.is_some();
        match r {
            Ok(_) if !aborted => l.sweep(&[]),
            Ok(_) => self.fault(VmError::Internal(String::new())),
            Err(e) => self.fault(e),
        }
        self.enqueues += n as u64;
        if let Some(l) = self.loaded.as_mut() {
            self.forgotten += l.reap_queues();
            if l.st().queued as u64 * 4 >= u64::from(self.nbufs) * 3 {
                self.maybe_collect(u64::from(self.nbufs));
            }
        }
    }

    /// Runs the VIFlet's `dequeue` for up to [`BATCH`] packets, in one entry.
    fn fill_ready(&mut self) {
        let Some(l) = self.loaded.as_mut() else { return };
        let (arr, obj) = (l.vm.pinned(&l.idx_out), l.vm.pinned(&l.viflet));
        let r = l.vm.invoke(l.deq, &[Value::Ref(obj), Value::Ref(arr), Value::Int(BATCH as i32)]);
        let aborted = l.st().abort.is_some();
        let n = match r {
            Ok(Value::Int(n)) if !aborted && (0..=BATCH as i32).contains(&n) => n as usize,
            Ok(_) => return self.fault(VmError::Internal(String::new())),
            Err(e) => return self.fault(e),
        };
        self.out.clear();
        let mut bad = None;
        {
            let (st, heap) = parts(&mut l.vm);
            for k in 0..n {
                let i = heap.get_element::<i32>(arr, k as i32).unwrap_or(-1) as u32;
                match st.slots.get_mut(i as usize) {
                    // Taken now, so a packet returned twice is caught below.
                    Some(s) if s.held == Held::InHand => {
                        s.held = Held::Free;
                        // push_back: extend(Option) cost ~30 instructions a packet.
                        if let Some(p) = s.pkt.take() {
                            self.ready.push_back(p);
                        }
                        self.out.push(i);
                    }
                    Some(Slot { held: Held::Queued(_), .. }) => {
                        bad = Some(format!(
                            "dequeue returned packet #{i}, which is still in a Queue (a packet may be referenced from one place only)"
                        ));
                        break;
                    }
                    _ => {
                        bad = Some(format!(
                            "dequeue returned packet #{i}, which the VIFlet no longer holds (it was sent or dropped)"
                        ));
                        break;
                    }
                }
            }
        }
        if let Some(why) = bad {
            l.st().abort = Some(why);
            return self.fault(VmError::Internal(String::new()));
        }
        let out = core::mem::take(&mut self.out);
        l.sweep(&out);
        self.out = out;
        self.forgotten += l.reap_queues();
        if n == 0 && l.st().queued > 0 {
            // Once per batch of arrivals: so the last forgotten packets come
            // back before the domain goes idle (a shaper that holds packets
            // pays a collection of its small heap per wakeup).
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
        let i = p.index();
        let s = &mut l.st().slots[i as usize];
        debug_assert!(s.pkt.is_none());
        s.pkt = Some(p);
        s.held = Held::InHand;
        self.inbox.push(i);
        if self.inbox.len() == BATCH {
            self.flush_inbox();
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

    fn backlog(&self) -> usize {
        let java = self.loaded.as_ref().and_then(|l| l.vm.embedder_data::<VifJava>()).map_or(0, |s| s.queued);
        java + self.inbox.len() + self.ready.len() + self.fallback.len()
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

    /// Everything, without running Java: what was dequeued, what is queued
    /// (queue by queue), what has not reached `enqueue` yet, what passed.
    fn take_all(&mut self) -> Vec<Packet> {
        let mut out: Vec<Packet> = self.ready.drain(..).collect();
        if let Some(l) = self.loaded.as_mut() {
            self.inbox.clear();
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
