//! Instructions per IPC call on each Java side, for callgrind (ignored in
//! `cargo test`): the benchmark's echo of one i64, a Java client against a
//! Rust function as the server, or Rust calling the Java server's entry
//! point as the PD's event loop does. The cost of one call is the
//! difference of two runs, which cancels start-up:
//!
//! ```text
//! cargo test --release -p java-l4 --test call_cost --no-run   # prints the binary
//! for n in 1000 11000; do CALLS=$n SIDE=client valgrind --tool=callgrind \
//!     --callgrind-out-file=cg.$n <binary> --ignored --test-threads=1; done
//! # (Ir of cg.11000 - Ir of cg.1000) / 10000; SIDE=server likewise
//! ```
//!
//! `CAPUCHIN_JIT=N` runs the Java side with the JIT installed and tiering
//! threshold `N` (`all` = 0: compiled before the first run, so call sites
//! are not resolved yet; a small `N` such as 10 compiles `run`/`dispatch`
//! after the 200 warm-up calls resolved them); unset or `off`: interpreted.
//! Give valgrind `--smc-check=all-non-file` then (code written at run time).
mod common;
use common::*;
use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::{Value, Vm};

/// Installs the JIT as `CAPUCHIN_JIT` asks (see the module docs).
fn install_jit(vm: &mut Vm) {
    let threshold = match std::env::var("CAPUCHIN_JIT").as_deref() {
        Err(_) | Ok("off") => return,
        Ok("all") => 0,
        Ok(n) => n.parse().expect("CAPUCHIN_JIT: off, all or a number"),
    };
    let memory = jit::code_memory::default_code_memory().expect("code memory");
    let jit = jit::Jit::new(jit::JitOptions::default(), memory).expect("jit");
    vm.set_compiler(Box::new(jit), JitConfig { threshold: Some(threshold), ..JitConfig::default() });
}

const CLIENT: &str = r#"
import capuchin.l4.*;
public class HotClient {
    static Cap server;
    static IpcStream s;
    static void setUp() { server = Env.env().cap("calc"); s = new IpcStream(); }
    static boolean run(int n) {
        boolean right = true;
        for (int i = 0; i < n; i++) {
            MsgTag t = server.call(s.put((long) i), 1);
            long r = s.getLong();
            right &= r == i && !t.hasError();
        }
        return right;
    }
}
"#;
const SERVER: &str = r#"
import capuchin.l4.*;
public class HotServer extends Server {
    public long dispatch(MsgTag tag, IpcStream s) { s.put(s.getLong()); return tag.label(); }
    public static void main(String[] args) { Env.env().serve(0, new HotServer()); }
}
"#;

#[test]
#[ignore = "a callgrind harness: see the module docs"]
fn echo_calls() {
    use ipc_bindings::{read_message, write_message, Channel, MessageInfo};
    fn rust_echo(msg: MessageInfo) -> MessageInfo {
        let a = read_message(&msg, |r| r.get_i64()).unwrap();
        write_message(msg.label(), |w| w.put_i64(a).map(drop)).unwrap()
    }
    let n: i32 = std::env::var("CALLS").map_or(1000, |v| v.parse().expect("CALLS: a number"));
    let side = std::env::var("SIDE").unwrap_or_else(|_| "client".into());
    let classes = compile(&[("HotClient.java", CLIENT), ("HotServer.java", SERVER)]);
    if side == "client" {
        let mut k = Loopback { name: "client".into(), ..Default::default() };
        k.rust_servers.insert(0, rust_echo);
        let (mut client, _) = java_pd(&classes, env(vec![channel(0, "calc")], &[]), k, config());
        let vm = client.vm();
        install_jit(vm);
        vm.invoke_static("HotClient", "setUp", "()V", &[]).unwrap();
        assert_eq!(vm.invoke_static("HotClient", "run", "(I)Z", &[Value::Int(200)]).unwrap(), Value::Int(1));
        assert_eq!(vm.invoke_static("HotClient", "run", "(I)Z", &[Value::Int(n)]).unwrap(), Value::Int(1));
    } else {
        let (mut server, _) = java_pd(
            &classes,
            env(vec![channel(0, "client")], &[]),
            Loopback { name: "server".into(), ..Default::default() },
            config(),
        );
        install_jit(server.vm());
        server.run_main("HotServer", &[]).unwrap();
        for i in 0..(200 + n as i64) {
            let msg = write_message(1, |w| w.put_i64(i).map(drop)).unwrap();
            let reply = server.serve_call(Channel::new(0), msg).unwrap();
            assert_eq!(read_message(&reply, |r| r.get_i64()).unwrap(), i);
        }
    }
}
