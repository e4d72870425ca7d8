//! The hot path of a call allocates nothing after warm-up, on either side:
//! a Java client calls a Java server (through the loopback kernel and the
//! message registers, as between two PDs), and neither the native heap
//! (a counting global allocator, per thread) nor either Java heap grows.
//! Also prints the in-process cost of one Java-to-Java call (no IPC).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::*;
use pd_jvm::runtime::Value;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: forwards to the system allocator; the counter is a const
// thread-local without a destructor, so touching it never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(p, l, n) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

const CLIENT: &str = r#"
import capuchin.l4.*;

public class HotClient {
    static Cap server;
    static IpcStream s;

    static void setUp() { server = Env.env().cap("calc"); s = new IpcStream(); }

    /** n calls of add(i, 1), as the calculator client does; returns the number of right answers. */
    static int run(int n) {
        int right = 0;
        for (int i = 0; i < n; i++) {
            MsgTag t = server.call(s.put((long) i).put(1L), 2);
            if (!t.hasError() && t.label() == 0 && s.getLong() == i + 1) right++;
        }
        return right;
    }
}
"#;

const SERVER: &str = r#"
import capuchin.l4.*;

public class HotServer extends Server {
    public long dispatch(MsgTag tag, IpcStream s) {
        switch (tag.opcode()) {
            case 1: s.put(-s.getLong()); return 0;
            case 2: s.put(s.getLong() + s.getLong()); return 0;
            default: return 1;
        }
    }

    public static void main(String[] args) { Env.env().serve(0, new HotServer()); }
}
"#;

#[test]
fn a_call_allocates_nothing_after_warm_up() {
    let classes = compile(&[("HotClient.java", CLIENT), ("HotServer.java", SERVER)]);
    let (mut server, _) = java_pd(
        &classes,
        env(vec![channel(0, "client")], &[]),
        Loopback { name: "server".into(), ..Default::default() },
        config(),
    );
    server.run_main("HotServer", &[]).unwrap();
    let server = Rc::new(RefCell::new(server));
    let mut k = Loopback { name: "client".into(), ..Default::default() };
    k.java_servers.insert(0, server.clone());
    let (mut client, _) = java_pd(&classes, env(vec![channel(0, "calc")], &[]), k, config());
    let vm = client.vm();
    vm.invoke_static("HotClient", "setUp", "()V", &[]).unwrap();
    let run = |vm: &mut pd_jvm::runtime::Vm, n: i32| vm.invoke_static("HotClient", "run", "(I)I", &[Value::Int(n)]);

    assert_eq!(run(vm, 200).unwrap(), Value::Int(200), "warm-up");
    let (native, client_heap, server_heap) =
        (allocations(), vm.heap_stats().bytes_allocated, server.borrow_mut().vm().heap_stats().bytes_allocated);
    let t = std::time::Instant::now();
    assert_eq!(run(vm, 1000).unwrap(), Value::Int(1000));
    let elapsed = t.elapsed();
    let native = allocations() - native;
    let client_heap = vm.heap_stats().bytes_allocated - client_heap;
    let server_heap = server.borrow_mut().vm().heap_stats().bytes_allocated - server_heap;
    eprintln!(
        "1000 Java-to-Java calls in one process (no IPC): {} ns per call; {native} native allocations, \
         {client_heap} + {server_heap} Java heap bytes",
        elapsed.as_nanos() / 1000
    );
    assert_eq!((native, client_heap, server_heap), (0, 0, 0), "the hot path allocated");
}

/// What each side costs without IPC (printed; `--nocapture` shows it):
/// a Java client calling a Rust function as the server, and Rust calling
/// the Java server's entry point as the PD's event loop does.
#[test]
fn one_sided_call_costs() {
    use ipc_bindings::{read_message, write_message, Channel, MessageInfo};
    fn rust_add(msg: MessageInfo) -> MessageInfo {
        let (a, b) = read_message(&msg, |r| Ok((r.get_i64()?, r.get_i64()?))).unwrap();
        write_message(0, |w| w.put_i64(a.wrapping_add(b)).map(drop)).unwrap()
    }
    let classes = compile(&[("HotClient.java", CLIENT), ("HotServer.java", SERVER)]);
    let mut k = Loopback { name: "client".into(), ..Default::default() };
    k.rust_servers.insert(0, rust_add);
    let (mut client, _) = java_pd(&classes, env(vec![channel(0, "calc")], &[]), k, config());
    let vm = client.vm();
    vm.invoke_static("HotClient", "setUp", "()V", &[]).unwrap();
    let run = |vm: &mut pd_jvm::runtime::Vm, n: i32| vm.invoke_static("HotClient", "run", "(I)I", &[Value::Int(n)]);
    assert_eq!(run(vm, 200).unwrap(), Value::Int(200));
    let t = std::time::Instant::now();
    assert_eq!(run(vm, 10_000).unwrap(), Value::Int(10_000));
    let java_client = t.elapsed().as_nanos() / 10_000;

    let (mut server, _) = java_pd(
        &classes,
        env(vec![channel(0, "client")], &[]),
        Loopback { name: "server".into(), ..Default::default() },
        config(),
    );
    server.run_main("HotServer", &[]).unwrap();
    let call = |server: &mut java_l4::JavaPd, i: i64| {
        let msg = write_message(2, |w| w.put_i64(i)?.put_i64(1).map(drop)).unwrap();
        let reply = server.serve_call(Channel::new(0), msg).unwrap();
        assert_eq!(read_message(&reply, |r| r.get_i64()).unwrap(), i + 1);
    };
    for i in 0..200 {
        call(&mut server, i);
    }
    let native = allocations();
    let t = std::time::Instant::now();
    for i in 0..10_000 {
        call(&mut server, i);
    }
    let java_server = t.elapsed().as_nanos() / 10_000;
    assert_eq!(allocations() - native, 0, "the server's entry point allocated");
    eprintln!(
        "in one process, no IPC: Java client -> Rust function {java_client} ns per call; \
         Rust -> Java server entry point {java_server} ns per call"
    );
}
