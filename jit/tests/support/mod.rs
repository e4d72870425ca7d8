//! Test support: compile Java with javac against pd-jvm's stub class
//! library (pd-jvm/tests/interp_stub), build VMs with the JIT installed,
//! and compare compiled against interpreted execution.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use jit::{CompileRecord, Jit, JitOptions};
use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::{Args, MapSource, MethodId, NativeResult, Output, Value, Vm, VmConfig, VmError};

pub type Classes = BTreeMap<Vec<u8>, Vec<u8>>;

fn fresh_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("jit").join(format!(
        "{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

pub fn have_javac() -> bool {
    Command::new("javac").arg("-version").output().is_ok_and(|o| o.status.success())
}

fn collect(dir: &Path, root: &Path, out: &mut Classes) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "class") {
            let rel = p.strip_prefix(root).unwrap().with_extension("");
            let name = rel.to_string_lossy().replace('\\', "/");
            if name != "module-info" {
                out.insert(name.into_bytes(), std::fs::read(&p).unwrap());
            }
        }
    }
}

fn stub_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../pd-jvm/tests/interp_stub");
        let out = fresh_dir("stub");
        let o = Command::new("javac")
            .args(["--system=none", "-g", "-d"])
            .arg(&out)
            .arg("--module-source-path")
            .arg(&src)
            .args(["--module", "java.base"])
            .output()
            .expect("run javac");
        assert!(o.status.success(), "stub javac failed:\n{}", String::from_utf8_lossy(&o.stderr));
        out
    })
}

pub fn stub_classes() -> &'static Classes {
    static C: OnceLock<Classes> = OnceLock::new();
    C.get_or_init(|| {
        let dir = stub_dir().join("java.base");
        let mut out = Classes::new();
        collect(&dir, &dir, &mut out);
        out
    })
}

/// Compiles `sources` (file name, text) against the stub library.
pub fn compile(sources: &[(&str, &str)]) -> Classes {
    let dir = fresh_dir("prog");
    let (src, out) = (dir.join("src"), dir.join("out"));
    std::fs::create_dir_all(&src).unwrap();
    let mut cmd = Command::new("javac");
    cmd.arg("--system=none").arg("--module-path").arg(stub_dir()).arg("-g").arg("-d").arg(&out);
    for (name, text) in sources {
        let p = src.join(name);
        std::fs::write(&p, text).unwrap();
        cmd.arg(&p);
    }
    let o = cmd.output().expect("run javac");
    assert!(o.status.success(), "javac failed:\n{}", String::from_utf8_lossy(&o.stderr));
    let mut classes = Classes::new();
    collect(&out, &out, &mut classes);
    let _ = std::fs::remove_dir_all(&dir);
    classes
}

#[derive(Clone, Default)]
pub struct Captured(pub Rc<RefCell<(Vec<u8>, Vec<u8>)>>);

impl Output for Captured {
    fn write(&mut self, fd: i32, bytes: &[u8]) {
        let mut b = self.0.borrow_mut();
        if fd == 2 {
            b.1.extend_from_slice(bytes);
        } else {
            b.0.extend_from_slice(bytes);
        }
    }
}

impl Captured {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow().0).into_owned()
    }
}

// Not Java's exact format (pd-jvm's tests have that); both runs use it.
fn double_to_string(vm: &mut Vm, a: Args) -> NativeResult {
    let d = a.double(vm, 0);
    Ok(Value::Ref(vm.new_string(&format!("{d:?}"))?))
}

fn float_to_string(vm: &mut Vm, a: Args) -> NativeResult {
    let f = a.float(vm, 0);
    Ok(Value::Ref(vm.new_string(&format!("{f:?}"))?))
}

pub fn clock() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

pub fn test_config() -> VmConfig {
    VmConfig { budget: 200_000_000, ..VmConfig::default() }
}

pub struct JitVm {
    pub vm: Vm,
    pub out: Captured,
    pub log: Rc<RefCell<Vec<CompileRecord>>>,
}

/// A VM over the stub library plus `classes` with the JIT installed.
pub fn jit_vm(classes: &Classes, config: VmConfig, jc: JitConfig, opts: JitOptions) -> JitVm {
    let out = Captured::default();
    let mut vm = Vm::new(config, Box::new(out.clone())).expect("vm");
    vm.add_source(Box::new(MapSource(classes.clone())));
    vm.add_source(Box::new(MapSource(stub_classes().clone())));
    vm.register_native("java/lang/Double", "toString", "(D)Ljava/lang/String;", double_to_string);
    vm.register_native("java/lang/Float", "toString", "(F)Ljava/lang/String;", float_to_string);
    let jit = Jit::new(JitOptions { clock: Some(clock), ..opts }, jit::code_memory::default_code_memory().unwrap())
        .expect("jit");
    let log = jit.log();
    vm.set_compiler(Box::new(jit), jc);
    JitVm { vm, out, log }
}

pub fn default_jit_vm(classes: &Classes) -> JitVm {
    jit_vm(classes, test_config(), JitConfig { compile_on_invoke: true, ..JitConfig::default() }, test_opts())
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
