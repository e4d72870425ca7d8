//! The native methods of `capuchin.l4`. Each checks its wrapper's handle
//! (index, generation, and that the entry was issued to this wrapper), then
//! works on the native object: ipc-bindings' stream writer and reader over
//! the stream's buffers, the platform's channels and memory regions. None
//! allocates unless it returns a new Java object or throws.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use ipc_bindings::stream::{StreamError, StreamReader, StreamWriter, STREAM_CAPACITY};
use ipc_bindings::{Channel, IpcError, MessageInfo, RegionError};
use pd_jvm::heap::{AccessError, FieldsMut, Handle, HandleTable, Heap, Ref};
use pd_jvm::runtime::twin::QuickCall;
use pd_jvm::runtime::{Args, NativeError, NativeResult, Value, Vm};

use crate::kernel::Kernel;
use crate::state::*;
use crate::{ERROR_NOT_GRANTED, ERROR_NO_PLATFORM, ERROR_OK, ERROR_PEER_FAULTED, MAX_LABEL};

const STREAM: &str = "capuchin/l4/IpcStream";
const CAP: &str = "capuchin/l4/Cap";
const REGION: &str = "capuchin/l4/MemoryRegion";
const ENV: &str = "capuchin/l4/Env";
const NATIVE_OBJECT: &str = "capuchin/l4/NativeObject";

/// `NativeObject.kind` values (see NativeObject.java).
const KIND_CAP: i32 = 1;
const KIND_STREAM: i32 = 2;
const KIND_REGION: i32 = 3;

pub(crate) fn register(vm: &mut Vm) {
    let list: &[(&str, &str, &str, pd_jvm::runtime::NativeFn)] = &[
        (NATIVE_OBJECT, "close0", "()V", object_close),
        (NATIVE_OBJECT, "isOpen0", "()Z", object_is_open),
        // IpcStream: writing
        (STREAM, "open0", "()V", stream_open),
        (STREAM, "put", "([B)Lcapuchin/l4/IpcStream;", stream_put_bytes),
        (STREAM, "put", "(Ljava/lang/String;)Lcapuchin/l4/IpcStream;", stream_put_string),
        (STREAM, "putShared", "(Lcapuchin/l4/MemoryRegion;I[BII)Lcapuchin/l4/IpcStream;", stream_put_shared),
        (STREAM, "putSharedRef", "(Lcapuchin/l4/MemoryRegion;II)Lcapuchin/l4/IpcStream;", stream_put_shared_ref),
        (STREAM, "length", "()I", stream_length),
        (STREAM, "clear", "()Lcapuchin/l4/IpcStream;", stream_clear),
        // IpcStream: reading
        (STREAM, "putFailed", "(I)Ljava/lang/RuntimeException;", stream_put_failed),
        (STREAM, "getFailed", "(I)Ljava/lang/RuntimeException;", stream_get_failed),
        (STREAM, "bytesLength0", "()I", stream_bytes_length),
        (STREAM, "getBytes0", "([BI)I", stream_get_bytes),
        (STREAM, "getString", "()Ljava/lang/String;", stream_get_string),
        (STREAM, "getShared", "(Lcapuchin/l4/MemoryRegion;)J", stream_get_shared),
        (STREAM, "hasMore", "()Z", |vm, a| {
            peek_with(vm, a, |b, _| Value::Int(!StreamReader::at(b.received(), b.in_pos).at_end() as i32))
        }),
        (STREAM, "remaining", "()I", |vm, a| {
            peek_with(vm, a, |b, _| Value::Int(b.in_len.saturating_sub(b.in_pos) as i32))
        }),
        (STREAM, "rewind", "()Lcapuchin/l4/IpcStream;", |vm, a| {
            peek_with(vm, a, |b, this| {
                b.in_pos = 0;
                Value::Ref(this)
            })
        }),
        // Cap
        (CAP, "open0", "(I)Ljava/lang/String;", cap_open),
        (CAP, "canCall", "()Z", |vm, a| cap_with(vm, a, |c| Ok(Value::Int(c.pp as i32)))),
        (CAP, "canSignal", "()Z", |vm, a| cap_with(vm, a, |c| Ok(Value::Int(c.notify as i32)))),
        (CAP, "signal", "()V", cap_signal),
        (CAP, "call0", "(Lcapuchin/l4/IpcStream;J)Lcapuchin/l4/MsgTag;", cap_call),
        (CAP, "kernelAddress", "()J", |vm, _| Ok(Value::Long(&mut state(vm).kernel as *mut Box<dyn Kernel> as i64))),
        // MemoryRegion
        (REGION, "open0", "(Ljava/lang/String;)V", region_open),
        (REGION, "size", "()I", |vm, a| {
            region_with(vm, a, |r, _| Ok(Value::Int(r.size().min(i32::MAX as usize) as i32)))
        }),
        (REGION, "isWritable", "()Z", |vm, a| region_with(vm, a, |r, _| Ok(Value::Int(r.is_writable() as i32)))),
        (REGION, "getByte", "(I)B", |vm, a| {
            let off = a.int(vm, 1);
            region_with(vm, a, |r, _| read_region::<1>(r, off).map(|b| Value::Int(b[0] as i8 as i32)))
        }),
        (REGION, "getInt", "(I)I", |vm, a| {
            let off = a.int(vm, 1);
            region_with(vm, a, |r, _| read_region::<4>(r, off).map(|b| Value::Int(i32::from_le_bytes(b))))
        }),
        (REGION, "getLong", "(I)J", |vm, a| {
            let off = a.int(vm, 1);
            region_with(vm, a, |r, _| read_region::<8>(r, off).map(|b| Value::Long(i64::from_le_bytes(b))))
        }),
        (REGION, "putByte", "(IB)V", |vm, a| {
            let (off, v) = (a.int(vm, 1), a.int(vm, 2) as i8);
            region_with(vm, a, |r, _| write_region(r, off, &v.to_le_bytes()))
        }),
        (REGION, "putInt", "(II)V", |vm, a| {
            let (off, v) = (a.int(vm, 1), a.int(vm, 2));
            region_with(vm, a, |r, _| write_region(r, off, &v.to_le_bytes()))
        }),
        (REGION, "putLong", "(IJ)V", |vm, a| {
            let (off, v) = (a.int(vm, 1), a.long(vm, 2));
            region_with(vm, a, |r, _| write_region(r, off, &v.to_le_bytes()))
        }),
        (REGION, "get", "(I[BII)V", region_get),
        (REGION, "put", "(I[BII)V", region_put),
        // Env
        (ENV, "name", "()Ljava/lang/String;", env_name),
        (ENV, "isPassive", "()Z", |vm, _| Ok(Value::Int(state(vm).kernel.is_passive() as i32))),
        (ENV, "channelOf0", "(Ljava/lang/String;)I", env_channel_of),
        (ENV, "capNames", "()[Ljava/lang/String;", env_cap_names),
        (ENV, "serve0", "(ILcapuchin/l4/Server;Lcapuchin/l4/IpcStream;Lcapuchin/l4/MsgTag;)V", env_serve),
        (ENV, "heapBytesAllocated", "()J", |vm, _| Ok(Value::Long(vm.heap_stats().bytes_allocated as i64))),
        (ENV, "nativeAllocations", "()J", |vm, _| {
            Ok(Value::Long(state(vm).native_allocations.map_or(-1, |f| f() as i64)))
        }),
        (ENV, "liveBytesAfterGc", "()J", |vm, _| {
            vm.collect_garbage();
            reap(vm);
            Ok(Value::Long(vm.heap_stats().live_bytes as i64))
        }),
        (ENV, "handleCount", "()I", |vm, _| {
            let st = state(vm);
            Ok(Value::Int((st.caps.len() + st.streams.len() + st.regions.len()) as i32))
        }),
        (ENV, "handleSlots", "()I", |vm, _| {
            let st = state(vm);
            Ok(Value::Int((st.caps.slot_count() + st.streams.slot_count() + st.regions.slot_count()) as i32))
        }),
    ];
    for &(c, n, d, f) in list {
        vm.register_native(c, n, d, f);
    }
    // The interpreter's twins of IpcStream's primitive puts and gets (one
    // native in place instead of two Java calls and the raw accesses; the
    // JIT compiles and inlines the Java): the same wire format and errors.
    // Each has a quick form (pd_jvm::runtime::twin) that the fast loop
    // calls without a frame; it declines where the full twin would throw.
    // The quick forms use ipc-bindings' `try_` puts and gets: the same
    // wire format, inline, with no error built when they decline.
    macro_rules! put_twin {
        ($name:literal, $desc:literal, $put:ident / $try_put:ident, |$v:ident| $arg:expr) => {
            vm.register_quick_twin(
                STREAM,
                $name,
                $desc,
                |vm, a| put_with(vm, a, |w, $v| w.$put($arg).map(drop)),
                |q| quick_put(q, |w, $v| w.$try_put($arg).is_some()),
            )
        };
    }
    macro_rules! get_twin {
        ($name:literal, $desc:literal, $get:ident / $try_get:ident, |$v:ident| $value:expr, $raw:expr, $slots:literal) => {
            vm.register_quick_twin(
                STREAM,
                $name,
                $desc,
                |vm, a| get_with(vm, a, |r| r.$get().map(|$v| $value)),
                |q| quick_get(q, |r| r.$try_get().map(|$v| $raw), $slots),
            )
        };
    }
    put_twin!("put", "(Z)Lcapuchin/l4/IpcStream;", put_bool / try_put_bool, |v| v as u32 & 1 != 0);
    put_twin!("put", "(B)Lcapuchin/l4/IpcStream;", put_i8 / try_put_i8, |v| v as i8);
    put_twin!("put", "(S)Lcapuchin/l4/IpcStream;", put_i16 / try_put_i16, |v| v as i16);
    put_twin!("put", "(C)Lcapuchin/l4/IpcStream;", put_u16 / try_put_u16, |v| v as u16);
    put_twin!("put", "(I)Lcapuchin/l4/IpcStream;", put_i32 / try_put_i32, |v| v as i32);
    put_twin!("put", "(J)Lcapuchin/l4/IpcStream;", put_i64 / try_put_i64, |v| v as i64);
    put_twin!("put", "(F)Lcapuchin/l4/IpcStream;", put_f32 / try_put_f32, |v| f32::from_bits(v as u32));
    put_twin!("put", "(D)Lcapuchin/l4/IpcStream;", put_f64 / try_put_f64, |v| f64::from_bits(v));
    put_twin!("putU8", "(I)Lcapuchin/l4/IpcStream;", put_u8 / try_put_u8, |v| v as u8);
    put_twin!("putU16", "(I)Lcapuchin/l4/IpcStream;", put_u16 / try_put_u16, |v| v as u16);
    put_twin!("putU32", "(I)Lcapuchin/l4/IpcStream;", put_u32 / try_put_u32, |v| v as u32);
    put_twin!("putU64", "(J)Lcapuchin/l4/IpcStream;", put_u64 / try_put_u64, |v| v);
    // An int's raw slot is its bits zero-extended (`u64::from(x as u32)`).
    get_twin!("getBoolean", "()Z", get_bool / try_get_bool, |v| Value::Int(v as i32), u64::from(v), 1);
    get_twin!("getByte", "()B", get_i8 / try_get_i8, |v| Value::Int(v as i32), u64::from(v as i32 as u32), 1);
    get_twin!("getShort", "()S", get_i16 / try_get_i16, |v| Value::Int(v as i32), u64::from(v as i32 as u32), 1);
    get_twin!("getChar", "()C", get_u16 / try_get_u16, |v| Value::Int(v as i32), u64::from(v), 1);
    get_twin!("getInt", "()I", get_i32 / try_get_i32, |v| Value::Int(v), u64::from(v as u32), 1);
    get_twin!("getLong", "()J", get_i64 / try_get_i64, |v| Value::Long(v), v as u64, 2);
    get_twin!("getFloat", "()F", get_f32 / try_get_f32, |v| Value::Float(v), u64::from(v.to_bits()), 1);
    get_twin!("getDouble", "()D", get_f64 / try_get_f64, |v| Value::Double(v), v.to_bits(), 2);
    get_twin!("getU8", "()I", get_u8 / try_get_u8, |v| Value::Int(v as i32), u64::from(v), 1);
    get_twin!("getU16", "()I", get_u16 / try_get_u16, |v| Value::Int(v as i32), u64::from(v), 1);
    get_twin!("getU32", "()I", get_u32 / try_get_u32, |v| Value::Int(v as i32), u64::from(v), 1);
    get_twin!("getU64", "()J", get_u64 / try_get_u64, |v| Value::Long(v as i64), v, 2);
    // MsgTag's accessors: a call of a Java method each for the interpreter
    // (frame, loop, return) where the work is a field load; compiled code
    // inlines them. (label, words, error) -> the raw result slot.
    macro_rules! tag_twin {
        ($name:literal, $desc:literal, |$t:ident| $raw:expr, $slots:literal) => {
            vm.register_quick_twin(
                "capuchin/l4/MsgTag",
                $name,
                $desc,
                |vm, a| {
                    let this = a.reference(vm, 0);
                    let (st, heap) = parts(vm);
                    let $t = read_tag(heap, &st.off, this).ok_or_else(|| npe("MsgTag"))?;
                    let raw: u64 = $raw;
                    // An int's slot is its bits zero-extended.
                    Ok(if $slots == 2 { Value::Long(raw as i64) } else { Value::Int(raw as u32 as i32) })
                },
                |q| {
                    let this = q.reference(0);
                    let (st, heap) = q.keyed_data_and_heap(&L4_KEY)?;
                    let $t = read_tag(heap, &st.off, this)?;
                    q.set_result($raw);
                    Some($slots)
                },
            )
        };
    }
    tag_twin!("label", "()J", |t| t.0, 2);
    tag_twin!("protocol", "()I", |t| t.0 >> 32, 1);
    tag_twin!("opcode", "()I", |t| u64::from(t.0 as u32), 1);
    tag_twin!("words", "()I", |t| u64::from(t.1 as u32), 1);
    tag_twin!("error", "()I", |t| u64::from(t.2 as u32), 1);
    tag_twin!("hasError", "()Z", |t| u64::from(t.2 != ERROR_OK), 1);
    // Cap.call: Java over the leaf native for compiled code, the whole
    // call as one native for the interpreter.
    vm.register_leaf_native(CAP, "ppCall", cap_pp_call);
    vm.register_quick_twin(
        CAP,
        "call",
        "(Lcapuchin/l4/IpcStream;J)Lcapuchin/l4/MsgTag;",
        cap_call_twin,
        quick_cap_call,
    );
    // IpcStream's primitive puts and gets check positions in Java, then
    // load or store the buffers through these (compiled code: one access
    // each). Little-endian: the wire's order.
    pd_jvm::runtime::raw::register_accessors(vm, STREAM, false);
}

// ---- handles ----

/// Opens a native entry for the wrapper in argument slot 0: stores the
/// handle in its fields and binds the entry to it (weakly, for reaping).
fn open<T>(
    vm: &mut Vm,
    a: Args,
    value: T,
    table: fn(&mut L4State) -> &mut HandleTable<T>,
    what: &str,
) -> Result<Handle, NativeError> {
    reap(vm);
    let full = {
        let t = table(state(vm));
        t.len() as u32 >= t.capacity()
    };
    if full {
        // Dead wrappers may hold the slots: collect, then release them.
        vm.collect_garbage();
        reap(vm);
    }
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    let off = st.off;
    let t = table(st);
    let h = t.insert(value).map_err(|e| {
        NativeError::new(IPC_EX, format!("cannot open another {what}: {e} (close the ones you no longer need)"))
    })?;
    let stored = heap
        .set_field::<i32>(this, off.index, h.index as i32)
        .and_then(|()| heap.set_field::<i32>(this, off.generation, h.generation as i32));
    if stored.is_err() {
        let _ = t.close(heap, h);
        return Err(npe(what));
    }
    t.bind_wrapper(heap, h, this).map_err(|e| NativeError::new(HANDLE_EX, format!("{e}")))?;
    Ok(h)
}

fn object_close(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    let kind = heap.get_field::<i32>(this, st.off.kind).map_err(|_| npe("close"))?;
    let h = handle_of(heap, &st.off, this)?;
    match kind {
        KIND_CAP => {
            check(&st.caps, heap, h, this, "capuchin.l4.Cap")?;
            let _ = st.caps.close(heap, h);
        }
        KIND_STREAM => {
            check(&st.streams, heap, h, this, "capuchin.l4.IpcStream")?;
            if st.dispatch.as_ref().is_some_and(|d| d.handle == h) {
                return Err(NativeError::new(IPC_EX, "the dispatch stream belongs to the PD and cannot be closed"));
            }
            let _ = st.streams.close(heap, h);
            bind_stream(heap, &st.off, this, None);
        }
        KIND_REGION => {
            check(&st.regions, heap, h, this, "capuchin.l4.MemoryRegion")?;
            let _ = st.regions.close(heap, h);
        }
        _ => return Err(NativeError::new(HANDLE_EX, format!("native object of unknown kind {kind}"))),
    }
    Ok(Value::Void)
}

fn object_is_open(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    let kind = heap.get_field::<i32>(this, st.off.kind).map_err(|_| npe("isOpen"))?;
    let h = handle_of(heap, &st.off, this)?;
    let ok = match kind {
        KIND_CAP => check(&st.caps, heap, h, this, "").is_ok(),
        KIND_STREAM => check(&st.streams, heap, h, this, "").is_ok(),
        KIND_REGION => check(&st.regions, heap, h, this, "").is_ok(),
        _ => false,
    };
    Ok(Value::Int(ok as i32))
}

// ---- IpcStream ----

impl StreamBuf {
    fn received(&self) -> &[u8] {
        &self.inb[..self.in_len]
    }
}

fn stream_open(vm: &mut Vm, a: Args) -> NativeResult {
    let h = open(vm, a, StreamBuf::new(), |st| &mut st.streams, "IpcStream")?;
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    // The buffers are boxed: their addresses hold while the entry lives.
    let b = st.streams.get_mut(h).map_err(|e| handle_error(e, h, "capuchin.l4.IpcStream"))?;
    bind_stream(heap, &st.off, this, Some(b));
    Ok(Value::Void)
}

/// A primitive `put` (an interpreter twin): the argument's raw slot(s) go to `f`.
fn put_with(
    vm: &mut Vm,
    a: Args,
    f: impl FnOnce(&mut StreamWriter<'_>, u64) -> Result<(), StreamError>,
) -> NativeResult {
    let this = a.reference(vm, 0);
    let v = a.raw(vm, 1);
    let b = match open_buf(vm, this) {
        Some(b) => b,
        None => {
            let (st, heap) = parts(vm);
            stream_of(&mut st.streams, &st.off, heap, this)?
        }
    };
    let mut w = StreamWriter::at(&mut b.out, b.out_len);
    f(&mut w, v).map_err(stream_error)?;
    b.out_len = w.len();
    Ok(Value::Ref(this))
}

/// The buffer of an open stream found as IpcStream.java's fast path finds
/// it (`base` while `room` is not 0), without the handle lookup; `None`
/// when closed (the caller's handle check then says why).
fn open_buf<'b>(vm: &Vm, this: Ref) -> Option<&'b mut StreamBuf> {
    open_buf_in(vm.heap(), &vm.embedder_data::<L4State>()?.off, this)
}

/// [`open_buf`] from the heap and the offsets.
#[inline]
fn open_buf_in<'b>(heap: &Heap, off: &Offsets, this: Ref) -> Option<&'b mut StreamBuf> {
    let (room, base) = heap.get_two_fields::<i32, i64>(this, off.stream_room, off.stream_base).ok()?;
    if room == 0 {
        return None;
    }
    let base = base as usize;
    // SAFETY: while `room` is not 0, `base` is the address of the stream's
    // live StreamBuf (`bind_stream`), which nothing else touches while a
    // native runs; the caller uses it before returning to Java.
    Some(unsafe { &mut *(base as *mut StreamBuf) })
}

/// A primitive `put`'s quick twin: declines (changing nothing) where
/// [`put_with`] would throw.
#[inline(always)]
fn quick_put(q: &mut QuickCall<'_>, f: impl FnOnce(&mut StreamWriter<'_>, u64) -> bool) -> Option<usize> {
    let (this, v) = (q.reference(0), q.raw(1));
    let (st, heap) = q.keyed_data_and_heap(&L4_KEY)?;
    let b = open_buf_in(heap, &st.off, this)?;
    let mut w = StreamWriter::at(&mut b.out, b.out_len);
    if !f(&mut w, v) {
        return None;
    }
    b.out_len = w.len();
    // The result is the receiver, already in the first slot.
    Some(1)
}

/// A primitive `get`'s quick twin: the value's raw slot and its `slots`;
/// declines (the stream unmoved) where [`get_with`] would throw.
#[inline(always)]
fn quick_get(
    q: &mut QuickCall<'_>,
    f: impl FnOnce(&mut StreamReader<'_>) -> Option<u64>,
    slots: usize,
) -> Option<usize> {
    let this = q.reference(0);
    let (st, heap) = q.keyed_data_and_heap(&L4_KEY)?;
    let b = open_buf_in(heap, &st.off, this)?;
    let mut r = StreamReader::at(&b.inb[..b.in_len], b.in_pos);
    let v = f(&mut r)?;
    b.in_pos = r.position();
    q.set_result(v);
    Some(slots)
}

/// A primitive `get` (an interpreter twin); the stream advances only on success.
fn get_with(vm: &mut Vm, a: Args, f: impl FnOnce(&mut StreamReader<'_>) -> Result<Value, StreamError>) -> NativeResult {
    let this = a.reference(vm, 0);
    let b = match open_buf(vm, this) {
        Some(b) => b,
        None => {
            let (st, heap) = parts(vm);
            stream_of(&mut st.streams, &st.off, heap, this)?
        }
    };
    let mut r = StreamReader::at(&b.inb[..b.in_len], b.in_pos);
    let v = f(&mut r).map_err(stream_error)?;
    b.in_pos = r.position();
    Ok(v)
}

/// `IpcStream.putFailed(needed)`: why a primitive put did not fit (the
/// Java fast path's check failed: the stream is full, or closed).
fn stream_put_failed(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, needed) = (a.reference(vm, 0), a.int(vm, 1));
    let (st, heap) = parts(vm);
    let b = stream_of(&mut st.streams, &st.off, heap, this)?;
    let available = STREAM_CAPACITY - b.out_len;
    Err(stream_error(StreamError::Full { needed: needed.max(0) as usize, available }))
}

/// `IpcStream.getFailed(tag)`: why a primitive get of type `tag` failed
/// (end of message, another type, a malformed value, or closed), as the
/// Rust reader says; the stream does not advance.
fn stream_get_failed(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, tag) = (a.reference(vm, 0), a.int(vm, 1));
    let (st, heap) = parts(vm);
    let b = stream_of(&mut st.streams, &st.off, heap, this)?;
    let mut r = StreamReader::at(&b.inb[..b.in_len], b.in_pos);
    let e = match tag {
        1 => r.get_bool().err(),
        2 => r.get_u8().err(),
        3 => r.get_i8().err(),
        4 => r.get_u16().err(),
        5 => r.get_i16().err(),
        6 => r.get_u32().err(),
        7 => r.get_i32().err(),
        8 => r.get_u64().err(),
        9 => r.get_i64().err(),
        10 => r.get_f32().err(),
        11 => r.get_f64().err(),
        _ => None,
    };
    Err(match e {
        Some(e) => stream_error(e),
        None => NativeError::new(IPC_EX, format!("IpcStream: a get of type {tag} failed in Java but not natively")),
    })
}

fn peek_with(vm: &mut Vm, a: Args, f: impl FnOnce(&mut StreamBuf, Ref) -> Value) -> NativeResult {
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    let b = stream_of(&mut st.streams, &st.off, heap, this)?;
    Ok(f(b, this))
}

/// `[off, off + len)` of a Java array of `array_len` elements, or an exception.
fn slice_range(off: i32, len: i32, array_len: usize) -> Result<core::ops::Range<usize>, NativeError> {
    if off < 0 || len < 0 || off as usize + len as usize > array_len {
        return Err(NativeError::new(
            BOUNDS_EX,
            format!("range [{off}, {off} + {len}) out of bounds for length {array_len}"),
        ));
    }
    Ok(off as usize..off as usize + len as usize)
}

fn array_bytes(heap: &Heap, arr: Ref) -> Result<&[u8], NativeError> {
    if arr.is_null() {
        return Err(npe("byte array is null"));
    }
    heap.array_bytes(arr).map_err(|_| npe("byte array"))
}

fn stream_put_bytes(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, arr) = (a.reference(vm, 0), a.reference(vm, 1));
    let (st, heap) = parts(vm);
    let b = stream_of(&mut st.streams, &st.off, heap, this)?;
    let data = array_bytes(heap, arr)?;
    let mut w = StreamWriter::at(&mut b.out, b.out_len);
    w.put_bytes(data).map_err(stream_error)?;
    b.out_len = w.len();
    Ok(Value::Ref(this))
}

/// Encodes a Java string (UTF-16 in its `char[] value`) as UTF-8 into
/// `out`; returns the encoded length, which may exceed `out` (then only a
/// prefix was written). Unpaired surrogates become `?`, as
/// `String.getBytes(UTF_8)` does.
fn utf16_to_utf8(units: &[u8], out: &mut [u8]) -> usize {
    let mut n = 0;
    let mut push = |bytes: &[u8]| {
        if n + bytes.len() <= out.len() {
            out[n..n + bytes.len()].copy_from_slice(bytes);
        }
        n += bytes.len();
    };
    let units = units.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]));
    for c in char::decode_utf16(units) {
        let c = c.unwrap_or('?');
        let mut b = [0u8; 4];
        push(c.encode_utf8(&mut b).as_bytes());
    }
    n
}

fn stream_put_string(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, s) = (a.reference(vm, 0), a.reference(vm, 1));
    if s.is_null() {
        return Err(npe("String is null"));
    }
    let (st, heap) = parts(vm);
    let value = heap.get_field::<Ref>(s, st.off.string_value).map_err(|_| npe("String"))?;
    let units = if value.is_null() { &[][..] } else { heap.array_bytes(value).map_err(|_| npe("String"))? };
    let mut utf8 = [0u8; STREAM_CAPACITY];
    let n = utf16_to_utf8(units, &mut utf8);
    let b = stream_of(&mut st.streams, &st.off, heap, this)?;
    if n > utf8.len() {
        return Err(stream_error(StreamError::Full { needed: 5 + n, available: STREAM_CAPACITY - b.out_len }));
    }
    let text = core::str::from_utf8(&utf8[..n]).expect("encoded as UTF-8 above");
    let mut w = StreamWriter::at(&mut b.out, b.out_len);
    w.put_str(text).map_err(stream_error)?;
    b.out_len = w.len();
    Ok(Value::Ref(this))
}

fn region_error(e: RegionError) -> NativeError {
    match e {
        RegionError::ReadOnly { .. } | RegionError::NotMapped { .. } => NativeError::new(IPC_EX, format!("{e}")),
        RegionError::OutOfBounds { .. } => NativeError::new(BOUNDS_EX, format!("{e}")),
    }
}

fn stream_put_shared(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, reg, region_off, arr, off, len) =
        (a.reference(vm, 0), a.reference(vm, 1), a.int(vm, 2), a.reference(vm, 3), a.int(vm, 4), a.int(vm, 5));
    let (st, heap) = parts(vm);
    let region = region_of(st, heap, reg)?;
    if !region.is_writable() {
        return Err(region_error(RegionError::ReadOnly { region: region.name() }));
    }
    let data = array_bytes(heap, arr)?;
    let data = &data[slice_range(off, len, data.len())?];
    if region_off < 0 {
        return Err(NativeError::new(BOUNDS_EX, format!("region offset {region_off} is negative")));
    }
    let b = stream_of(&mut st.streams, &st.off, heap, this)?;
    let mut w = StreamWriter::at(&mut b.out, b.out_len);
    w.put_shared(&region, region_off as usize, data).map_err(stream_error)?;
    b.out_len = w.len();
    Ok(Value::Ref(this))
}

fn stream_put_shared_ref(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, reg, region_off, len) = (a.reference(vm, 0), a.reference(vm, 1), a.int(vm, 2), a.int(vm, 3));
    let (st, heap) = parts(vm);
    let region = region_of(st, heap, reg)?;
    if region_off < 0 || len < 0 {
        return Err(NativeError::new(BOUNDS_EX, format!("shared range {region_off}+{len} is negative")));
    }
    let b = stream_of(&mut st.streams, &st.off, heap, this)?;
    let mut w = StreamWriter::at(&mut b.out, b.out_len);
    w.put_shared_ref(&region, region_off as usize, len as usize).map_err(stream_error)?;
    b.out_len = w.len();
    Ok(Value::Ref(this))
}

fn stream_length(vm: &mut Vm, a: Args) -> NativeResult {
    peek_with(vm, a, |b, _| Value::Int(b.out_len as i32))
}

fn stream_clear(vm: &mut Vm, a: Args) -> NativeResult {
    peek_with(vm, a, |b, this| {
        b.out_len = 0;
        Value::Ref(this)
    })
}

fn stream_bytes_length(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    let b = stream_of(&mut st.streams, &st.off, heap, this)?;
    // Peek: the stream advances in getBytes0.
    let n = StreamReader::at(b.received(), b.in_pos).get_bytes().map_err(stream_error)?.len();
    Ok(Value::Int(n as i32))
}

fn stream_get_bytes(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, dst, off) = (a.reference(vm, 0), a.reference(vm, 1), a.int(vm, 2));
    let (st, heap) = parts(vm);
    let b = stream_of(&mut st.streams, &st.off, heap, this)?;
    let mut r = StreamReader::at(&b.inb[..b.in_len], b.in_pos);
    let data = r.get_bytes().map_err(stream_error)?;
    if dst.is_null() {
        return Err(npe("byte array is null"));
    }
    let out = heap.array_bytes_mut(dst).map_err(|_| npe("byte array"))?;
    let range = slice_range(off, data.len() as i32, out.len())?;
    out[range].copy_from_slice(data);
    b.in_pos = r.position();
    Ok(Value::Int(data.len() as i32))
}

fn stream_get_string(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let mut text = [0u8; STREAM_CAPACITY];
    let n = {
        let (st, heap) = parts(vm);
        let b = stream_of(&mut st.streams, &st.off, heap, this)?;
        let mut r = StreamReader::at(&b.inb[..b.in_len], b.in_pos);
        let s = r.get_str().map_err(stream_error)?;
        text[..s.len()].copy_from_slice(s.as_bytes());
        b.in_pos = r.position();
        s.len()
    };
    let s = core::str::from_utf8(&text[..n]).expect("checked by the stream reader");
    Ok(Value::Ref(vm.new_string(s)?))
}

fn stream_get_shared(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, reg) = (a.reference(vm, 0), a.reference(vm, 1));
    let (st, heap) = parts(vm);
    let region = region_of(st, heap, reg)?;
    let b = stream_of(&mut st.streams, &st.off, heap, this)?;
    let mut r = StreamReader::at(&b.inb[..b.in_len], b.in_pos);
    let (off, len) = r.get_shared(&region).map_err(stream_error)?;
    b.in_pos = r.position();
    Ok(Value::Long(((off as u64) << 32 | len as u64) as i64))
}

// ---- Cap ----

fn cap_open(vm: &mut Vm, a: Args) -> NativeResult {
    let id = a.int(vm, 1);
    let (entry, peer) = {
        let st = state(vm);
        let Some(c) = st.env.channel(id) else {
            let msg = format!(
                "protection domain '{}' has no channel {id}; its channels: {}",
                st.kernel.pd_name(),
                st.env.channel_list()
            );
            return Err(NativeError::new(NO_SUCH_EX, msg));
        };
        (CapEntry { id: c.id, pp: c.pp, notify: c.notify }, c.peer.clone())
    };
    open(vm, a, entry, |st| &mut st.caps, "Cap")?;
    Ok(Value::Ref(vm.new_string(&peer)?))
}

fn cap_with(vm: &mut Vm, a: Args, f: impl FnOnce(CapEntry) -> NativeResult) -> NativeResult {
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    f(cap_of(st, heap, this)?)
}

fn peer_of(st: &L4State, id: u8) -> &str {
    st.env.channel(i32::from(id)).map_or("?", |c| c.peer.as_str())
}

fn cap_signal(vm: &mut Vm, a: Args) -> NativeResult {
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    let cap = cap_of(st, heap, this)?;
    match st.kernel.notify(Channel::new(cap.id as usize)) {
        Ok(()) => Ok(Value::Void),
        Err(e) => Err(NativeError::new(IPC_EX, format!("{e} (to '{}')", peer_of(st, cap.id)))),
    }
}

/// `Cap.call(stream, label)`: the written message goes out through the
/// message registers, the reply comes back into the stream, and the
/// stream's own tag (returned) says what came back. Nothing is allocated.
fn cap_call(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, s, label) = (a.reference(vm, 0), a.reference(vm, 1), a.long(vm, 2));
    if s.is_null() {
        return Err(npe("IpcStream is null"));
    }
    if !(0..=MAX_LABEL as i64).contains(&label) {
        return Err(NativeError::new(ARG_EX, format!("label {label} is not in 0..2^52-1")));
    }
    let (st, heap) = parts(vm);
    let cap = cap_of(st, heap, this)?;
    let L4State { kernel, streams, off, .. } = st;
    let b = stream_of(streams, off, heap, s)?;
    let tag: Ref = heap.get_field(s, off.stream_tag).map_err(|_| npe("IpcStream"))?;
    let (label, words, error) = pp_call_with(&mut **kernel, cap.id as usize, label as u64, b);
    set_tag(heap, off, tag, label, words, error, -1).map_err(|_| npe("MsgTag"))?;
    Ok(Value::Ref(tag))
}

/// The interpreter's twin of `Cap.call`: what its bytecode does, from the
/// same fields (the checks, the leaf call, the tag), or `call0` when a
/// check fails.
fn cap_call_twin(vm: &mut Vm, a: Args) -> NativeResult {
    let (this, s, label) = (a.reference(vm, 0), a.reference(vm, 1), a.long(vm, 2));
    let called =
        vm.embedder_data_and_heap::<L4State>().and_then(|(st, heap)| checked_call(heap, st.off, this, s, label));
    match called {
        Some(tag) => Ok(Value::Ref(tag)),
        None => cap_call(vm, a),
    }
}

/// `Cap.call`'s quick twin: [`cap_call_twin`] without a frame.
fn quick_cap_call(q: &mut QuickCall<'_>) -> Option<usize> {
    let (this, s, label) = (q.reference(0), q.reference(1), q.raw(2) as i64);
    let (st, heap) = q.keyed_data_and_heap(&L4_KEY)?;
    let tag = checked_call(heap, st.off, this, s, label)?;
    q.set_result(u64::from(tag.to_raw()));
    Some(1)
}

/// What `Cap.call`'s bytecode does, from the same fields: its checks (the
/// tag's fields too, so that nothing after the call can fail), the leaf
/// call, the reply into the stream's tag, which it returns. `None`
/// before the call where a check fails (`call0` then reports why). The
/// offsets come by value: the leaf call reaches the kernel inside the
/// natives' state through the address in the `Cap`.
#[inline(always)]
fn checked_call(heap: &mut Heap, off: Offsets, this: Ref, s: Ref, label: i64) -> Option<Ref> {
    let (kernel, channel, base, tag) = call_ready(heap, &off, this, s, label)?;
    let mut fields = heap.fields_mut(tag, off.tag, TAG_BYTES as u32).ok()?;
    // SAFETY: the fields Cap.call passes to the leaf, checked as it checks them.
    let (kernel, b) = unsafe { leaf_args(kernel, base) };
    let (label, words, error) = pp_call_with(kernel, channel as usize, label as u64, b);
    // Cannot fail: constant offsets inside the span checked above.
    let _ = write_tag(&mut fields, label, words, error, -1);
    Some(tag)
}

/// A `MsgTag`'s label, words and error.
#[inline(always)]
fn read_tag(heap: &Heap, off: &Offsets, tag: Ref) -> Option<(u64, i32, i32)> {
    // Constant offsets into 16 checked bytes: no check per field.
    let f = heap.fields(tag, off.tag, 16).ok()?;
    Some((f.get::<i64>(0).ok()? as u64, f.get::<i32>(8).ok()?, f.get::<i32>(12).ok()?))
}

/// What `Cap.call` checks before its leaf call, from the same fields: the
/// kernel, channel and stream buffer it passes and the stream's tag;
/// `None` where it would take `call0` (which reports why).
#[inline(always)]
fn call_ready(heap: &Heap, off: &Offsets, this: Ref, s: Ref, label: i64) -> Option<(u64, u64, u64, Ref)> {
    if !(0..=MAX_LABEL as i64).contains(&label) {
        return None;
    }
    // Each object checked once (a null stream fails here).
    let (sr, cr) = (off.stream_fields, off.cap_fields);
    let (st, cap) = (heap.fields(s, sr.start, sr.len).ok()?, heap.fields(this, cr.start, cr.len).ok()?);
    let (room, closed) = (st.get::<i32>(sr.at(off.stream_room)).ok()?, cap.get::<i8>(cr.at(off.closed)).ok()?);
    if room == 0 || closed != 0 {
        return None;
    }
    let base = st.get::<i64>(sr.at(off.stream_base)).ok()? as u64;
    let kernel = cap.get::<i64>(cr.at(off.cap_kernel)).ok()? as u64;
    let channel = cap.get::<i32>(cr.at(off.cap_channel)).ok()? as u64;
    Some((kernel, channel, base, st.get::<Ref>(sr.at(off.stream_tag)).ok()?))
}

/// The kernel and the stream buffer behind `Cap.ppCall`'s first and last
/// arguments.
///
/// # Safety
/// `kernel` must come from `kernelAddress` (the address of the L4State's
/// kernel, which lives as long as the VM and nothing else uses during the
/// call) and `stream` must be the `base` of a stream seen open (`room` not
/// 0): the address of that stream's StreamBuf.
unsafe fn leaf_args<'a>(kernel: u64, stream: u64) -> (&'a mut dyn Kernel, &'a mut StreamBuf) {
    // SAFETY: the caller's contract.
    unsafe { (&mut **(kernel as *mut Box<dyn Kernel>), &mut *(stream as *mut StreamBuf)) }
}

/// `Cap.ppCall(kernel, channel, label, stream)`, the leaf native behind
/// `Cap.call` in compiled code: `cap_call` without the checks Cap.java
/// made. Returns the reply's label | words << 52 | error << 59.
extern "C" fn cap_pp_call(kernel: u64, channel: u64, label: u64, stream: u64) -> u64 {
    // SAFETY: only Cap.call calls it (private static), with its `kernel`
    // field, which `kernelAddress` filled, and the `base` of a stream it
    // saw open.
    let (kernel, b) = unsafe { leaf_args(kernel, stream) };
    let (label, words, error) = pp_call_with(kernel, channel as usize, label, b);
    label | (words as u64) << 52 | (error as u64) << 59
}

/// The protected procedure call of `Cap.call`: what `b` holds out through
/// the message registers, the reply into `b`; the reply's label, words and
/// error code.
fn pp_call_with(kernel: &mut dyn Kernel, channel: usize, label: u64, b: &mut StreamBuf) -> (u64, usize, i32) {
    let words = b.send();
    match kernel.pp_call(Channel::new(channel), MessageInfo::new(label, words)) {
        Ok(reply) => {
            b.receive(reply.count());
            (reply.label(), reply.count(), ERROR_OK)
        }
        Err(e) => {
            b.receive_nothing();
            (0, 0, error_code(e))
        }
    }
}

fn error_code(e: IpcError) -> i32 {
    match e {
        IpcError::PeerFaulted { .. } => ERROR_PEER_FAULTED,
        IpcError::NotGranted { .. } => ERROR_NOT_GRANTED,
        IpcError::NoPlatform => ERROR_NO_PLATFORM,
    }
}

#[inline]
pub(crate) fn set_tag(
    heap: &mut Heap,
    off: &Offsets,
    tag: Ref,
    label: u64,
    words: usize,
    error: i32,
    channel: i32,
) -> Result<(), AccessError> {
    // Constant offsets into a checked span of constant length: no check
    // per field (Offsets::tag).
    write_tag(&mut heap.fields_mut(tag, off.tag, TAG_BYTES as u32)?, label, words, error, channel)
}

/// [`set_tag`] into the tag's fields.
#[inline(always)]
fn write_tag(f: &mut FieldsMut<'_>, label: u64, words: usize, error: i32, channel: i32) -> Result<(), AccessError> {
    f.set::<i64>(0, label as i64)?;
    f.set::<i32>(8, words as i32)?;
    f.set::<i32>(12, error)?;
    f.set::<i32>(16, channel)
}

// ---- MemoryRegion ----

fn region_open(vm: &mut Vm, a: Args) -> NativeResult {
    let name_ref = a.reference(vm, 1);
    let Some(name) = vm.string_value(name_ref) else { return Err(npe("region name")) };
    let region = {
        let st = state(vm);
        match st.kernel.memory_region(&name) {
            Ok(r) => r,
            Err(RegionError::NotMapped { .. }) => {
                let msg = format!(
                    "no memory region '{name}' is mapped into protection domain '{}'; its regions: {}",
                    st.kernel.pd_name(),
                    st.env.region_list()
                );
                return Err(NativeError::new(NO_SUCH_EX, msg));
            }
            Err(e) => return Err(region_error(e)),
        }
    };
    open(vm, a, region, |st| &mut st.regions, "MemoryRegion")?;
    Ok(Value::Void)
}

fn region_with(
    vm: &mut Vm,
    a: Args,
    f: impl FnOnce(ipc_bindings::MemoryRegion, &mut Heap) -> NativeResult,
) -> NativeResult {
    let this = a.reference(vm, 0);
    let (st, heap) = parts(vm);
    let r = region_of(st, heap, this)?;
    f(r, heap)
}

fn region_offset(off: i32) -> Result<usize, NativeError> {
    usize::try_from(off).map_err(|_| NativeError::new(BOUNDS_EX, format!("offset {off} is negative")))
}

fn read_region<const N: usize>(r: ipc_bindings::MemoryRegion, off: i32) -> Result<[u8; N], NativeError> {
    let mut b = [0u8; N];
    r.read(region_offset(off)?, &mut b).map_err(region_error)?;
    Ok(b)
}

fn write_region(r: ipc_bindings::MemoryRegion, off: i32, data: &[u8]) -> NativeResult {
    r.write(region_offset(off)?, data).map_err(region_error)?;
    Ok(Value::Void)
}

fn region_get(vm: &mut Vm, a: Args) -> NativeResult {
    let (off, dst, dst_off, len) = (a.int(vm, 1), a.reference(vm, 2), a.int(vm, 3), a.int(vm, 4));
    region_with(vm, a, |r, heap| {
        if dst.is_null() {
            return Err(npe("byte array is null"));
        }
        let out = heap.array_bytes_mut(dst).map_err(|_| npe("byte array"))?;
        let range = slice_range(dst_off, len, out.len())?;
        r.read(region_offset(off)?, &mut out[range]).map_err(region_error)?;
        Ok(Value::Void)
    })
}

fn region_put(vm: &mut Vm, a: Args) -> NativeResult {
    let (off, src, src_off, len) = (a.int(vm, 1), a.reference(vm, 2), a.int(vm, 3), a.int(vm, 4));
    region_with(vm, a, |r, heap| {
        let data = array_bytes(heap, src)?;
        let data = &data[slice_range(src_off, len, data.len())?];
        r.write(region_offset(off)?, data).map_err(region_error)?;
        Ok(Value::Void)
    })
}

// ---- Env ----

fn env_name(vm: &mut Vm, _a: Args) -> NativeResult {
    let name = String::from(state(vm).kernel.pd_name());
    Ok(Value::Ref(vm.new_string(&name)?))
}

fn env_channel_of(vm: &mut Vm, a: Args) -> NativeResult {
    let peer_ref = a.reference(vm, 1);
    let Some(peer) = vm.string_value(peer_ref) else { return Err(npe("cap name")) };
    let st = state(vm);
    let ids: Vec<u8> = st.env.channels.iter().filter(|c| c.peer == peer).map(|c| c.id).collect();
    match ids[..] {
        [id] => Ok(Value::Int(i32::from(id))),
        [] => Err(NativeError::new(
            NO_SUCH_EX,
            format!(
                "no capability '{peer}': protection domain '{}' has no channel to a PD of that name in system.xml; it has: {}",
                st.kernel.pd_name(),
                st.env.channel_list()
            ),
        )),
        _ => Err(NativeError::new(
            NO_SUCH_EX,
            format!(
                "protection domain '{}' has {} channels to '{peer}' (ids {ids:?}): name one with Env.cap(int)",
                st.kernel.pd_name(),
                ids.len()
            ),
        )),
    }
}

fn env_cap_names(vm: &mut Vm, _a: Args) -> NativeResult {
    let mut chans: Vec<(u8, String)> = state(vm).env.channels.iter().map(|c| (c.id, c.peer.clone())).collect();
    chans.sort();
    let names: Vec<&str> = chans.iter().map(|(_, p)| p.as_str()).collect();
    Ok(Value::Ref(vm.new_string_array(&names)?))
}

fn env_serve(vm: &mut Vm, a: Args) -> NativeResult {
    let protocol = a.int(vm, 1) as u32 as u64;
    let (server, stream, tag) = (a.reference(vm, 2), a.reference(vm, 3), a.reference(vm, 4));
    if server.is_null() || stream.is_null() || tag.is_null() {
        return Err(npe("serve"));
    }
    let dispatch = vm
        .find_virtual_method(server, "dispatch", "(Lcapuchin/l4/MsgTag;Lcapuchin/l4/IpcStream;)J")
        .ok_or_else(|| NativeError::new("java/lang/AbstractMethodError", "Server.dispatch"))?;
    let dispatch = vm.ref_call::<3>(dispatch).ok_or_else(|| {
        NativeError::new("java/lang/IncompatibleClassChangeError", "Server.dispatch is static (takes no receiver)")
    })?;
    // The dispatch stream: pinned once, for the life of the PD.
    let stream_handle = {
        let (st, heap) = parts(vm);
        let h = handle_of(heap, &st.off, stream)?;
        check(&st.streams, heap, h, stream, "capuchin.l4.IpcStream")?;
        if let Some(d) = &st.dispatch {
            if d.handle != h {
                return Err(NativeError::new(IPC_EX, "Env.serve: a different dispatch stream is already registered"));
            }
        }
        h
    };
    if state(vm).dispatch.is_none() {
        let (ps, pt) = (vm.pin(stream), vm.pin(tag));
        let st = state(vm);
        let buf: *mut StreamBuf = &mut **st
            .streams
            .get_mut(stream_handle)
            .map_err(|e| handle_error(e, stream_handle, "capuchin.l4.IpcStream"))?;
        st.dispatch = Some(DispatchStream { stream: ps, tag: pt, handle: stream_handle, buf });
    }
    let pin = vm.pin(server);
    let st = state(vm);
    let old = match st.servers.iter_mut().find(|s| s.protocol == protocol) {
        Some(s) => {
            s.dispatch = dispatch;
            Some(core::mem::replace(&mut s.server, pin))
        }
        None => {
            st.servers.push(Registered { protocol, server: pin, dispatch });
            None
        }
    };
    if let Some(old) = old {
        vm.unpin(old);
    }
    // The protocol's server may change: this ends the plan `JavaPd` keeps
    // of the calls served last.
    vm.note_entries_changed();
    Ok(Value::Void)
}
