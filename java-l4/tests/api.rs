//! capuchin.l4 in one process: handles (closed, stale, forged), typed
//! stream reads, the wire format against ipc-bindings' Rust stream, unknown
//! names, exceptions and resource guards in Java handlers, and the garbage
//! collector releasing the native entries of dropped wrappers.

mod common;

use common::*;
use ipc_bindings::{read_message, write_message, Channel, MessageInfo};
use java_l4::{table_stats, EXCEPTION_LABEL};
use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::{MapSource, Value, Vm, VmConfig};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;

const CLIENT: &str = r#"
import capuchin.l4.*;

public class Client {
    static IpcStream x, y;

    static String closedAndStale() {
        StringBuilder sb = new StringBuilder();
        IpcStream a = new IpcStream();
        a.put(1);
        a.close();
        a.close();
        sb.append(a.isOpen()).append('\n');
        try { a.put(2); } catch (InvalidHandleException e) { sb.append(e.getMessage()).append('\n'); }
        // The slot is reused by the next stream, with the next generation.
        IpcStream b = new IpcStream();
        try { a.length(); } catch (InvalidHandleException e) { sb.append(e.getMessage()).append('\n'); }
        sb.append(b.handleIndex() == a.handleIndex()).append(' ').append(b.handleGeneration() - a.handleGeneration());
        b.close();
        return sb.toString();
    }

    static void makeTwo() { x = new IpcStream(); y = new IpcStream(); y.put(7); }
    static IpcStream x() { return x; }
    static IpcStream y() { return y; }
    static String useX() {
        // put(int) is Java over x's own buffer (it cannot reach y's); the
        // String put is native and checks the handle.
        try { x.put(1); x.put("s"); return "no exception"; } catch (InvalidHandleException e) { return e.getMessage(); }
    }
    static int yLength() { return y.length(); }

    /** The echo server on channel 0 sends the request back as the reply. */
    static String reads() {
        Cap echo = Env.env().cap("echo");
        IpcStream s = new IpcStream();
        MsgTag t = echo.call(s.put(5L).put("x").put(true), MsgTag.label(2, 9));
        StringBuilder sb = new StringBuilder();
        sb.append(t.label()).append(' ').append(t.words()).append(' ').append(t.hasError()).append(' ');
        sb.append(t.protocol()).append(' ').append(t.opcode()).append(' ').append(t.error()).append('\n');
        try { s.getInt(); } catch (IpcStreamException e) { sb.append(e.getMessage()).append('\n'); }
        sb.append(s.getLong()).append('\n');
        try { s.getBoolean(); } catch (IpcStreamException e) { sb.append(e.getMessage()).append('\n'); }
        sb.append(s.getString()).append(' ').append(s.getBoolean()).append(' ').append(s.hasMore()).append('\n');
        try { s.getLong(); } catch (IpcStreamException e) { sb.append(e.getMessage()).append('\n'); }
        s.rewind();
        sb.append(s.getLong()).append('\n');
        // More than the message registers hold.
        try { s.put(new byte[1000]); } catch (IpcStreamException e) { sb.append(e.getMessage()).append('\n'); }
        sb.append(s.length());
        return sb.toString();
    }

    /** The Rust server on channel 1 decodes every type and answers with its own values. */
    static String interop() {
        Cap rust = Env.env().cap("rust");
        IpcStream s = new IpcStream();
        s.put(-5).put(1L << 40).put(true).putU8(200).put(new byte[] {1, 2, 3}).put("héllo ☃").put(2.5).put('c').putU32(-1);
        MsgTag t = rust.call(s, 77);
        byte[] b = s.getBytes();
        return t.label() + " " + s.getString() + " " + s.getU64() + " " + s.getShort() + " " + b.length + b[2] + " " + s.getFloat();
    }

    /** Cap.call's checks in Java and in the native they fall back to. */
    static String callChecks() {
        Cap echo = Env.env().cap("echo");
        StringBuilder sb = new StringBuilder();
        try { echo.call(null, 1); } catch (NullPointerException e) { sb.append(e.getMessage()).append('\n'); }
        for (long label : new long[] {-1, MsgTag.MAX_LABEL + 1}) {
            try { echo.call(new IpcStream(), label); } catch (IllegalArgumentException e) { sb.append(e.getMessage()).append('\n'); }
        }
        IpcStream s = new IpcStream();
        s.close();
        try { echo.call(s, 1); } catch (InvalidHandleException e) { sb.append("closed stream\n"); }
        IpcStream t = new IpcStream();
        MsgTag tag = echo.call(t.put(3L).put(true), MsgTag.MAX_LABEL);
        sb.append(tag.label() == MsgTag.MAX_LABEL).append(' ').append(tag.words()).append(' ').append(tag.error())
          .append(' ').append(tag == t.tag()).append(' ').append(t.getLong()).append(' ').append(t.getBoolean());
        return sb.toString();
    }

    static String unknownNames() {
        StringBuilder sb = new StringBuilder();
        try { Env.env().cap("nope"); } catch (NoSuchCapException e) { sb.append(e.getMessage()).append('\n'); }
        try { Env.env().cap(40); } catch (NoSuchCapException e) { sb.append(e.getMessage()).append('\n'); }
        try { Env.env().region("nobuf"); } catch (NoSuchCapException e) { sb.append(e.getMessage()).append('\n'); }
        String[] names = Env.env().capNames();
        sb.append(names.length).append(' ').append(names[0]).append(' ').append(names[1]).append('\n');
        sb.append(Env.env().cap("echo") == Env.env().cap(0));
        return sb.toString();
    }

    static String regions() {
        MemoryRegion r = Env.env().region("buf");
        MemoryRegion ro = Env.env().region("ro");
        StringBuilder sb = new StringBuilder();
        r.putLong(8, 0x1122334455667788L);
        r.putInt(100, -2);
        r.put(200, new byte[] {9, 8, 7});
        byte[] got = new byte[3];
        r.get(200, got);
        sb.append(Long.toHexString(r.getLong(8))).append(' ').append(r.getByte(8)).append(' ').append(r.getInt(100))
          .append(' ').append(got[0] + got[1] + got[2]).append(' ').append(r.size()).append('\n');
        try { r.getLong(r.size() - 4); } catch (IndexOutOfBoundsException e) { sb.append(e.getMessage()).append('\n'); }
        try { r.putByte(-1, (byte) 0); } catch (IndexOutOfBoundsException e) { sb.append(e.getMessage()).append('\n'); }
        try { ro.putInt(0, 1); } catch (IpcException e) { sb.append(e.getMessage()).append('\n'); }
        try { r.get(0, got, 2, 5); } catch (IndexOutOfBoundsException e) { sb.append(e.getMessage()).append('\n'); }
        // A shared reference outside the region is refused when written and when read.
        IpcStream s = new IpcStream();
        try { s.putSharedRef(r, r.size() - 2, 4); } catch (IpcStreamException e) { sb.append(e.getMessage()).append('\n'); }
        return sb.toString();
    }

    /** Streams dropped without close: the collector must give their slots back. */
    static int churn(int n) {
        int sum = 0;
        for (int i = 0; i < n; i++) {
            IpcStream s = new IpcStream();
            s.put(i);
            sum += s.length();
        }
        return sum;
    }

    static String callServer() {
        Cap srv = Env.env().cap("server");
        IpcStream s = new IpcStream();
        StringBuilder sb = new StringBuilder();
        for (long op : new long[] {1, 2, 1, 3, 1, 4, 1, MsgTag.label(5, 1), 1}) {
            MsgTag t = srv.call(s.put(20L), op);
            sb.append(op).append(": ");
            if (t.isException()) sb.append("EXCEPTION ").append(s.getString());
            else sb.append(t.label()).append(' ').append(s.getLong());
            sb.append('\n');
        }
        return sb.toString();
    }
}
"#;

const LISTENER: &str = r#"
import capuchin.l4.*;

public class Listener {
    static StringBuilder log = new StringBuilder();

    public static void main(String[] args) {
        Env.env().onNotify(from -> {
            if (from.channel() == 1) throw new IllegalArgumentException("not from " + from.peer());
            log.append(from.peer()).append(' ').append(from.channel()).append(';');
            from.signal();
        });
    }

    static String log() { return log.toString(); }
}
"#;

const SERVER: &str = r#"
import capuchin.l4.*;

public class TestServer extends Server {
    static int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }

    public long dispatch(MsgTag tag, IpcStream s) {
        long v = s.getLong();
        switch (tag.opcode()) {
            case 1: s.put(v + 1); return 0;
            case 2: throw new IllegalStateException("boom " + v);
            case 3: for (;;) { v++; }
            case 4: s.put((long) depth(100000)); return 0;
            case 5: {
                // Garbage enough for a collection every few calls: the tag
                // moves between calls, and must still read this call's.
                long[] junk = new long[100000];
                s.put(tag.label()).put(tag.words()).put(tag.channel()).put(junk.length);
                return 5;
            }
            default: s.put(-1L); return 7;
        }
    }

    public static void main(String[] args) {
        Env.env().serve(0, new TestServer());
        System.out.println("server up");
    }

    /** Another server for protocol 0 (the PD's plan for it must go). */
    static void replace() {
        Env.env().serve(0, new Server() {
            public long dispatch(MsgTag tag, IpcStream s) { s.put(s.getLong() * 2); return 9; }
        });
    }
}
"#;

/// Both programs, compiled once per test binary (javac is slow to start).
fn classes() -> &'static MapSource {
    static C: OnceLock<MapSource> = OnceLock::new();
    C.get_or_init(|| compile(&[("Client.java", CLIENT), ("TestServer.java", SERVER), ("Listener.java", LISTENER)]))
}

fn client_pd(kernel: Loopback, config: VmConfig) -> (java_l4::JavaPd, Captured) {
    let regions = kernel.regions.clone();
    let env = env(vec![channel(0, "echo"), channel(1, "rust"), channel(2, "server")], &regions);
    java_pd(classes(), env, kernel, config)
}

fn call_str(vm: &mut Vm, method: &str) -> String {
    match vm.invoke_static("Client", method, "()Ljava/lang/String;", &[]) {
        Ok(Value::Ref(r)) => vm.string_value(r).unwrap(),
        Err(pd_jvm::runtime::VmError::Exception(p)) => panic!("{method} threw {}", vm.describe_throwable(&p)),
        other => panic!("{method}: {other:?}"),
    }
}

#[test]
fn closed_stale_and_forged_handles_raise_exceptions() {
    let (mut pd, _) = client_pd(Loopback { name: "client".into(), ..Default::default() }, config());
    let vm = pd.vm();
    let out = call_str(vm, "closedAndStale");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "false");
    assert!(lines[1].starts_with("capuchin.l4.IpcStream#0.1: handle is closed"), "{out}");
    assert!(lines[2].starts_with("capuchin.l4.IpcStream#0.1: stale handle"), "{out}");
    assert_eq!(lines[3], "true 1", "{out}");

    // Forged: copy y's (live, valid) handle into x. The entry exists, but was
    // not issued to x: x's calls fail and y's stream is untouched.
    vm.invoke_static("Client", "makeTwo", "()V", &[]).unwrap();
    let get = |vm: &mut Vm, m: &str| match vm.invoke_static("Client", m, "()Lcapuchin/l4/IpcStream;", &[]).unwrap() {
        Value::Ref(r) => r,
        v => panic!("{v:?}"),
    };
    let native_object = vm.find_loaded("capuchin/l4/NativeObject").unwrap();
    let index = vm.instance_field_offset(native_object, "handleIndex", "I").unwrap();
    let generation = vm.instance_field_offset(native_object, "handleGeneration", "I").unwrap();
    let y = get(vm, "y");
    let (yi, yg) = (vm.heap().get_field::<i32>(y, index).unwrap(), vm.heap().get_field::<i32>(y, generation).unwrap());
    let x = get(vm, "x");
    vm.heap_mut().set_field::<i32>(x, index, yi).unwrap();
    vm.heap_mut().set_field::<i32>(x, generation, yg).unwrap();
    let msg = call_str(vm, "useX");
    assert!(msg.contains("forged handle (not issued to this object)"), "{msg}");
    assert_eq!(vm.invoke_static("Client", "yLength", "()I", &[]).unwrap(), Value::Int(5));
    // Made-up numbers.
    let x = get(vm, "x");
    vm.heap_mut().set_field::<i32>(x, index, 12345).unwrap();
    let msg = call_str(vm, "useX");
    assert!(msg.contains("#12345.") && msg.contains("forged handle"), "{msg}");
    let x = get(vm, "x");
    vm.heap_mut().set_field::<i32>(x, index, yi).unwrap();
    vm.heap_mut().set_field::<i32>(x, generation, yg + 5).unwrap();
    let msg = call_str(vm, "useX");
    assert!(msg.contains("forged handle"), "{msg}");
}

#[test]
fn reading_past_the_end_or_as_the_wrong_type_raises_exceptions() {
    // Interpreted: round 0 runs the bytecode; later rounds the quickened
    // call sites, where the fast loop calls the quick twins, which decline
    // to the full twins where those throw. With tiering on (a JIT that
    // compiles nothing here) the call sites take the full twins.
    for tiering in [false, true] {
        let mut k = Loopback { name: "client".into(), ..Default::default() };
        k.rust_servers.insert(0, |msg| msg); // echo: the registers still hold the request
        let (mut pd, _) = client_pd(k, config());
        if tiering {
            let memory = jit::code_memory::default_code_memory().expect("code memory");
            let jit = jit::Jit::new(jit::JitOptions::default(), memory).expect("jit");
            pd.vm().set_compiler(Box::new(jit), JitConfig { threshold: Some(1_000_000), ..JitConfig::default() });
        }
        for round in 0..3 {
            let out = call_str(pd.vm(), "reads");
            assert_eq!(
                out,
                "8589934601 3 false 2 9 0\n\
                 IPC stream: expected i32 at byte 0, found i64\n\
                 5\n\
                 IPC stream: expected bool at byte 9, found string\n\
                 x true false\n\
                 IPC stream: read of i64 past the end of the message (byte 17)\n\
                 5\n\
                 IPC stream full: value needs 1005 bytes, 960 left in the message registers\n\
                 0",
                "tiering {tiering}, round {round}"
            );
            let closed = call_str(pd.vm(), "closedAndStale");
            assert!(closed.starts_with("false\ncapuchin.l4.IpcStream#"), "round {round}: {closed}");
            assert!(closed.contains(": handle is closed"), "round {round}: {closed}");
            assert_eq!(call_str(pd.vm(), "callChecks"), CALL_CHECKS, "tiering {tiering}, round {round}");
        }
    }
}

/// Java writes every type, Rust (ipc-bindings' reader) decodes it, answers
/// with its writer, Java decodes that: one wire format.
#[test]
fn java_and_rust_streams_read_each_other() {
    fn rust_server(msg: MessageInfo) -> MessageInfo {
        let got = read_message(&msg, |r| {
            Ok((
                r.get_i32()?,
                r.get_i64()?,
                r.get_bool()?,
                r.get_u8()?,
                r.get_bytes()?.to_vec(),
                r.get_str()?.to_string(),
                r.get_f64()?,
                r.get_u16()?,
                r.get_u32()?,
                r.at_end(),
            ))
        })
        .unwrap();
        assert_eq!(
            got,
            (-5, 1 << 40, true, 200, vec![1, 2, 3], "héllo ☃".to_string(), 2.5, 'c' as u16, u32::MAX, true)
        );
        write_message(msg.label() + 1, |w| {
            w.put_bytes(&[4, 5, 6])?.put_str("from rust")?.put_u64(u64::MAX)?.put_i16(-300)?.put_f32(0.75).map(drop)
        })
        .unwrap()
    }
    let mut k = Loopback { name: "client".into(), ..Default::default() };
    k.rust_servers.insert(1, rust_server);
    let (mut pd, _) = client_pd(k, config());
    assert_eq!(call_str(pd.vm(), "interop"), "78 from rust -1 -300 36 0.75");
}

#[test]
fn unknown_cap_and_region_names_list_the_known_ones() {
    let k = Loopback { name: "client".into(), regions: vec![region("buf", 4096, true)], ..Default::default() };
    let (mut pd, _) = client_pd(k, config());
    let out = call_str(pd.vm(), "unknownNames");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "no capability 'nope': protection domain 'client' has no channel to a PD of that name in system.xml; \
         it has: echo (channel 0), rust (channel 1), server (channel 2)"
    );
    assert_eq!(
        lines[1],
        "protection domain 'client' has no channel 40; its channels: echo (channel 0), rust (channel 1), server (channel 2)"
    );
    assert_eq!(
        lines[2],
        "no memory region 'nobuf' is mapped into protection domain 'client'; its regions: buf (4096 bytes)"
    );
    assert_eq!(lines[3], "3 echo rust");
    assert_eq!(lines[4], "true");
}

#[test]
fn memory_regions_are_bounds_checked() {
    let k = Loopback {
        name: "client".into(),
        regions: vec![region("buf", 4096, true), region("ro", 64, false)],
        ..Default::default()
    };
    let (mut pd, _) = client_pd(k, config());
    let out = call_str(pd.vm(), "regions");
    assert_eq!(
        out,
        "1122334455667788 -120 -2 24 4096\n\
         access of 8 bytes at offset 4092 outside memory region 'buf' (4096 bytes)\n\
         offset -1 is negative\n\
         memory region 'ro' is mapped read-only\n\
         range [2, 2 + 5) out of bounds for length 3\n\
         IPC stream: shared-region reference 4094+4 outside the 4096-byte region\n"
    );
}

#[test]
fn the_collector_releases_the_entries_of_dropped_wrappers() {
    let k = Loopback { name: "client".into(), ..Default::default() };
    // A small heap so the churn collects many times.
    let (mut pd, _) = client_pd(k, VmConfig { heap_quota: 512 << 10, ..config() });
    let vm = pd.vm();
    // More streams than the table holds: without reaping the 1025th fails.
    let n = 3 * java_l4::STREAM_TABLE as i32;
    assert_eq!(vm.invoke_static("Client", "churn", "(I)I", &[Value::Int(n)]).unwrap(), Value::Int(5 * n));
    vm.collect_garbage();
    let stats = table_stats(vm).unwrap();
    assert_eq!(stats.streams_live, 0, "{stats:?}");
    assert!(stats.streams_slots <= java_l4::STREAM_TABLE as usize, "{stats:?}");
    assert_eq!(stats.reaped, n as u64, "{stats:?}");
    assert!(vm.heap_stats().collections > 2);
    // Weak slots are freed with their entries.
    assert_eq!(vm.heap().weak_count(), stats.caps_live + stats.streams_live + stats.regions_live);
}

#[test]
fn an_exception_in_a_handler_is_an_error_reply_and_the_server_keeps_serving() {
    let server_kernel = Loopback { name: "server".into(), ..Default::default() };
    // A budget small enough to stop the endless loop quickly, large enough for the rest.
    let (mut server, server_out) = java_pd(
        classes(),
        env(vec![channel(2, "client")], &[]),
        server_kernel,
        VmConfig { budget: 2_000_000, ..config() },
    );
    server.run_main("TestServer", &[]).unwrap();
    let server = Rc::new(RefCell::new(server));
    let mut k = Loopback { name: "client".into(), ..Default::default() };
    k.java_servers.insert(2, server.clone());
    let (mut pd, _) = client_pd(k, config());
    let out = call_str(pd.vm(), "callServer");
    assert_eq!(
        out,
        "1: 0 21\n\
         2: EXCEPTION java.lang.IllegalStateException: boom 20\n\
         1: 0 21\n\
         3: EXCEPTION instruction budget exhausted (the handler was stopped)\n\
         1: 0 21\n\
         4: EXCEPTION java.lang.StackOverflowError\n\
         1: 0 21\n\
         21474836481: EXCEPTION protection domain 'server' serves no protocol 5 (label 0x500000001)\n\
         1: 0 21\n"
    );
    let log = server_out.text();
    assert!(log.starts_with("server up\n"), "{log}");
    assert!(
        log.contains("server: exception in Server.dispatch (channel 2, label 0x2): java.lang.IllegalStateException: boom 20 (the PD keeps serving)\njava.lang.IllegalStateException: boom 20\n\tat TestServer.dispatch(TestServer.java:"),
        "{log}"
    );
    assert!(log.contains("label 0x3): instruction budget exhausted"), "{log}");
    assert!(log.contains("label 0x4): java.lang.StackOverflowError"), "{log}");
    let s = server.borrow();
    assert_eq!((s.calls, s.handler_exceptions), (9, 3));
    assert_eq!(EXCEPTION_LABEL, (1 << 52) - 1);
    let _ = Channel::new(0);
}

#[test]
fn the_dispatch_tag_is_written_for_every_call_across_collections() {
    let kernel = Loopback { name: "server".into(), ..Default::default() };
    let (mut server, _) = java_pd(classes(), env(vec![channel(2, "client")], &[]), kernel, config());
    server.run_main("TestServer", &[]).unwrap();
    let before = server.vm().heap_stats().collections;
    for i in 0..60u64 {
        // Opcode 5 (protocol 0); the request's word count varies.
        let label = 5;
        let msg = write_message(label, |w| {
            w.put_i64(i as i64)?;
            (0..i % 4).try_for_each(|_| w.put_u64(0).map(drop))
        })
        .unwrap();
        let reply = server.serve_call(Channel::new(2), msg).unwrap();
        assert_eq!(reply.label(), 5, "call {i}");
        let got = read_message(&reply, |r| Ok((r.get_i64()?, r.get_i32()?, r.get_i32()?, r.get_i32()?))).unwrap();
        assert_eq!(got, (label as i64, msg.count() as i32, 2, 100000), "call {i}");
        assert_eq!(msg.count(), 2 + i as usize % 4);
    }
    assert!(server.vm().heap_stats().collections >= before + 5, "the calls must collect several times");
}

/// A server registered again for a protocol serves its next call,
/// interpreted and compiled (`serve_call` keeps a plan per protocol).
#[test]
fn a_protocol_registered_again_is_served_by_its_new_server() {
    for jit in [false, true] {
        let kernel = Loopback { name: "server".into(), ..Default::default() };
        let (mut server, _) = java_pd(classes(), env(vec![channel(2, "client")], &[]), kernel, config());
        if jit {
            let memory = jit::code_memory::default_code_memory().expect("code memory");
            let j = jit::Jit::new(jit::JitOptions::default(), memory).expect("jit");
            let jc = pd_jvm::runtime::compiler::JitConfig { threshold: Some(0), ..Default::default() };
            server.vm().set_compiler(Box::new(j), jc);
        }
        server.run_main("TestServer", &[]).unwrap();
        let call = |server: &mut java_l4::JavaPd, v: i64| {
            let msg = write_message(1, |w| w.put_i64(v).map(drop)).unwrap();
            let reply = server.serve_call(Channel::new(2), msg).unwrap();
            (reply.label(), read_message(&reply, |r| r.get_i64()).unwrap())
        };
        for v in 0..3 {
            assert_eq!(call(&mut server, v), (0, v + 1), "jit {jit}");
        }
        server.vm().invoke_static("TestServer", "replace", "()V", &[]).unwrap();
        for v in 0..3 {
            assert_eq!(call(&mut server, v), (9, v * 2), "jit {jit}");
        }
    }
}

#[test]
fn notifications_reach_the_java_handler_which_can_signal_back() {
    use ipc_bindings::{ChannelSet, Handler};
    let k = Loopback { name: "listener".into(), ..Default::default() };
    let signalled = k.notified.clone();
    let (mut pd, out) = client_pd(k, config());
    pd.run_main("Listener", &[]).unwrap();
    pd.notified(ChannelSet::from_bits(0b101)).unwrap();
    // An exception in the handler is logged; the PD carries on.
    pd.notified(ChannelSet::from_bits(0b110)).unwrap();
    let log = vm_str(pd.vm(), "Listener", "log");
    assert_eq!(log, "echo 0;server 2;server 2;");
    assert_eq!(*signalled.borrow(), [0, 2, 2]);
    let text = out.text();
    assert!(
        text.contains("listener: exception in the notification handler (channel 1): java.lang.IllegalArgumentException: not from rust (the PD keeps serving)"),
        "{text}"
    );
    assert_eq!(pd.handler_exceptions, 1);
}

fn vm_str(vm: &mut Vm, class: &str, method: &str) -> String {
    match vm.invoke_static(class, method, "()Ljava/lang/String;", &[]) {
        Ok(Value::Ref(r)) => vm.string_value(r).unwrap(),
        other => panic!("{method}: {other:?}"),
    }
}

/// What `Client.callChecks` returns, interpreted or compiled.
const CALL_CHECKS: &str =
    "IpcStream is null\nlabel -1 is not in 0..2^52-1\nlabel 4503599627370496 is not in 0..2^52-1\n\
closed stream\ntrue 2 0 true 3 true";

/// Cap.call interpreted: its bytecode on the first run, its native twin
/// once the call sites have quickened.
#[test]
fn interpreted_call_checks() {
    let mut k = Loopback { name: "client".into(), ..Default::default() };
    k.rust_servers.insert(0, |msg| msg);
    let (mut pd, _) = client_pd(k, config());
    for round in 0..3 {
        assert_eq!(call_str(pd.vm(), "callChecks"), CALL_CHECKS, "{round}");
    }
}

/// The primitive puts and gets and `Cap.call` are Java over raw accesses
/// and a leaf native when compiled and native twins when interpreted: the
/// same values, wire bytes and exceptions either way. Compiled before the first run (`threshold` 0:
/// call sites unresolved) and after one interpreted run (1).
#[test]
fn compiled_streams_match_the_interpreted_ones() {
    fn rust_server(msg: MessageInfo) -> MessageInfo {
        let got = read_message(&msg, |r| {
            Ok((r.get_i32()?, r.get_i64()?, r.get_bool()?, r.get_u8()?, r.get_bytes()?.len(), r.get_str()?.len()))
        })
        .unwrap();
        assert_eq!(got.0, -5);
        write_message(msg.label() + 1, |w| {
            w.put_bytes(&[4, 5, 6])?.put_str("from rust")?.put_u64(u64::MAX)?.put_i16(-300)?.put_f32(0.75).map(drop)
        })
        .unwrap()
    }
    for threshold in [0, 1] {
        let mut k = Loopback { name: "client".into(), ..Default::default() };
        k.rust_servers.insert(0, |msg| msg);
        k.rust_servers.insert(1, rust_server);
        let (mut pd, _) = client_pd(k, config());
        let vm = pd.vm();
        let memory = jit::code_memory::default_code_memory().expect("code memory");
        let jit = jit::Jit::new(jit::JitOptions::default(), memory).expect("jit");
        vm.set_compiler(Box::new(jit), JitConfig { threshold: Some(threshold), ..JitConfig::default() });
        for round in 0..4 {
            let reads = call_str(vm, "reads");
            assert!(
                reads.starts_with("8589934601 3 false 2 9 0\nIPC stream: expected i32 at byte 0, found i64\n5\n"),
                "{round}: {reads}"
            );
            assert!(reads.contains("read of i64 past the end of the message (byte 17)"), "{round}: {reads}");
            assert!(reads.contains("value needs 1005 bytes, 960 left"), "{round}: {reads}");
            assert_eq!(call_str(vm, "interop"), "78 from rust -1 -300 36 0.75", "{round}");
            let closed = call_str(vm, "closedAndStale");
            assert!(closed.starts_with("false\ncapuchin.l4.IpcStream#"), "{round}: {closed}");
            assert!(closed.contains(": handle is closed"), "{round}: {closed}");
            assert_eq!(call_str(vm, "callChecks"), CALL_CHECKS, "{round}");
        }
        let cap = vm.find_loaded("capuchin/l4/Cap").unwrap();
        let call = *vm.class_methods(cap).iter().find(|&&m| vm.method_name(m).0 == b"call").unwrap();
        assert!(vm.is_compiled(call), "threshold {threshold}: Cap.call not compiled");
        let compiled: Vec<String> = ["put", "getInt", "at", "take"]
            .iter()
            .filter(|n| {
                let c = vm.find_loaded("capuchin/l4/IpcStream").unwrap();
                vm.class_methods(c).iter().any(|&m| vm.method_name(m).0 == n.as_bytes() && vm.is_compiled(m))
            })
            .map(|n| n.to_string())
            .collect();
        assert!(compiled.len() >= 3, "threshold {threshold}: compiled {compiled:?}");
    }
}
