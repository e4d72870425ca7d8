//! Prints the Cranelift IR of a method (debugging aid):
//!     JIT_DUMP=Class.method [JIT_DUMP_SRC=File.java] [JIT_DUMP_RUN_MAIN=1] \
//!         cargo test --release -p jit --test dump_ir -- --nocapture
//! (`JIT_DUMP_RUN_MAIN`: run `main` interpreted first, so the method is
//! compiled as tiering would compile it, with its pool entries resolved.)
//! The machine code goes to a file named in the output, for `objdump -D -b
//! binary -m i386:x86-64` (or `-m aarch64`).
mod support;

use jit::JitOptions;
use pd_jvm::runtime::compiler::JitConfig;
use support::*;

#[test]
fn dump_ir() {
    let Ok(which) = std::env::var("JIT_DUMP") else { return };
    let src = std::fs::read_to_string(std::env::var("JIT_DUMP_SRC").unwrap_or_default()).unwrap_or_default();
    let (class, name) = which.rsplit_once('.').unwrap();
    let classes = if src.is_empty() {
        Classes::new()
    } else {
        compile(&[(&format!("{}.java", class.rsplit('/').next().unwrap()), &src)])
    };
    let mut jv = jit_vm(
        &classes,
        jit_test_config(),
        JitConfig::default(),
        JitOptions { keep_ir: true, loop_free_fast: true, ..JitOptions::default() },
    );
    let c = jv.vm.load_and_init(class).unwrap();
    if std::env::var_os("JIT_DUMP_RUN_MAIN").is_some() {
        // Interpreted first, as tiering would: the pool entries resolve.
        jv.vm.run_main(class, &[]).unwrap();
    }
    for &m in jv.vm.class_methods(c).to_vec().iter() {
        if jv.vm.method_name(m).0 == name.as_bytes() {
            let _ = jv.vm.jit_compile(m);
        }
    }
    for (i, r) in jv.log.borrow().iter().enumerate() {
        println!(
            "{:?}: {} bytecodes, {} IR insts, {} machine bytes, {} calls inlined, {} loops rotated, declined: {:?}",
            r.method, r.bytecodes, r.ir_insts, r.machine_bytes, r.inlined_calls, r.rotated_loops, r.declined
        );
        println!("{}", r.ir.as_deref().unwrap_or(""));
        if let Some(code) = &r.machine_code {
            // Disassemble with: objdump -D -b binary -m i386:x86-64 FILE
            let file = std::env::temp_dir().join(format!("jit-dump-{name}-{i}.bin"));
            std::fs::write(&file, code).unwrap();
            println!("machine code: {}", file.display());
        }
    }
}

/// Min compile time of one method over many fresh compilations:
///     JIT_REPEAT=Class.method JIT_DUMP_SRC=File.java cargo test --release -p jit --test dump_ir -- --nocapture
#[test]
fn repeat_compile() {
    let Ok(which) = std::env::var("JIT_REPEAT") else { return };
    let src = std::fs::read_to_string(std::env::var("JIT_DUMP_SRC").unwrap()).unwrap();
    let (class, name) = which.split_once('.').unwrap();
    let classes = compile(&[(&format!("{class}.java"), &src)]);
    for (label, opts) in [
        ("speed", JitOptions::default()),
        ("none", JitOptions { opt_level: jit::OptLevel::None, ..JitOptions::default() }),
        (
            "none+single-pass",
            JitOptions { opt_level: jit::OptLevel::None, fast_regalloc: true, ..JitOptions::default() },
        ),
    ] {
        let mut best = (u64::MAX, 0, 0);
        for warm in [false, true] {
            for _ in 0..20 {
                let mut jv = jit_vm(&classes, jit_test_config(), JitConfig::default(), opts);
                let c = jv.vm.load_and_init(class).unwrap();
                let ms: Vec<_> = jv.vm.class_methods(c).to_vec();
                let _ = jv.vm.jit_compile(ms[0]); // warm the compiler
                let m = *ms.iter().find(|&&m| jv.vm.method_name(m).0 == name.as_bytes()).unwrap();
                if warm {
                    // Run it once interpreted so its pool entries are resolved.
                    let _ = jv.vm.invoke(m, &[pd_jvm::runtime::Value::Int(100)]);
                }
                let _ = jv.vm.jit_compile(m);
                let log = jv.log.borrow();
                let r = log.last().unwrap();
                if r.nanos < best.0 {
                    best = (r.nanos, r.translate_nanos, r.ir_insts);
                }
            }
            println!(
                "{which} {label:<17} {}: min {:.1} µs (translation {:.1} µs, {} IR insts)",
                if warm { "warm" } else { "cold" },
                best.0 as f64 / 1000.0,
                best.1 as f64 / 1000.0,
                best.2
            );
            best = (u64::MAX, 0, 0);
        }
    }
}
