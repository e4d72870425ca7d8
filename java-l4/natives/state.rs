//! The natives' state, attached to the VM ([`Vm::set_embedder_data`]):
//! the PD's environment, the platform, one handle table per kind of native
//! object (003 advises against one table for all kinds: a handle can never
//! be taken for another kind), the registered servers, and cached field
//! offsets.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use ipc_bindings::stream::{StreamError, STREAM_CAPACITY};
use pd_jvm::heap::{Handle, HandleError, HandleTable, Heap, Ref};
use pd_jvm::runtime::{EmbedderKey, MethodId, NativeError, Pin, RefCall, Vm};

use crate::image::PdEntry;
use crate::kernel::Kernel;

pub(crate) const IPC_EX: &str = "capuchin/l4/IpcException";
pub(crate) const STREAM_EX: &str = "capuchin/l4/IpcStreamException";
pub(crate) const HANDLE_EX: &str = "capuchin/l4/InvalidHandleException";
pub(crate) const NO_SUCH_EX: &str = "capuchin/l4/NoSuchCapException";
pub(crate) const BOUNDS_EX: &str = "java/lang/IndexOutOfBoundsException";
pub(crate) const NPE: &str = "java/lang/NullPointerException";
pub(crate) const ARG_EX: &str = "java/lang/IllegalArgumentException";

/// Table capacities: a PD has at most 62 channels; streams and regions are
/// bounded so a leaking program fails with an exception instead of eating
/// the PD's memory (dead wrappers are reaped first).
pub const CAP_TABLE: u32 = 256;
pub const STREAM_TABLE: u32 = 1024;
pub const REGION_TABLE: u32 = 256;

/// A PD's channels and regions, as system.xml gives them (from the image
/// header in a PD; built directly by tests).
#[derive(Debug, Clone, Default)]
pub struct PdEnv {
    pub channels: Vec<ChannelInfo>,
    pub regions: Vec<RegionInfo>,
}

#[derive(Debug, Clone)]
pub struct ChannelInfo {
    pub id: u8,
    pub peer: String,
    pub pp: bool,
    pub notify: bool,
}

#[derive(Debug, Clone)]
pub struct RegionInfo {
    pub mr: String,
    pub setvar: Option<String>,
    pub size: u64,
    pub writable: bool,
}

impl PdEnv {
    pub fn from_entry(e: &PdEntry<'_>) -> Self {
        PdEnv {
            channels: e
                .channels
                .iter()
                .map(|c| ChannelInfo { id: c.id, peer: c.peer.into(), pp: c.pp, notify: c.notify })
                .collect(),
            regions: e
                .regions
                .iter()
                .map(|r| RegionInfo {
                    mr: r.mr.into(),
                    setvar: r.setvar.map(String::from),
                    size: r.size,
                    writable: r.writable,
                })
                .collect(),
        }
    }

    pub(crate) fn channel(&self, id: i32) -> Option<&ChannelInfo> {
        self.channels.iter().find(|c| i32::from(c.id) == id)
    }

    /// `calc_server (channel 0), ping (channel 3)`.
    pub(crate) fn channel_list(&self) -> String {
        if self.channels.is_empty() {
            return String::from("none");
        }
        let items: Vec<String> = self.channels.iter().map(|c| format!("{} (channel {})", c.peer, c.id)).collect();
        items.join(", ")
    }

    pub(crate) fn region_list(&self) -> String {
        if self.regions.is_empty() {
            return String::from("none");
        }
        let items: Vec<String> = self
            .regions
            .iter()
            .map(|r| match &r.setvar {
                Some(s) if *s != r.mr => format!("{s} (region {}, {} bytes)", r.mr, r.size),
                _ => format!("{} ({} bytes)", r.mr, r.size),
            })
            .collect();
        items.join(", ")
    }
}

/// The native side of a `Cap`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CapEntry {
    pub id: u8,
    pub pp: bool,
    pub notify: bool,
}

/// The native side of an `IpcStream`: the message being written and the
/// message received, each a full set of message registers.
///
/// Java reads and writes it too: the primitive puts and gets of
/// IpcStream.java load and store the positions and bytes through raw
/// natives at the offsets below (its `*_AT` constants; 64-bit targets).
#[repr(C)]
pub(crate) struct StreamBuf {
    pub out_len: usize,
    pub in_len: usize,
    pub in_pos: usize,
    pub out: [u8; STREAM_CAPACITY],
    pub inb: [u8; STREAM_CAPACITY],
}

// IpcStream.java's OUT_LEN_AT, IN_LEN_AT, IN_POS_AT, OUT_AT, IN_AT.
const _: () = {
    assert!(core::mem::offset_of!(StreamBuf, out_len) == 0);
    assert!(core::mem::offset_of!(StreamBuf, in_len) == 8);
    assert!(core::mem::offset_of!(StreamBuf, in_pos) == 16);
    assert!(core::mem::offset_of!(StreamBuf, out) == 24);
    assert!(core::mem::offset_of!(StreamBuf, inb) == 24 + STREAM_CAPACITY);
};

/// Message registers a stream holds (its capacity in words).
const STREAM_WORDS: usize = STREAM_CAPACITY / 8;

// The word views below need both buffers 8-aligned.
const _: () = {
    assert!(STREAM_CAPACITY % 8 == 0);
    assert!(core::mem::align_of::<StreamBuf>() >= 8);
    assert!(core::mem::offset_of!(StreamBuf, out) % 8 == 0);
    assert!(core::mem::offset_of!(StreamBuf, inb) % 8 == 0);
};

impl StreamBuf {
    pub fn new() -> Box<Self> {
        Box::new(StreamBuf { out_len: 0, in_len: 0, in_pos: 0, out: [0; STREAM_CAPACITY], inb: [0; STREAM_CAPACITY] })
    }

    /// Takes the first `words` message registers as the received message.
    /// Inline, as `send`: into a caller that has a frame already.
    #[inline]
    pub fn receive(&mut self, words: usize) {
        let words = words.min(STREAM_WORDS);
        // SAFETY: `inb` is 8-aligned and STREAM_WORDS words long (above).
        let inb = unsafe { &mut *self.inb.as_mut_ptr().cast::<[u64; STREAM_WORDS]>() };
        // SAFETY: the copies here run from the PD's entry points or from
        // natives, never inside a borrow of the registers (ipc-bindings'
        // closures run no Java), and call nothing.
        unsafe { ipc_bindings::with_msg_regs_unchecked(|mr| copy_words(&mut inb[..words], &mr[..words])) };
        self.in_len = words * 8;
        self.in_pos = 0;
    }

    /// A call's request received and the output emptied for its reply.
    #[inline(always)]
    pub fn start_request(&mut self, words: usize) {
        self.receive(words);
        self.out_len = 0;
    }

    /// An empty received message (a call that failed).
    pub fn receive_nothing(&mut self) {
        self.in_len = 0;
        self.in_pos = 0;
    }

    /// Sends what was written: zero-pads it to whole registers, stores
    /// them in the message registers and empties the output; returns the
    /// register count. Word copies: the usual message is a few registers,
    /// where `memcpy` and a byte-wise pad cost more than the message.
    #[inline]
    pub fn send(&mut self) -> usize {
        let n = self.out_len.min(STREAM_CAPACITY);
        let (words, tail) = (n.div_ceil(8), n % 8);
        // SAFETY: as in `receive`, for `out`.
        let out = unsafe { &*self.out.as_ptr().cast::<[u64; STREAM_WORDS]>() };
        // SAFETY: as in `receive`.
        unsafe {
            ipc_bindings::with_msg_regs_unchecked(|mr| {
                copy_words(&mut mr[..words], &out[..words]);
                if tail != 0 {
                    // The stream is little-endian bytes: keep the first `tail`.
                    let last = u64::from_le(mr[words - 1]) & ((1u64 << (tail * 8)) - 1);
                    mr[words - 1] = last.to_le();
                }
            })
        };
        self.out_len = 0;
        words
    }
}

/// `dst.copy_from_slice(src)` without a call to `memcpy` for the short
/// messages that are the common case.
#[inline(always)]
fn copy_words(dst: &mut [u64], src: &[u64]) {
    let n = dst.len();
    if n > 3 || src.len() != n {
        copy_many_words(dst, src);
        return;
    }
    // One load and one store per word. Element assignments of two or
    // three words were merged into a 16-byte move staged on the stack
    // (aarch64: ten instructions for two words); a non-overlapping copy
    // of a known length is not.
    // SAFETY: both slices hold `n` words, and `&mut` excludes overlap.
    unsafe {
        match n {
            1 => core::ptr::copy_nonoverlapping(src.as_ptr(), dst.as_mut_ptr(), 1),
            2 => core::ptr::copy_nonoverlapping(src.as_ptr(), dst.as_mut_ptr(), 2),
            3 => core::ptr::copy_nonoverlapping(src.as_ptr(), dst.as_mut_ptr(), 3),
            _ => {}
        }
    }
}

/// Out of line, so that the short copies' callers save no registers for
/// the call to `memcpy`.
#[cold]
#[inline(never)]
fn copy_many_words(dst: &mut [u64], src: &[u64]) {
    dst.copy_from_slice(src);
}

/// Bytes of `MsgTag`'s four fields (`label`, `words`, `error`, `channel`).
pub(crate) const TAG_BYTES: usize = 20;

/// Field offsets the natives use, resolved once at install.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Offsets {
    pub kind: u32,
    pub index: u32,
    pub generation: u32,
    /// `MsgTag.label`, the first of its four fields: `words`, `error` and
    /// `channel` follow it at +8, +12 and +16 ([`TAG_BYTES`] in all,
    /// checked at install), so `set_tag` writes them after one check.
    pub tag: u32,
    /// `IpcStream.tag`: the stream's own `MsgTag`.
    pub stream_tag: u32,
    /// `IpcStream.base` (the `StreamBuf`'s address) and `IpcStream.room`.
    pub stream_base: u32,
    pub stream_room: u32,
    /// `NativeObject.closed`, `Cap.kernel` and `Cap.channel`: what
    /// `Cap.call` checks and passes to the call.
    pub closed: u32,
    pub cap_kernel: u32,
    pub cap_channel: u32,
    pub string_value: u32,
    /// The bytes holding an `IpcStream`'s `tag`, `base` and `room`, and a
    /// `Cap`'s `closed`, `kernel` and `channel`: what `Cap.call` reads,
    /// each object checked once (`Heap::fields`).
    pub stream_fields: FieldRange,
    pub cap_fields: FieldRange,
}

/// Field bytes `start..start + len` of an instance.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FieldRange {
    pub start: u32,
    pub len: u32,
}

impl FieldRange {
    /// The smallest range holding each `(offset, size)`.
    pub fn covering(fields: &[(u32, u32)]) -> FieldRange {
        let start = fields.iter().map(|f| f.0).min().unwrap_or(0);
        let end = fields.iter().map(|f| f.0 + f.1).max().unwrap_or(start);
        FieldRange { start, len: end - start }
    }

    /// The offset of field `offset` inside the range.
    #[inline(always)]
    pub fn at(self, offset: u32) -> u32 {
        offset.wrapping_sub(self.start)
    }
}

/// A server registered with `Env.serve`.
pub(crate) struct Registered {
    pub protocol: u64,
    pub server: Pin,
    /// `dispatch(MsgTag, IpcStream)` of the server's class.
    pub dispatch: RefCall<3>,
}

/// The stream and tag calls are dispatched on (pinned; one per PD).
pub(crate) struct DispatchStream {
    pub stream: Pin,
    pub tag: Pin,
    pub handle: Handle,
    /// Its buffer: the dispatch stream cannot be closed, so the buffer
    /// lives as long as the PD (`serve_call` uses it without a lookup).
    pub buf: *mut StreamBuf,
}

/// The key the natives' state is attached with: the quick twins find it
/// by comparing one address (`QuickCall::keyed_data_and_heap`).
pub(crate) static L4_KEY: EmbedderKey<L4State> = EmbedderKey::new();

pub(crate) struct L4State {
    pub kernel: Box<dyn Kernel>,
    pub env: PdEnv,
    pub caps: HandleTable<CapEntry>,
    pub streams: HandleTable<Box<StreamBuf>>,
    pub regions: HandleTable<ipc_bindings::MemoryRegion>,
    pub off: Offsets,
    pub servers: Vec<Registered>,
    pub dispatch: Option<DispatchStream>,
    /// `Env.deliverNotification(int)`.
    pub deliver: Option<MethodId>,
    pub native_allocations: Option<fn() -> u64>,
    /// Entries released because their wrapper was collected.
    pub reaped: u64,
}

pub(crate) fn state(vm: &mut Vm) -> &mut L4State {
    vm.embedder_data_mut::<L4State>().expect("java-l4: natives called without java_l4::install")
}

pub(crate) fn parts(vm: &mut Vm) -> (&mut L4State, &mut Heap) {
    vm.embedder_data_and_heap::<L4State>().expect("java-l4: natives called without java_l4::install")
}

pub(crate) fn npe(what: &str) -> NativeError {
    NativeError::new(NPE, what)
}

pub(crate) fn stream_error(e: StreamError) -> NativeError {
    NativeError::new(STREAM_EX, format!("{e}"))
}

/// Reads a wrapper's handle fields.
pub(crate) fn handle_of(heap: &Heap, off: &Offsets, obj: Ref) -> Result<Handle, NativeError> {
    let (index, generation) =
        heap.get_field_pair::<i32>(obj, off.index, off.generation).map_err(|_| npe("native object"))?;
    Ok(Handle { index: index as u32, generation: generation as u32 })
}

/// Checks that `h` names a live entry issued to `obj` itself: a copied,
/// stale or made-up handle never reaches an entry.
pub(crate) fn check<T>(
    table: &HandleTable<T>,
    heap: &Heap,
    h: Handle,
    obj: Ref,
    class: &str,
) -> Result<(), NativeError> {
    let e = match table.wrapper(heap, h) {
        Ok(Some(w)) if w == obj => return Ok(()),
        Ok(_) => HandleError::Forged,
        Err(e) => e,
    };
    Err(handle_error(e, h, class))
}

/// The exception for a handle that does not name a live entry of its own.
pub(crate) fn handle_error(e: HandleError, h: Handle, class: &str) -> NativeError {
    let why = match e {
        HandleError::Stale => "stale handle (its entry was closed and the slot reused since)",
        HandleError::Forged => "forged handle (not issued to this object)",
        HandleError::Closed => "handle is closed",
        HandleError::Full { .. } => "handle table full",
    };
    NativeError::new(HANDLE_EX, format!("{class}#{}.{}: {why}", h.index, h.generation))
}

pub(crate) fn stream_of<'s>(
    streams: &'s mut HandleTable<Box<StreamBuf>>,
    off: &Offsets,
    heap: &Heap,
    obj: Ref,
) -> Result<&'s mut StreamBuf, NativeError> {
    if obj.is_null() {
        return Err(npe("IpcStream is null"));
    }
    let h = handle_of(heap, off, obj)?;
    streams.get_bound_mut(heap, h, obj).map(|b| &mut **b).map_err(|e| handle_error(e, h, "capuchin.l4.IpcStream"))
}

/// Points an open stream's Java half at its native buffer (`Some`), or
/// cuts it off (`None`: closed; Java checks `room` before any access).
pub(crate) fn bind_stream(heap: &mut Heap, off: &Offsets, obj: Ref, b: Option<&mut StreamBuf>) {
    let (base, room) = match b {
        Some(b) => (b as *mut StreamBuf as i64, STREAM_CAPACITY as i32),
        None => (0, 0),
    };
    let _ = heap.set_field::<i64>(obj, off.stream_base, base);
    let _ = heap.set_field::<i32>(obj, off.stream_room, room);
}

pub(crate) fn cap_of(st: &L4State, heap: &Heap, obj: Ref) -> Result<CapEntry, NativeError> {
    let h = handle_of(heap, &st.off, obj)?;
    st.caps.get_bound(heap, h, obj).copied().map_err(|e| handle_error(e, h, "capuchin.l4.Cap"))
}

pub(crate) fn region_of(st: &L4State, heap: &Heap, obj: Ref) -> Result<ipc_bindings::MemoryRegion, NativeError> {
    if obj.is_null() {
        return Err(npe("MemoryRegion is null"));
    }
    let h = handle_of(heap, &st.off, obj)?;
    st.regions.get_bound(heap, h, obj).copied().map_err(|e| handle_error(e, h, "capuchin.l4.MemoryRegion"))
}

/// Releases the entries of wrappers the collector found dead. Cheap when
/// no collection cleared a weak slot since the last call (one load,
/// inline: it runs after every entry into Java).
#[inline]
pub(crate) fn reap(vm: &mut Vm) {
    if vm.heap().has_cleared_weaks() {
        reap_cleared(vm);
    }
}

#[cold]
#[inline(never)]
fn reap_cleared(vm: &mut Vm) {
    let Some((st, heap)) = vm.embedder_data_and_heap::<L4State>() else { return };
    let cleared = heap.take_cleared_weaks();
    if cleared.is_empty() {
        return;
    }
    let mut n = 0u64;
    st.caps.reap(heap, &cleared, |_, _| n += 1);
    st.streams.reap(heap, &cleared, |_, _| n += 1);
    st.regions.reap(heap, &cleared, |_, _| n += 1);
    st.reaped += n;
}

/// Live entries and slots of each table, for tests and diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableStats {
    pub caps_live: usize,
    pub streams_live: usize,
    pub streams_slots: usize,
    pub regions_live: usize,
    /// Entries released because their wrapper was garbage-collected.
    pub reaped: u64,
}

/// The handle tables' statistics (after releasing what the last
/// collections found dead). `None` without [`crate::install`].
pub fn table_stats(vm: &mut Vm) -> Option<TableStats> {
    vm.embedder_data::<L4State>()?;
    reap(vm);
    let st = state(vm);
    Some(TableStats {
        caps_live: st.caps.len(),
        streams_live: st.streams.len(),
        streams_slots: st.streams.slot_count(),
        regions_live: st.regions.len(),
        reaped: st.reaped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `send` stores whole registers with the pad bytes zeroed, whatever
    /// an earlier, longer message left in the buffer, and empties the
    /// output; `receive` takes exactly the registers it is told.
    #[test]
    fn stream_words_move_through_the_message_registers() {
        let mut b = StreamBuf::new();
        for (len, words) in
            [(0, 0), (1, 1), (8, 1), (9, 2), (13, 2), (16, 2), (17, 3), (33, 5), (STREAM_CAPACITY, STREAM_WORDS)]
        {
            b.out = [0xa5; STREAM_CAPACITY];
            for (i, x) in b.out[..len].iter_mut().enumerate() {
                *x = i as u8 ^ 0x3c;
            }
            b.out_len = len;
            ipc_bindings::with_msg_regs_mut(|mr| mr.fill(u64::MAX));
            assert_eq!(b.send(), words, "{len} bytes");
            assert_eq!(b.out_len, 0);
            ipc_bindings::with_msg_bytes(|mr| {
                for (i, &x) in mr[..words * 8].iter().enumerate() {
                    let want = if i < len { i as u8 ^ 0x3c } else { 0 };
                    assert_eq!(x, want, "{len} bytes: byte {i}");
                }
                assert!(
                    mr[words * 8..].iter().all(|&x| x == 0xff),
                    "{len} bytes: registers past the message untouched"
                );
            });
            b.inb = [0; STREAM_CAPACITY];
            b.in_pos = 3;
            b.receive(words);
            assert_eq!((b.in_len, b.in_pos), (words * 8, 0));
            ipc_bindings::with_msg_bytes(|mr| assert_eq!(b.inb[..words * 8], mr[..words * 8]));
            assert!(b.inb[words * 8..].iter().all(|&x| x == 0), "{len} bytes: nothing received past its registers");
        }
        // More registers than a stream holds: clamped to its capacity.
        b.receive(STREAM_WORDS + 5);
        assert_eq!(b.in_len, STREAM_CAPACITY);
        b.receive_nothing();
        assert_eq!((b.in_len, b.in_pos), (0, 0));
    }
}
