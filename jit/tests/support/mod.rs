//! Test support for the JIT's tests: pd-jvm's shared test support (the
//! stub class library, javac, VMs with captured output) plus VMs with the
//! JIT installed and comparison of compiled against interpreted runs.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::Instant;

use jit::{CompileRecord, Jit, JitOptions};
use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::{MethodId, Value, Vm, VmConfig, VmError};
pub use pd_jvm_test_support::*;

pub extern "C" fn clock() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// The shared test configuration with a budget for the JIT's longer loops.
pub fn jit_test_config() -> VmConfig {
    VmConfig { budget: 200_000_000, ..test_config() }
}

pub struct JitVm {
    pub vm: Vm,
    pub out: Captured,
    pub log: Rc<RefCell<Vec<CompileRecord>>>,
}

impl JitVm {
    /// Compiles `class.name desc` now: the compilation's record.
    pub fn compile(&mut self, class: &str, name: &str, desc: &str) -> CompileRecord {
        let m = method(&mut self.vm, class, name, desc);
        self.vm.jit_compile(m).expect("compiles");
        let r = self.log.borrow().last().cloned();
        r.expect("a compile record")
    }
}

/// A VM over the stub library plus `classes` with the JIT installed.
pub fn jit_vm(classes: &Classes, config: VmConfig, jc: JitConfig, opts: JitOptions) -> JitVm {
    let (mut vm, out) = new_vm(classes, config);
    let jit = Jit::new(JitOptions { clock: Some(clock), ..opts }, jit::code_memory::default_code_memory().unwrap())
        .expect("jit");
    let log = jit.log();
    vm.set_compiler(Box::new(jit), jc);
    JitVm { vm, out, log }
}

pub fn default_jit_vm(classes: &Classes) -> JitVm {
    jit_vm(classes, jit_test_config(), JitConfig { compile_on_invoke: true, ..JitConfig::default() }, test_opts())
}

pub fn test_opts() -> JitOptions {
    JitOptions { verify: true, ..JitOptions::default() }
}

pub fn method(vm: &mut Vm, class: &str, name: &str, desc: &str) -> MethodId {
    let c = vm.load_and_init(class).unwrap_or_else(|e| panic!("load {class}: {e:?}"));
    vm.find_method(c, name, desc).unwrap_or_else(|| panic!("no {class}.{name}{desc}"))
}

/// A comparable rendering of a call's outcome: values bit-exact,
/// strings by content, exceptions with their stack traces.
pub fn render(vm: &mut Vm, r: Result<Value, VmError>) -> String {
    match r {
        Ok(Value::Float(f)) => format!("F{:#x}({f})", f.to_bits()),
        Ok(Value::Double(d)) => format!("D{:#x}({d})", d.to_bits()),
        Ok(Value::Ref(x)) if x.is_null() => "null".into(),
        Ok(Value::Ref(x)) => match vm.string_value(x) {
            Some(s) => format!("S{s:?}"),
            None => format!("ref of class {}", String::from_utf8_lossy(vm.class_name(vm.class_of(x).unwrap()))),
        },
        Ok(v) => format!("{v:?}"),
        Err(VmError::Exception(p)) => {
            let s = vm.describe_throwable(&p);
            vm.unpin(p);
            format!("throws {s}")
        }
        Err(VmError::StackDepthExceeded(Some(p))) => {
            vm.unpin(p);
            "StackDepthExceeded".into()
        }
        Err(e) => format!("{e:?}"),
    }
}

/// Runs `m` interpreted and compiled on `args`; both outcomes must agree.
pub fn agree(vm: &mut Vm, m: MethodId, args: &[Value]) -> String {
    let i = vm.invoke(m, args);
    let i = render(vm, i);
    let c = vm.invoke_compiled(m, args);
    let c = render(vm, c);
    let (name, desc) = vm.method_name(m);
    let label = format!("{}{}", String::from_utf8_lossy(name), String::from_utf8_lossy(desc));
    assert_eq!(c, i, "{label}{args:?}: compiled (left) differs from interpreted (right)");
    c
}

/// Like [`agree`], but compiled first (pool entries unresolved, classes
/// uninitialized: the slow paths), then interpreted.
pub fn agree_cold(vm: &mut Vm, m: MethodId, args: &[Value]) -> String {
    let c = vm.invoke_compiled(m, args);
    let c = render(vm, c);
    let i = vm.invoke(m, args);
    let i = render(vm, i);
    let (name, desc) = vm.method_name(m);
    let label = format!("{}{}", String::from_utf8_lossy(name), String::from_utf8_lossy(desc));
    assert_eq!(c, i, "{label}{args:?} (cold): compiled (left) differs from interpreted (right)");
    c
}

/// Compiles `m` now: its Cranelift IR (the JIT must keep it,
/// `JitOptions::keep_ir`) and the number of calls inlined into it.
pub fn compile_ir(jv: &mut JitVm, m: MethodId) -> (String, usize) {
    jv.vm.jit_compile(m).expect("compiles");
    let log = jv.log.borrow();
    let rec = log.iter().rev().find(|r| r.method == m).expect("logged");
    (rec.ir.clone().expect("kept IR"), rec.inlined_calls)
}

/// Runs `class.name(args)` (`(III)I`) after `class.reset()`, compiled or
/// interpreted: its outcome, and `class.count()` after it (the iterations
/// a loop made, kept where an exception or the budget left them).
pub fn run_counted(vm: &mut Vm, class: &str, name: &str, args: [i32; 3], compiled: bool) -> (String, Value) {
    let m = method(vm, class, name, "(III)I");
    let reset = method(vm, class, "reset", "()V");
    let count = method(vm, class, "count", "()I");
    vm.invoke(reset, &[]).unwrap();
    let args = args.map(Value::Int);
    let r = if compiled { vm.invoke_compiled(m, &args) } else { vm.invoke(m, &args) };
    let r = render(vm, r);
    (r, vm.invoke(count, &[]).unwrap())
}

/// For each budget, every case of `class` gives the same outcome and count
/// compiled (by a JIT VM with `jc`) as interpreted.
pub fn agree_under_budgets(classes: &Classes, class: &str, budgets: &[u64], jc: JitConfig, cases: &[(&str, [i32; 3])]) {
    for &budget in budgets {
        let config = VmConfig { budget, ..jit_test_config() };
        let (mut interp, _out) = new_vm(classes, config);
        let mut jv = jit_vm(classes, config, jc, test_opts());
        for &(name, args) in cases {
            let want = run_counted(&mut interp, class, name, args, false);
            let got = run_counted(&mut jv.vm, class, name, args, true);
            assert_eq!(got, want, "{name}{args:?} with budget {budget}: compiled (left), interpreted (right)");
        }
    }
}

/// Compiles `class.name` with its Cranelift IR kept (`JitOptions::keep_ir`):
/// the compilation's record, the IR in `ir`.
pub fn compile_keeping_ir(classes: &Classes, class: &str, name: &str, desc: &str) -> CompileRecord {
    let opts = JitOptions { keep_ir: true, ..test_opts() };
    jit_vm(classes, jit_test_config(), JitConfig::default(), opts).compile(class, name, desc)
}

/// The blocks of Cranelift IR text (`CompileRecord::ir`): whether each is
/// cold, and its instructions (trimmed).
pub fn ir_blocks(ir: &str) -> Vec<(bool, Vec<&str>)> {
    let mut blocks: Vec<(bool, Vec<&str>)> = Vec::new();
    for line in ir.lines() {
        if line.starts_with("block") {
            blocks.push((line.ends_with(" cold:"), Vec::new()));
        } else if let Some((_, insts)) = blocks.last_mut() {
            let inst = line.trim();
            if !inst.is_empty() && inst != "}" {
                insts.push(inst);
            }
        }
    }
    blocks
}
