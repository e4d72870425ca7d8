//! A rough speed check of the interpreter (ignored by default):
//! `cargo test --release -p pd-jvm --test interp_bench -- --ignored --nocapture`.
//! For comparison: `java -Xint` on the same program.

use pd_jvm::runtime::VmConfig;
use pd_jvm_test_support::*;

const BENCH: &str = r##"
public class Main {
    static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
    static long loop(int n) { long s = 0; for (int i = 0; i < n; i++) { s += i * 3 ^ (i >> 2); } return s; }
    static int objs(int n) { int c = 0; for (int i = 0; i < n; i++) { int[] a = new int[4]; a[1] = i; c += a[1] & 1; } return c; }
    interface F { int ap(int x); }
    static int virt(int n) { F f = x -> x + 1; int s = 0; for (int i = 0; i < n; i++) s = f.ap(s); return s; }
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        System.out.println(fib(30));
        long t1 = System.nanoTime();
        System.out.println(loop(50_000_000));
        long t2 = System.nanoTime();
        System.out.println(objs(5_000_000));
        long t3 = System.nanoTime();
        System.out.println(virt(10_000_000));
        long t4 = System.nanoTime();
        System.out.println("fib " + (t1 - t0) / 1000000 + "ms loop " + (t2 - t1) / 1000000 + "ms objs " + (t3 - t2) / 1000000 + "ms virt " + (t4 - t3) / 1000000 + "ms");
    }
}
"##;

extern "C" fn now() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64
}

#[test]
#[ignore]
fn bench() {
    let classes = compile(&[("Main.java", BENCH)]);
    let r = run_classes(&classes, "Main", VmConfig { budget: u64::MAX, nano_clock: Some(now), ..VmConfig::default() });
    println!("{}{}{:?} {:?}", r.stdout, r.stderr, r.result, r.vm.heap_stats());
}
