//! Capuchin's JIT: translates verified bytecode to native code with
//! Cranelift (x86-64 for the hosted platform, aarch64 for seL4) and plugs
//! into the VM as a [`pd_jvm::runtime::compiler::Compiler`]. See
//! docs/jit.md for the design: the ABI and safepoints, GC, code memory,
//! what is compiled and what declines.
//!
//! ```ignore
//! let jit = jit::Jit::new(jit::JitOptions::default(), jit::code_memory::default_code_memory().unwrap())?;
//! // Tiering: compile methods once hot (threshold 0: before their first run).
//! vm.set_compiler(Box::new(jit), JitConfig { threshold: Some(1000), ..JitConfig::default() });
//! vm.run_main("Main", &[])?;
//! // Or explicitly, without tiering:
//! vm.jit_compile(method)?;
//! let v = vm.invoke_compiled(method, &[Value::Int(7)])?;
//! ```
#![no_std]

extern crate alloc;

mod baseline;
pub mod code_memory;
mod copy_params;
mod counted_loops;
mod counting_loops;
mod dead_allocations;
mod dominated_branches;
mod inline_cfg;
mod kinds;
mod promoted_locations;
mod redundant_stores;
mod single_path_loops;
mod translate;
mod unrolled_loops;

use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::FunctionBuilderContext;

pub use pd_jvm::runtime::compiler::Decline;
use pd_jvm::runtime::compiler::{CompileEnv, Compiled, Compiler, JitEntry};
use pd_jvm::runtime::MethodId;

use code_memory::CodeMemory;

pub(crate) trait NewDecline {
    fn new(msg: impl Into<String>) -> Self;
}

impl NewDecline for Decline {
    fn new(msg: impl Into<String>) -> Self {
        Decline(msg.into())
    }
}

/// How much Cranelift optimizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptLevel {
    /// No mid-end optimization (fastest compile).
    None,
    /// Cranelift's e-graph optimizations.
    Speed,
}

/// Compiler options.
#[derive(Clone, Copy, Debug)]
pub struct JitOptions {
    pub opt_level: OptLevel,
    /// Cranelift's single-pass register allocator (much faster to run,
    /// slower code) instead of the backtracking one.
    pub fast_regalloc: bool,
    /// Compile methods without loops with [`OptLevel::None`] and the
    /// single-pass allocator whatever `opt_level` says: most methods are
    /// loop-free, so this roughly halves the typical compile, but a hot
    /// loop-free callee that is not inlined runs slower (docs/jit.md,
    /// "Compile cost"). Off by default.
    pub loop_free_fast: bool,
    /// Compile with the baseline tier's templates where the VM allows
    /// baseline code ([`CompileEnv::may_use_baseline`]: tiering's second
    /// threshold, `JitConfig::optimize_at`, is set and the method has not
    /// reached it) and the templates cover the method (x86-64, no loop,
    /// no floating-point arithmetic): no Cranelift at all, an order of
    /// magnitude faster to compile; the VM has the method compiled again
    /// by Cranelift once it is hot (docs/jit.md, "The baseline tier").
    /// Off by default.
    pub baseline: bool,
    /// Run Cranelift's IR verifier on every function (tests).
    pub verify: bool,
    /// A monotonic nanosecond clock, to time compilations in the log.
    pub clock: Option<pd_jvm::NanoClock>,
    /// Keep each function's Cranelift IR as text in the log (debugging).
    pub keep_ir: bool,
    /// Generate code for another target (`"aarch64-unknown-linux-gnu"`):
    /// for testing the back end's lowering on the host only; such code
    /// must never be called.
    pub cross_target: Option<&'static str>,
}

impl Default for JitOptions {
    fn default() -> Self {
        JitOptions {
            opt_level: OptLevel::Speed,
            fast_regalloc: false,
            loop_free_fast: false,
            baseline: false,
            verify: false,
            clock: None,
            keep_ir: false,
            cross_target: None,
        }
    }
}

/// One compilation attempt.
#[derive(Clone, Debug)]
pub struct CompileRecord {
    pub method: MethodId,
    /// Bytecode instructions.
    pub bytecodes: usize,
    /// Bytes of bytecode.
    pub code_bytes: usize,
    /// Machine code bytes (0 when declined).
    pub machine_bytes: usize,
    /// Nanoseconds (0 without a clock).
    pub nanos: u64,
    /// Of which translating bytecode to Cranelift IR.
    pub translate_nanos: u64,
    /// Cranelift IR instructions of the function (0 for baseline code).
    pub ir_insts: usize,
    /// Compiled by the baseline tier's templates, not Cranelift.
    pub baseline: bool,
    /// Why the baseline tier left a method it was asked for to Cranelift.
    pub baseline_declined: Option<String>,
    /// Cranelift optimized it (`OptLevel::Speed`, not a loop-free method
    /// under [`JitOptions::loop_free_fast`]).
    pub optimized: bool,
    /// Calls inlined into it.
    pub inlined_calls: usize,
    /// Loop back edges that repeat the loop's test instead of jumping to
    /// it (loop rotation, docs/jit.md).
    pub rotated_loops: usize,
    /// Loop back edges without a budget check while their induction
    /// variable is below a limit set on entry (counted loops, docs/jit.md).
    pub counted_loops: usize,
    /// Loops whose accesses `a[i]` go unchecked behind a guard on entry
    /// that deoptimizes (bounded loops, docs/jit.md).
    pub bounded_loops: usize,
    /// Bounded loops whose back edge does not check the budget: their
    /// body keeps what it needs (reserved loops, docs/jit.md).
    pub reserved_loops: usize,
    /// Loops that only count, with their exit values computed on entry
    /// (counting loops, docs/jit.md).
    pub counting_loops: usize,
    /// Loops that keep a location in a register (promoted locations,
    /// docs/jit.md).
    pub promoted_locations: usize,
    /// Allocations removed because nothing reads their objects (dead
    /// allocations, docs/jit.md).
    pub dead_allocations: usize,
    /// Loops whose path was copied (unrolled loops, docs/jit.md).
    pub unrolled_loops: usize,
    /// `Some(reason)` when the method stays interpreted.
    pub declined: Option<String>,
    /// The Cranelift IR, with [`JitOptions::keep_ir`].
    pub ir: Option<String>,
    /// The machine code, with [`JitOptions::keep_ir`] (for a disassembler).
    pub machine_code: Option<Vec<u8>>,
}

/// The Cranelift compiler for pd-jvm.
pub struct Jit {
    isa: OwnedTargetIsa,
    /// For methods without loops with [`JitOptions::loop_free_fast`].
    isa_fast: Option<OwnedTargetIsa>,
    ctx: cranelift_codegen::Context,
    fctx: FunctionBuilderContext,
    branches: dominated_branches::Scratch,
    loop_passes: single_path_loops::Scratch,
    stores: redundant_stores::Scratch,
    mem: Box<dyn CodeMemory>,
    options: JitOptions,
    log: Rc<RefCell<Vec<CompileRecord>>>,
}

/// A method Cranelift compiled, and what the log says of it.
struct Built {
    compiled: Compiled,
    translate_nanos: u64,
    ir_insts: usize,
    done: translate::Translated,
    optimized: bool,
}

/// What the baseline tier made of a compile.
enum BaselineOutcome {
    /// Not its to compile (options, VM, machine), or, with the reason,
    /// its templates do not cover the method: Cranelift compiles it.
    Skipped(Option<String>),
    /// Its code (or the failure to install it), and the machine code.
    Done(Result<Compiled, Decline>, Vec<u8>),
}

impl CompileRecord {
    /// A record of nothing done yet for `method`.
    fn blank(method: MethodId, bytecodes: usize, code_bytes: usize) -> CompileRecord {
        CompileRecord {
            method,
            bytecodes,
            code_bytes,
            machine_bytes: 0,
            nanos: 0,
            translate_nanos: 0,
            ir_insts: 0,
            baseline: false,
            baseline_declined: None,
            optimized: false,
            inlined_calls: 0,
            rotated_loops: 0,
            counted_loops: 0,
            bounded_loops: 0,
            reserved_loops: 0,
            counting_loops: 0,
            promoted_locations: 0,
            dead_allocations: 0,
            unrolled_loops: 0,
            declined: None,
            ir: None,
            machine_code: None,
        }
    }
}

/// Copies `code` into code memory `pad` bytes into an allocation aligned
/// to `align`, publishes it and returns its entry.
fn install(mem: &mut dyn CodeMemory, code: &[u8], pad: usize, align: usize) -> Result<JitEntry, Decline> {
    let len = code.len();
    let (w, x) = mem.allocate(pad + len, align).ok_or_else(|| Decline::new("code memory full"))?;
    // SAFETY: `w` has room for `pad + len` bytes (allocate's contract);
    // the code starts `pad` bytes in and is entered there.
    let (w, x) = (unsafe { w.add(pad) }, x + pad);
    // SAFETY: `w` has room for `len` bytes.
    unsafe { core::ptr::copy_nonoverlapping(code.as_ptr(), w, len) };
    mem.publish(w, x, len);
    // SAFETY: `x` is the executable address of code that follows the
    // `JitEntry` ABI (its producer's contract: Cranelift's entry_signature
    // or the baseline prologue, with the platform's C calling convention).
    Ok(unsafe { core::mem::transmute::<usize, JitEntry>(x) })
}

/// The target this crate generates code for: the machine it runs on.
fn host_triple() -> &'static str {
    if cfg!(target_arch = "x86_64") {
        "x86_64-unknown-linux-gnu"
    } else {
        "aarch64-unknown-linux-gnu"
    }
}

impl Jit {
    /// A compiler for the machine it runs on, writing code to `mem`.
    pub fn new(options: JitOptions, mem: Box<dyn CodeMemory>) -> Result<Jit, Decline> {
        let isa = Self::isa(&options, options.opt_level, options.fast_regalloc)?;
        let already_fast = options.opt_level == OptLevel::None && options.fast_regalloc;
        let isa_fast = if options.loop_free_fast && !already_fast {
            Some(Self::isa(&options, OptLevel::None, true)?)
        } else {
            None
        };
        Ok(Jit {
            isa,
            isa_fast,
            ctx: cranelift_codegen::Context::new(),
            fctx: FunctionBuilderContext::new(),
            branches: dominated_branches::Scratch::default(),
            loop_passes: single_path_loops::Scratch::default(),
            stores: redundant_stores::Scratch::default(),
            mem,
            options,
            log: Rc::new(RefCell::new(Vec::new())),
        })
    }

    fn isa(options: &JitOptions, opt_level: OptLevel, fast_regalloc: bool) -> Result<OwnedTargetIsa, Decline> {
        let err = |e: &dyn core::fmt::Display| Decline(format!("cranelift setup: {e}"));
        let mut flags = settings::builder();
        let set = |f: &mut settings::Builder, k: &str, v: &str| f.set(k, v).map_err(|e| err(&e));
        set(&mut flags, "opt_level", if opt_level == OptLevel::Speed { "speed" } else { "none" })?;
        set(&mut flags, "enable_verifier", if options.verify { "true" } else { "false" })?;
        set(&mut flags, "regalloc_algorithm", if fast_regalloc { "single_pass" } else { "backtracking" })?;
        set(&mut flags, "unwind_info", "false")?;
        set(&mut flags, "enable_probestack", "false")?;
        set(&mut flags, "enable_nan_canonicalization", "false")?;
        // Block offsets and edges, for `loop_placement` (optimized code:
        // where the loops that matter are).
        set(&mut flags, "machine_code_cfg_info", if opt_level == OptLevel::Speed { "true" } else { "false" })?;
        let triple = options.cross_target.unwrap_or_else(host_triple);
        let builder = cranelift_codegen::isa::lookup_by_name(triple).map_err(|e| err(&e))?;
        builder.finish(settings::Flags::new(flags)).map_err(|e| err(&e))
    }

    /// Cranelift alone, for comparison with compiling Java (`capuchin
    /// bench jit`): builds a function of `n` plain instructions (loads
    /// from its first argument, adds, stores back, in threes; nothing of
    /// ours) and compiles it with the configuration loop-free methods get
    /// under [`JitOptions::loop_free_fast`], `reps` times. The
    /// nanoseconds of each compilation, by `clock`; the code is dropped.
    pub fn plain_compile_nanos(clock: pd_jvm::NanoClock, n: usize, reps: usize) -> Result<Vec<u64>, Decline> {
        use cranelift_codegen::ir::{types::I64, Function, InstBuilder, MemFlagsData, UserFuncName};
        use cranelift_frontend::FunctionBuilder;
        let options = JitOptions::default();
        let isa = Self::isa(&options, OptLevel::None, true)?;
        let cc = isa.default_call_conv();
        let mut ctx = cranelift_codegen::Context::new();
        let mut fctx = FunctionBuilderContext::new();
        let mut times = Vec::with_capacity(reps);
        for _ in 0..reps {
            let t0 = clock();
            ctx.clear();
            ctx.func = Function::with_name_signature(UserFuncName::default(), translate::entry_signature(cc));
            let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
            let block = b.create_block();
            b.append_block_params_for_function_params(block);
            b.switch_to_block(block);
            b.seal_block(block);
            let (p, mut acc) = (b.block_params(block)[0], b.block_params(block)[1]);
            for i in 0..n / 3 {
                let x = b.ins().load(I64, MemFlagsData::trusted(), p, (i % 32) as i32 * 8);
                acc = b.ins().iadd(acc, x);
                b.ins().store(MemFlagsData::trusted(), acc, p, 8);
            }
            let r = b.ins().ireduce(cranelift_codegen::ir::types::I32, acc);
            b.ins().return_(&[r]);
            b.finalize(isa.frontend_config());
            ctx.compile(&*isa, &mut ControlPlane::default())
                .map_err(|e| Decline(format!("cranelift: {:?}", e.inner)))?;
            times.push(clock().saturating_sub(t0));
        }
        Ok(times)
    }

    /// Every compilation so far (shared: keep a clone before handing the
    /// compiler to the VM).
    pub fn log(&self) -> Rc<RefCell<Vec<CompileRecord>>> {
        self.log.clone()
    }

    fn now(&self) -> u64 {
        self.options.clock.map_or(0, |c| c())
    }

    fn compile_inner(&mut self, env: &CompileEnv<'_>, m: MethodId) -> Result<Built, Decline> {
        let md = env.method(m).ok_or_else(|| Decline::new("no bytecode"))?;
        self.ctx.clear();
        let cc = self.isa.default_call_conv();
        self.ctx.func.signature = translate::entry_signature(cc);
        let t0 = self.now();
        // With the baseline tier, a compile the VM wants no baseline code
        // for is of a hot method (its second threshold): optimized,
        // whatever its shape.
        let hot = self.options.baseline && !env.may_use_baseline();
        let fast = self.isa_fast.is_some() && !hot && !has_loop(md.code, md.major);
        let unoptimized = fast || self.options.opt_level == OptLevel::None;
        let target = translate::Target { cc, frontend: self.isa.frontend_config(), unoptimized };
        let mut done = translate::translate(env, &md, &mut self.ctx.func, &mut self.fctx, &target)?;
        // Blocks the translator left without a way in (the continuation of
        // a call that became a deoptimization exit) go first: their edges
        // would make joins of blocks with one way in, whose parameters
        // then hide copies and whose branches hide decided conditions
        // from the two passes below.
        let ctx = &mut self.ctx;
        ctx.compute_cfg();
        ctx.compute_domtree();
        ctx.eliminate_unreachable_code(&*self.isa).map_err(|e| Decline(format!("cranelift: {e:?}")))?;
        if !done.alloc_sites.is_empty() {
            let sites = core::mem::take(&mut done.alloc_sites);
            if dead_allocations::remove_null_checks(&mut ctx.func, &sites) {
                ctx.compute_cfg();
                ctx.compute_domtree();
                ctx.eliminate_unreachable_code(&*self.isa).map_err(|e| Decline(format!("cranelift: {e:?}")))?;
            }
            let removed = dead_allocations::remove_dead_allocations(&mut ctx.func, &ctx.domtree, &sites);
            if removed > 0 {
                // The slow paths of removed instances, and arrays' zeroing
                // loops, are unreachable now.
                ctx.compute_cfg();
                ctx.compute_domtree();
                ctx.eliminate_unreachable_code(&*self.isa).map_err(|e| Decline(format!("cranelift: {e:?}")))?;
                dead_allocations::sweep(&mut ctx.func);
            }
            done.dead_allocations = removed;
        }
        copy_params::remove_copy_params(&mut ctx.func);
        redundant_stores::remove_redundant_stores(&mut ctx.func, &ctx.cfg, &ctx.domtree, &mut self.stores);
        // The loads that fed only removed stores, and those the translator
        // made for slots nothing read (after a call, it reloads them all).
        dead_allocations::sweep(&mut ctx.func);
        dominated_branches::remove_dominated_branches(&mut ctx.func, &ctx.cfg, &ctx.domtree, &mut self.branches);
        // Only the translator's rotated loops have the shape the loop
        // passes need; other methods skip the analyses.
        if done.rotated_loops > 0 {
            ctx.compute_cfg();
            ctx.compute_domtree();
            ctx.compute_loop_analysis();
            let d =
                single_path_loops::optimize_loops(&mut ctx.func, &ctx.cfg, &ctx.loop_analysis, &mut self.loop_passes);
            done.counting_loops = d.counting;
            done.promoted_locations = d.promoted;
            done.unrolled_loops = d.unrolled;
            ctx.loop_analysis.clear();
        }
        // Both are stale now; Cranelift recomputes them, and its verifier
        // checks a valid-looking CFG against the function.
        ctx.cfg.clear();
        ctx.domtree.clear();
        let translate_nanos = self.now().saturating_sub(t0);
        let ir_insts = self.ctx.func.dfg.num_insts();
        let isa = match &self.isa_fast {
            Some(isa_fast) if fast => isa_fast,
            _ => &self.isa,
        };
        let code = self
            .ctx
            .compile(&**isa, &mut ControlPlane::default())
            .map_err(|e| Decline(format!("cranelift: {:?}", e.inner)))?;
        if !code.buffer.relocs().is_empty() {
            return Err(Decline::new("generated code needs relocations"));
        }
        let bytes = code.code_buffer();
        let len = bytes.len();
        // A cache line per function start, and within it the start that
        // keeps its short loops inside lines: where a hot loop falls
        // relative to fetch and op-cache lines moved `invoke_virtual` by
        // 1.5x between builds with 16-byte starts, and `field` by 2x.
        let pad = loop_placement(len, &code.bb_starts, &code.bb_edges);
        let entry = install(&mut *self.mem, bytes, pad, 64)?;
        Ok(Built {
            compiled: Compiled { entry, code_size: len, baseline: false },
            translate_nanos,
            ir_insts,
            done,
            optimized: !unoptimized,
        })
    }

    /// The baseline tier's code for `m`, if the options, the VM and the
    /// templates allow it.
    fn compile_baseline(&mut self, env: &CompileEnv<'_>, m: MethodId) -> BaselineOutcome {
        if !(self.options.baseline && env.may_use_baseline() && baseline::available())
            || self.options.cross_target.is_some()
        {
            return BaselineOutcome::Skipped(None);
        }
        let Some(md) = env.method(m) else { return BaselineOutcome::Skipped(None) };
        match baseline::compile(env, &md, &env.helpers()) {
            Ok(code) => {
                let r = install(&mut *self.mem, &code, 0, 16).map(|entry| Compiled {
                    entry,
                    code_size: code.len(),
                    baseline: true,
                });
                BaselineOutcome::Done(r, code)
            }
            Err(d) => BaselineOutcome::Skipped(Some(d.0)),
        }
    }
}

/// The value of `v` if an `iconst` defines it (the translator and the IR
/// passes ask).
pub(crate) fn iconst_value(func: &cranelift_codegen::ir::Function, v: cranelift_codegen::ir::Value) -> Option<i64> {
    use cranelift_codegen::ir::{InstructionData, Opcode, ValueDef};
    let v = func.dfg.resolve_aliases(v);
    let ValueDef::Result(inst, _) = func.dfg.value_def(v) else { return None };
    match func.dfg.insts[inst] {
        InstructionData::UnaryImm { opcode: Opcode::Iconst, imm } => Some(imm.bits()),
        _ => None,
    }
}

/// The fetch and op-cache line of the x86-64 and aarch64 cores this runs
/// on, for [`loop_placement`].
const CODE_LINE: u32 = 64;

/// How far into its first line a function should start (0, 16, 32 or 48
/// bytes) so that the fewest of its loops that fit in a line cross one.
/// A loop is the code from a back edge's target to the end of the block
/// the edge leaves (`bb_starts`, `bb_edges`: Cranelift's block offsets
/// and edges, empty without `machine_code_cfg_info`). Ties: the earliest.
fn loop_placement(len: usize, bb_starts: &[u32], bb_edges: &[(u32, u32)]) -> usize {
    let end_of = |from: u32| bb_starts.iter().copied().find(|&s| s > from).unwrap_or(len as u32);
    let crossings = |pad: u32| -> u32 {
        bb_edges
            .iter()
            .filter(|&&(from, to)| to <= from)
            .map(|&(from, to)| (pad + to, pad + end_of(from)))
            .filter(|&(start, end)| end - start <= CODE_LINE)
            .map(|(start, end)| (end - 1) / CODE_LINE - start / CODE_LINE)
            .sum()
    };
    (0..CODE_LINE / 16).map(|k| k * 16).min_by_key(|&pad| crossings(pad)).unwrap_or(0) as usize
}

/// Whether the bytecode has a back edge (a branch to itself or before).
fn has_loop(code: &[u8], major: u16) -> bool {
    pd_jvm::verify::insn::Instructions::decode(code, major).map_or(true, |i| i.insns.iter().any(is_back_edge))
}

/// Whether `insn` branches to itself or before (a loop's back edge).
pub(crate) fn is_back_edge(insn: &pd_jvm::verify::insn::Insn) -> bool {
    insn.targets().any(|t| t <= insn.pc as i64)
}

fn count_insns(code: &[u8], major: u16) -> usize {
    pd_jvm::verify::insn::Instructions::decode(code, major).map_or(0, |i| i.insns.len())
}

impl Compiler for Jit {
    fn compile(&mut self, env: &CompileEnv<'_>, method: MethodId) -> Result<Compiled, Decline> {
        let t0 = self.now();
        let (bytecodes, code_bytes) =
            env.method(method).map_or((0, 0), |md| (count_insns(md.code, md.major), md.code.len()));
        let blank = CompileRecord::blank(method, bytecodes, code_bytes);
        let baseline_declined = match self.compile_baseline(env, method) {
            BaselineOutcome::Skipped(why) => why,
            BaselineOutcome::Done(r, code) => {
                let nanos = self.now().saturating_sub(t0);
                self.log.borrow_mut().push(CompileRecord {
                    machine_bytes: r.as_ref().map_or(0, |c| c.code_size),
                    nanos,
                    translate_nanos: nanos,
                    baseline: true,
                    declined: r.as_ref().err().map(|d| d.0.clone()),
                    machine_code: self.options.keep_ir.then_some(code),
                    ..blank
                });
                return r;
            }
        };
        let r = self.compile_inner(env, method);
        let nanos = self.now().saturating_sub(t0);
        let Ok(b) = &r else {
            let declined = r.as_ref().err().map(|d| d.0.clone());
            // What Cranelift was given, for finding out why it failed.
            let ir = self.options.keep_ir.then(|| format!("{}", self.ctx.func.display()));
            self.log.borrow_mut().push(CompileRecord { nanos, baseline_declined, declined, ir, ..blank });
            return r.map(|b| b.compiled);
        };
        self.log.borrow_mut().push(CompileRecord {
            machine_bytes: b.compiled.code_size,
            nanos,
            translate_nanos: b.translate_nanos,
            ir_insts: b.ir_insts,
            baseline_declined,
            optimized: b.optimized,
            inlined_calls: b.done.inlined_calls,
            rotated_loops: b.done.rotated_loops,
            counted_loops: b.done.counted_loops,
            bounded_loops: b.done.bounded_loops,
            reserved_loops: b.done.reserved_loops,
            counting_loops: b.done.counting_loops,
            promoted_locations: b.done.promoted_locations,
            dead_allocations: b.done.dead_allocations,
            unrolled_loops: b.done.unrolled_loops,
            ir: self.options.keep_ir.then(|| format!("{}", self.ctx.func.display())),
            machine_code: self
                .options
                .keep_ir
                .then(|| self.ctx.compiled_code().map(|c| c.code_buffer().to_vec()))
                .flatten(),
            ..blank
        });
        r.map(|b| b.compiled)
    }
}

#[cfg(test)]
mod tests {
    use super::loop_placement;

    #[test]
    fn short_loops_start_where_they_fit_in_a_line() {
        // A 30-byte loop from 55 (blocks at 55 and 70, the back edge
        // leaving the one at 70): across the line at 64 unless moved 16
        // on, where it sits in 71..101.
        assert_eq!(loop_placement(200, &[0, 55, 70, 85], &[(70, 55), (0, 55), (70, 85)]), 16);
        // Already inside a line: stays.
        assert_eq!(loop_placement(200, &[0, 70, 85, 100], &[(85, 70), (0, 70)]), 0);
        // Longer than a line: no start helps it, none is chosen for it.
        assert_eq!(loop_placement(300, &[0, 10, 150], &[(10, 10), (10, 150)]), 0);
        // No loop, or no block information.
        assert_eq!(loop_placement(100, &[0, 40], &[(0, 40)]), 0);
        assert_eq!(loop_placement(100, &[], &[]), 0);
    }
}

/// What the IR passes' unit tests share: a function `(i32, i32) -> i32`
/// and the host's front-end configuration to finish building it.
#[cfg(test)]
mod test_support {
    use cranelift_codegen::ir::{types::I32, AbiParam, Function, Signature, UserFuncName};
    use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
    use cranelift_codegen::settings;

    pub fn two_int_function() -> Function {
        let mut sig = Signature::new(CallConv::SystemV);
        sig.params.push(AbiParam::new(I32));
        sig.params.push(AbiParam::new(I32));
        sig.returns.push(AbiParam::new(I32));
        Function::with_name_signature(UserFuncName::default(), sig)
    }

    pub fn frontend_config() -> TargetFrontendConfig {
        cranelift_codegen::isa::lookup_by_name(crate::host_triple())
            .unwrap()
            .finish(settings::Flags::new(settings::builder()))
            .unwrap()
            .frontend_config()
    }
}
