//! Test support for pd-jvm's and the JIT's tests: the stub class library
//! in `pd-jvm/tests/interp_stub` (compiled once per test binary with
//! `javac --system=none`), compiling test programs against it, running
//! them on the VM with captured output, and running the same sources on
//! the real JDK for differential checks. The JIT's tests add their
//! compiler-specific helpers on top (jit/tests/support).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use pd_jvm::runtime::{Args, MapSource, NativeResult, Output, Value, Vm, VmConfig, VmError};

pub type Classes = BTreeMap<Vec<u8>, Vec<u8>>;

/// Scratch space for javac runs (removed after each compile; the stub
/// library stays): cargo's `CARGO_TARGET_TMPDIR` of integration tests,
/// `<target>/tmp`, found from the test binary's path
/// (`<target>/<profile>/deps/<name>`), else the system's.
fn tmp_root() -> PathBuf {
    let target = std::env::current_exe().ok().and_then(|e| Some(e.parent()?.parent()?.parent()?.to_path_buf()));
    match target {
        Some(t) if t.join("CACHEDIR.TAG").exists() => t.join("tmp").join("pd-jvm-tests"),
        _ => std::env::temp_dir().join("capuchin-pd-jvm-tests"),
    }
}

fn fresh_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let p = tmp_root().join(format!("{tag}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

pub fn have_javac() -> bool {
    Command::new("javac").arg("-version").output().is_ok_and(|o| o.status.success())
}

/// Fails the test without javac: the tests compile their Java with it
/// (the JDK 17 the README requires), and a skipped test proves nothing.
pub fn require_javac() {
    assert!(have_javac(), "javac (JDK 17) is needed: this test compiles its Java with it");
}

pub fn have_java() -> bool {
    Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success())
}

/// The class files under `dir`, by internal name (`pkg/Name`), without
/// `module-info`.
pub fn class_files(dir: &Path) -> Classes {
    let mut out = Classes::new();
    collect(dir, dir, &mut out);
    out
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
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/interp_stub");
        let out = fresh_dir("stub");
        let o = Command::new("javac")
            .arg("--system=none")
            .arg("-g")
            .arg("-d")
            .arg(&out)
            .arg("--module-source-path")
            .arg(&src)
            .arg("--module")
            .arg("java.base")
            .output()
            .expect("run javac");
        assert!(o.status.success(), "stub javac failed:\n{}", String::from_utf8_lossy(&o.stderr));
        out
    })
}

/// The stub java.base classes by internal name.
pub fn stub_classes() -> &'static Classes {
    static C: OnceLock<Classes> = OnceLock::new();
    C.get_or_init(|| {
        let dir = stub_dir().join("java.base");
        class_files(&dir)
    })
}

/// Compiles `sources` (file name, text) against the stub library.
pub fn compile(sources: &[(&str, &str)]) -> Classes {
    let dir = fresh_dir("prog");
    let src = dir.join("src");
    let out = dir.join("out");
    std::fs::create_dir_all(&src).unwrap();
    let mut cmd = Command::new("javac");
    cmd.arg("--system=none").arg("--module-path").arg(stub_dir()).arg("-g").arg("-d").arg(&out);
    for (name, text) in sources {
        let p = src.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        cmd.arg(&p);
    }
    let o = cmd.output().expect("run javac");
    assert!(o.status.success(), "javac failed:\n{}", String::from_utf8_lossy(&o.stderr));
    let classes = class_files(&out);
    let _ = std::fs::remove_dir_all(&dir);
    classes
}

/// Captured stdout/stderr.
#[derive(Clone, Default)]
pub struct Captured(pub Rc<RefCell<(Vec<u8>, Vec<u8>)>>);

impl Captured {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow().0).into_owned()
    }
}

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

/// Java's `Double.toString`/`Float.toString` format over Rust's shortest
/// round-trip digits (what JDK 19+ prints; JDK 17 agrees on ordinary values).
pub fn java_fp_string(v: f64, digits_of: impl Fn() -> String) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let s = digits_of();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, s),
    };
    let (mant, exp) = s.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let abs = v.abs();
    if (1e-3..1e7).contains(&abs) {
        if exp >= 0 {
            let e = exp as usize;
            let int: String =
                if digits.len() > e { digits[..=e].to_string() } else { format!("{digits:0<width$}", width = e + 1) };
            let frac = if digits.len() > e + 1 { &digits[e + 1..] } else { "0" };
            out.push_str(&format!("{int}.{frac}"));
        } else {
            out.push_str(&format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits));
        }
    } else {
        let frac = if digits.len() > 1 { &digits[1..] } else { "0" };
        out.push_str(&format!("{}.{}E{}", &digits[..1], frac, exp));
    }
    out
}

fn double_to_string(vm: &mut Vm, a: Args) -> NativeResult {
    let d = a.double(vm, 0);
    let s = java_fp_string(d, || format!("{d:e}"));
    Ok(Value::Ref(vm.new_string(&s)?))
}

fn float_to_string(vm: &mut Vm, a: Args) -> NativeResult {
    let f = a.float(vm, 0);
    let s = java_fp_string(f64::from(f), || format!("{f:e}"));
    Ok(Value::Ref(vm.new_string(&s)?))
}

/// A VM over the stub library plus `classes`, with test natives.
pub fn new_vm(classes: &Classes, config: VmConfig) -> (Vm, Captured) {
    let out = Captured::default();
    let mut vm = Vm::new(config, Box::new(out.clone())).expect("vm");
    vm.add_source(Box::new(MapSource(classes.clone())));
    vm.add_source(Box::new(MapSource(stub_classes().clone())));
    vm.register_native("java/lang/Double", "toString", "(D)Ljava/lang/String;", double_to_string);
    vm.register_native("java/lang/Float", "toString", "(F)Ljava/lang/String;", float_to_string);
    (vm, out)
}

/// The result of running a program.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub result: Result<(), VmError>,
    pub vm: Vm,
}

/// Runs `main` of `class`; an uncaught exception is reported to stderr
/// as the `java` launcher does.
pub fn run_classes(classes: &Classes, class: &str, config: VmConfig) -> Run {
    let (mut vm, out) = new_vm(classes, config);
    let result = vm.run_main(class, &[]);
    if let Err(VmError::Exception(p)) = &result {
        vm.report_uncaught(p);
    }
    let (o, e) = out.0.borrow().clone();
    Run {
        stdout: String::from_utf8_lossy(&o).into_owned(),
        stderr: String::from_utf8_lossy(&e).into_owned(),
        result,
        vm,
    }
}

/// Compiles and runs `Main` (the first source's class).
pub fn run_java(sources: &[(&str, &str)], main: &str) -> Run {
    run_classes(&compile(sources), main, test_config())
}

/// The default configuration with a budget small enough that a runaway
/// test fails fast.
pub fn test_config() -> VmConfig {
    VmConfig { budget: 50_000_000, ..VmConfig::default() }
}

/// Runs the same sources on the real JDK: (stdout, stderr, exit code).
pub fn run_real_java(sources: &[(&str, &str)], main: &str) -> Option<(String, String, i32)> {
    if !have_java() {
        return None;
    }
    let dir = fresh_dir("real");
    let mut cmd = Command::new("javac");
    cmd.arg("--release").arg("17").arg("-d").arg(dir.join("out"));
    for (name, text) in sources {
        let p = dir.join("src").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        cmd.arg(&p);
    }
    let o = cmd.output().ok()?;
    assert!(o.status.success(), "javac (real) failed:\n{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new("java").arg("-Xss8m").arg("-cp").arg(dir.join("out")).arg(main).output().ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    Some((
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    ))
}

/// Runs on both VMs and asserts equal stdout; returns our run. Our VM
/// also runs the program a second time collecting before every
/// allocation (every object moves constantly), which must not change
/// the output: the collector's roots are precise.
pub fn differential(sources: &[(&str, &str)], main: &str) -> Run {
    let classes = compile(sources);
    let ours = run_classes(&classes, main, test_config());
    let stressed = run_classes(&classes, main, VmConfig { gc_stress: true, heap_quota: 1 << 20, ..test_config() });
    assert_eq!(ours.stdout, stressed.stdout, "output changes under GC stress; stderr: {}", stressed.stderr);
    assert!(stressed.vm.heap_stats().collections > 0);
    if let Some((out, err, _code)) = run_real_java(sources, main) {
        assert_eq!(ours.stdout, out, "stdout differs from the JDK (JDK stderr: {err})\nour stderr: {}", ours.stderr);
    } else {
        eprintln!("SKIPPED differential part: no java");
    }
    ours
}
