//! Compile cost, as 000's Table 2: per method, bytecode instructions and
//! compile microseconds (translation + Cranelift + copying into code
//! memory), for every method of the stub class library and the test
//! programs, compiled before anything ran (the "compile everything" mode:
//! nothing is resolved yet). Prints the table and, per configuration,
//! the median and maximum for methods under 100 bytecodes (the issue's
//! target: median at most 50 µs).
//!
//!     cargo test --release -p jit --test compile_cost -- --nocapture
//!
//! Set JIT_COST_TABLE=1 to print every method, not only the summary.

mod support;

use jit::{JitOptions, OptLevel};
use pd_jvm::runtime::compiler::JitConfig;
use support::*;

const EXTRA: &str = r#"
public class Bench {
    static int sieve(int n) {
        boolean[] flags = new boolean[n + 1];
        int count = 0;
        for (int i = 2; i <= n; i++) {
            if (!flags[i]) { count++; for (int k = i + i; k <= n; k += i) flags[k] = true; }
        }
        return count;
    }
    static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
    static void sort(int[] a) {
        for (int i = 1; i < a.length; i++) { int x = a[i]; int j = i - 1; while (j >= 0 && a[j] > x) { a[j + 1] = a[j]; j--; } a[j + 1] = x; }
    }
    int field; static int sfield;
    int get() { return field; }
    void set(int v) { field = v; sfield += v; }
}
"#;

struct Row {
    name: String,
    bytecodes: usize,
    micros: f64,
    translate_micros: f64,
    ir: usize,
    machine: usize,
    declined: Option<String>,
}

fn measure(opts: JitOptions) -> Vec<Row> {
    let classes = compile(&[("Bench.java", EXTRA)]);
    let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), opts);
    let mut names: Vec<String> = stub_classes().keys().map(|k| String::from_utf8_lossy(k).into_owned()).collect();
    names.push("Bench".into());
    let mut methods = Vec::new();
    for n in &names {
        let Ok(c) = jv.vm.load_and_link(n) else { continue };
        for &m in jv.vm.class_methods(c) {
            if jv.vm.method_code_len(m) > 0 {
                let (mn, md) = jv.vm.method_name(m);
                methods.push((m, format!("{n}.{}{}", String::from_utf8_lossy(mn), String::from_utf8_lossy(md))));
            }
        }
    }
    // Warm up the compiler's contexts and caches on one method.
    let _ = jv.vm.jit_compile(methods[0].0);
    let start = jv.log.borrow().len();
    for (m, _) in &methods[1..] {
        let _ = jv.vm.jit_compile(*m);
    }
    let log = jv.log.borrow();
    log[start..]
        .iter()
        .zip(&methods[1..])
        .map(|(r, (_, name))| Row {
            name: name.clone(),
            bytecodes: r.bytecodes,
            micros: r.nanos as f64 / 1000.0,
            translate_micros: r.translate_nanos as f64 / 1000.0,
            ir: r.ir_insts,
            machine: r.machine_bytes,
            declined: r.declined.clone(),
        })
        .collect()
}

/// Per method, the fastest of `runs` compilations (each in a fresh VM):
/// the machine is shared, so single timings carry scheduler noise.
fn measure_min(opts: JitOptions, runs: usize) -> Vec<Row> {
    let mut best = measure(opts);
    for _ in 1..runs {
        for (b, r) in best.iter_mut().zip(measure(opts)) {
            if r.micros < b.micros {
                *b = r;
            }
        }
    }
    best
}

fn summary(label: &str, rows: &[Row]) -> (f64, f64) {
    let mut small: Vec<f64> =
        rows.iter().filter(|r| r.declined.is_none() && r.bytecodes < 100).map(|r| r.micros).collect();
    small.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = small[small.len() / 2];
    let max = *small.last().unwrap();
    let compiled = rows.iter().filter(|r| r.declined.is_none()).count();
    let total: f64 = rows.iter().map(|r| r.micros).sum();
    let mut tr: Vec<f64> =
        rows.iter().filter(|r| r.declined.is_none() && r.bytecodes < 100).map(|r| r.translate_micros).collect();
    tr.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut bc: Vec<usize> =
        rows.iter().filter(|r| r.declined.is_none() && r.bytecodes < 100).map(|r| r.bytecodes).collect();
    bc.sort();
    println!("{label:<30} translation median {:.1} µs; median method {} bytecodes", tr[tr.len() / 2], bc[bc.len() / 2]);
    println!(
        "{label:<34} methods {compiled:>4} compiled / {:>4}, <100 bytecodes: {:>4}, median {median:>7.1} µs, max {max:>8.1} µs, all: {total:>9.0} µs",
        rows.len(),
        small.len()
    );
    (median, max)
}

#[test]
fn compile_cost_table() {
    require_javac();
    let fixed = JitOptions::default();
    let configs = [
        ("auto (loop-free methods: none, single-pass)", JitOptions { loop_free_fast: true, ..JitOptions::default() }),
        ("speed, backtracking regalloc", JitOptions { opt_level: OptLevel::Speed, ..fixed }),
        ("none, backtracking regalloc", JitOptions { opt_level: OptLevel::None, ..fixed }),
        ("none, single-pass regalloc", JitOptions { opt_level: OptLevel::None, fast_regalloc: true, ..fixed }),
        (
            "aarch64 (cross), speed, backtracking",
            JitOptions { cross_target: Some("aarch64-unknown-linux-gnu"), ..fixed },
        ),
    ];
    let mut results = Vec::new();
    for (label, opts) in configs {
        let rows = measure_min(opts, 3);
        if std::env::var_os("JIT_COST_TABLE").is_some() && results.is_empty() {
            println!("{:<70} {:>9} {:>10} {:>8} {:>6} {:>7}", "method", "bytecodes", "µs", "transl", "IR", "bytes");
            for r in &rows {
                match &r.declined {
                    None => println!(
                        "{:<70} {:>9} {:>10.1} {:>8.1} {:>6} {:>7}",
                        r.name, r.bytecodes, r.micros, r.translate_micros, r.ir, r.machine
                    ),
                    Some(d) => println!("{:<70} {:>9} {:>10} ({d})", r.name, r.bytecodes, "declined"),
                }
            }
        }
        let declined: Vec<_> = rows.iter().filter_map(|r| r.declined.as_ref().map(|d| (&r.name, d))).collect();
        // Nothing in the class library declines, on either back end.
        assert!(declined.is_empty(), "{label}: declined: {declined:?}");
        results.push((label, summary(label, &rows)));
    }
    // A loose bound so a pathological slowdown fails; the target (50 µs)
    // depends on the machine and is reported above.
    let (_, (median, _)) = results[0];
    assert!(median < 1000.0, "median compile time {median} µs");
}

/// The plain Cranelift compile `capuchin bench jit` compares with, for
/// callgrind (ignored in `cargo test`): `REPS` compiles of the
/// 45-instruction function. Instructions per compile are the difference
/// of two runs, which cancels start-up:
///
/// ```text
/// cargo test --release -p jit --test compile_cost --no-run   # prints the binary
/// for r in 20 120; do REPS=$r valgrind --tool=callgrind --callgrind-out-file=cg.$r \
///     --toggle-collect='cranelift_codegen::context::Context::compile' <binary> --ignored plain; done
/// # (Ir of cg.120 - Ir of cg.20) / 100
/// ```
#[test]
#[ignore = "a callgrind harness: see its docs"]
fn plain_compile_for_callgrind() {
    extern "C" fn no_clock() -> u64 {
        0
    }
    let reps = std::env::var("REPS").map_or(20, |v| v.parse().expect("REPS: a number"));
    let times = jit::Jit::plain_compile_nanos(no_clock, 45, reps).expect("compiles");
    assert_eq!(times.len(), reps);
}

/// What Cranelift alone charges per shape of code (docs/jit.md, "What
/// limits the median"), for callgrind like [`plain_compile_for_callgrind`]:
/// `REPS` compiles, in the configuration of loop-free methods, of a
/// function of `GROUP_COUNT` groups of one `SHAPE`:
///
/// * `plain`: load, add, store (the plain function's instructions);
/// * `blocks`: that, then a jump to a new block and a load and add there;
/// * `exits`: the same with a `brif` to a shared cold exit instead of the
///   jump (a compiled method's checks);
/// * `calls`: load, add, a `call_indirect` of three arguments and a `brif`
///   on its status to the shared exit (an `exec` site).
///
/// ```text
/// for s in plain blocks exits calls; do for g in 5 15; do for r in 10 20; do
///     SHAPE=$s GROUP_COUNT=$g REPS=$r valgrind --tool=callgrind --callgrind-out-file=cg.$s.$g.$r \
///         --toggle-collect='cranelift_codegen::context::Context::compile' <binary> --ignored shapes
/// done; done; done
/// # per compile: (Ir of cg.S.G.20 - cg.S.G.10) / 10; per group: (that at G = 15 - at G = 5) / 10
/// ```
#[test]
#[ignore = "a callgrind harness: see its docs"]
fn cranelift_shapes_for_callgrind() {
    use cranelift_codegen::control::ControlPlane;
    use cranelift_codegen::ir::types::{I32, I64};
    use cranelift_codegen::ir::{AbiParam, Function, InstBuilder, MemFlagsData, Signature, UserFuncName};
    use cranelift_codegen::settings::{self, Configurable};
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    let var = |k: &str, d: usize| std::env::var(k).map_or(d, |v| v.parse().expect("a number"));
    let shape = std::env::var("SHAPE").unwrap_or_else(|_| "plain".into());
    let (groups, reps) = (var("GROUP_COUNT", 15), var("REPS", 10));
    let mut flags = settings::builder();
    let fast = [
        ("opt_level", "none"),
        ("regalloc_algorithm", "single_pass"),
        ("enable_verifier", "false"),
        ("unwind_info", "false"),
        ("enable_probestack", "false"),
    ];
    for (k, v) in fast {
        flags.set(k, v).unwrap();
    }
    let triple = if cfg!(target_arch = "x86_64") { "x86_64-unknown-linux-gnu" } else { "aarch64-unknown-linux-gnu" };
    let isa = cranelift_codegen::isa::lookup_by_name(triple).unwrap().finish(settings::Flags::new(flags)).unwrap();
    let cc = isa.default_call_conv();
    let sig = |params: &[_], ret| {
        let mut s = Signature::new(cc);
        s.params.extend(params.iter().map(|&t| AbiParam::new(t)));
        s.returns.push(AbiParam::new(ret));
        s
    };
    let (mut ctx, mut fctx) = (cranelift_codegen::Context::new(), FunctionBuilderContext::new());
    for _ in 0..reps {
        ctx.clear();
        ctx.func = Function::with_name_signature(UserFuncName::default(), sig(&[I64, I64], I32));
        let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
        let callee = b.import_signature(sig(&[I64, I32, I32], I32));
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        b.seal_block(entry);
        let (p, mut acc) = (b.block_params(entry)[0], b.block_params(entry)[1]);
        let exit = b.create_block();
        b.set_cold_block(exit);
        let flags = MemFlagsData::trusted();
        for g in 0..groups {
            let x = b.ins().load(I64, flags, p, (g % 32) as i32 * 8);
            acc = b.ins().iadd(acc, x);
            let cond = match shape.as_str() {
                "plain" => {
                    b.ins().store(flags, acc, p, 8);
                    continue;
                }
                "blocks" | "exits" => {
                    b.ins().store(flags, acc, p, 8);
                    x
                }
                "calls" => {
                    let f = b.ins().iconst(I64, 0x1234_5678);
                    let (c1, c2) = (b.ins().iconst(I32, 2), b.ins().iconst(I32, 5));
                    let call = b.ins().call_indirect(callee, f, &[p, c1, c2]);
                    b.inst_results(call)[0]
                }
                s => panic!("SHAPE {s}: plain, blocks, exits or calls"),
            };
            let next = b.create_block();
            if shape == "blocks" {
                b.ins().jump(next, &[]);
            } else {
                b.ins().brif(cond, exit, &[], next, &[]);
            }
            b.switch_to_block(next);
            b.seal_block(next);
            if shape != "calls" {
                let y = b.ins().load(I64, flags, p, 16);
                acc = b.ins().iadd(acc, y);
            }
        }
        let r = b.ins().ireduce(I32, acc);
        b.ins().return_(&[r]);
        b.switch_to_block(exit);
        b.seal_block(exit);
        let one = b.ins().iconst(I32, 1);
        b.ins().return_(&[one]);
        b.finalize(isa.frontend_config());
        ctx.compile(&*isa, &mut ControlPlane::default()).expect("compiles");
    }
}
