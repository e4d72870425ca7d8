//! `capuchin java`: runs a Java program on our VM on the host, like the
//! JDK's `java` launcher: `capuchin java -cp DIR_OR_JAR[:…] Main args…`.
//!
//! Classes come from the class library image (`java-l4.img`, built by
//! `make java-l4`; found next to this executable unless `--boot-image` or
//! `CAPUCHIN_BOOT_IMAGE` says otherwise) and then from the class path.
//!
//! `-verbose:class` (or `--verbose-class`) prints one line per class loaded
//! to stdout, in HotSpot's unified-logging format:
//! `[0.012s][info][class,load] NAME source: SOURCE`, where SOURCE is
//! `capuchin image` (the class library), `file:/dir/` or `file:/x.jar`
//! (the class path), or `defined at run time` (invokedynamic classes).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use pd_jvm::image::ClassImage;
use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::{ClassSource, MapSource, Output, Vm, VmConfig, VmError};

#[derive(clap::Args, Debug)]
pub struct JavaArgs {
    /// Class path: directories and jars, separated by ':'.
    #[arg(
        long = "class-path",
        visible_alias = "cp",
        short = 'c',
        alias = "classpath",
        value_name = "PATH",
        default_value = "."
    )]
    class_path: String,
    /// Heap quota, e.g. 64m, 512k (like -Xmx; the heap is two semispaces of half each).
    #[arg(long = "heap", value_name = "SIZE", default_value = "64m")]
    heap: String,
    /// Maximum Java frames before StackOverflowError.
    #[arg(long = "max-depth", value_name = "FRAMES", default_value_t = 10_000)]
    max_depth: u32,
    /// Back edges plus calls allowed before the run is aborted.
    #[arg(long = "budget", value_name = "N", default_value_t = u64::MAX / 2)]
    budget: u64,
    /// Class library image (default: java-l4.img next to this executable).
    #[arg(long = "boot-image", value_name = "FILE")]
    boot_image: Option<PathBuf>,
    /// Print heap statistics to stderr at exit.
    #[arg(long = "gc-stats")]
    gc_stats: bool,
    /// Print a line per class loaded, as HotSpot's -verbose:class does
    /// (`[0.012s][info][class,load] java.lang.Object source: capuchin image`).
    #[arg(long = "verbose-class")]
    verbose_class: bool,
    /// The JIT: `off` (interpret only), `all` (compile every method
    /// before its first run) or a hotness threshold N (compile a method
    /// when it is entered after N invocations plus back edges).
    #[arg(long = "jit", value_name = "off|all|N", default_value = DEFAULT_JIT)]
    jit: String,
    /// Cranelift configuration: `speed` (optimizing, backtracking register
    /// allocator), `fast` (no optimization, single-pass allocator: about
    /// half the compile time, slower code) or `auto` (methods compiled
    /// before they are hot: without loops, the baseline tier's templates or
    /// `fast`; with loops, `speed`; every method `speed` once hot).
    #[arg(long = "jit-opt", value_name = "speed|fast|auto", default_value = "speed")]
    jit_opt: String,
    /// With `--jit-opt auto`: the hotness (about the invocations) at which
    /// a method running baseline code is compiled again, optimized.
    #[arg(long = "jit-optimize-at", value_name = "N", default_value_t = AUTO_OPTIMIZE_AT)]
    jit_optimize_at: u32,
    /// Print one line per method the JIT compiled or declined to stderr at exit
    /// (bytecodes, machine bytes, compile microseconds).
    #[arg(long = "jit-log")]
    jit_log: bool,
    /// Write each compiled method's Cranelift IR (`N.clif`) and machine code
    /// (`N.bin`, raw: `objdump -D -b binary -m i386:x86-64`) to DIR at exit,
    /// N the method's number in `--jit-log`'s order; `index.txt` names them.
    #[arg(long = "jit-dump", value_name = "DIR")]
    jit_dump: Option<PathBuf>,
    /// Main class (binary name, e.g. demo.Hello).
    main: String,
    /// Arguments for main.
    args: Vec<String>,
}

/// Classes from a directory, read on demand; `location` is its
/// `file:` URL (with a trailing `/`, as HotSpot prints directories).
struct DirSource(PathBuf, String);

impl ClassSource for DirSource {
    fn find(&self, name: &[u8]) -> Option<Cow<'_, [u8]>> {
        let name = std::str::from_utf8(name).ok()?;
        if name.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
            return None;
        }
        std::fs::read(self.0.join(format!("{name}.class"))).ok().map(Cow::Owned)
    }

    fn location(&self) -> Option<&str> {
        Some(&self.1)
    }
}

/// The classes of a jar, with its `file:` URL.
struct JarSource(MapSource, String);

impl ClassSource for JarSource {
    fn find(&self, name: &[u8]) -> Option<Cow<'_, [u8]>> {
        self.0.find(name)
    }

    fn location(&self) -> Option<&str> {
        Some(&self.1)
    }
}

/// `file:` URL of a class path entry (absolute; directories end in `/`).
fn file_url(p: &Path) -> String {
    let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut url = format!("file:{}", abs.display());
    if p.is_dir() && !url.ends_with('/') {
        url.push('/');
    }
    url
}

fn jar_source(path: &Path) -> Result<MapSource, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("{}: not a jar: {e}", path.display()))?;
    let mut classes = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| format!("{}: {e}", path.display()))?;
        let Some(name) = entry.name().strip_suffix(".class").map(str::to_owned) else { continue };
        if name.starts_with("META-INF/") {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| format!("{}!{name}: {e}", path.display()))?;
        classes.insert(name.into_bytes(), bytes);
    }
    Ok(MapSource(classes))
}

struct StdOutput;

impl Output for StdOutput {
    fn write(&mut self, fd: i32, bytes: &[u8]) {
        let _ = if fd == 2 { std::io::stderr().write_all(bytes) } else { std::io::stdout().write_all(bytes) };
    }
}

extern "C" fn nanos() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

fn millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Parses `64m`, `512k`, `1g` or a byte count.
pub fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let (digits, mult) = match s.chars().last()?.to_ascii_lowercase() {
        'k' => (&s[..s.len() - 1], 1 << 10),
        'm' => (&s[..s.len() - 1], 1 << 20),
        'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    digits.parse::<usize>().ok()?.checked_mul(mult)
}

fn default_boot_image() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("CAPUCHIN_BOOT_IMAGE") {
        return Some(PathBuf::from(p));
    }
    Some(std::env::current_exe().ok()?.parent()?.join("java-l4.img"))
}

/// The default of `--jit`: on, compiling methods once they are warm. A
/// thousand entries or back edges costs a few hundred microseconds of
/// interpretation, about what a compile costs, so short programs stay
/// interpreted and loops get compiled soon.
pub const DEFAULT_JIT: &str = "1000";

/// `--jit`: `None` for off, else the threshold (0: compile before the first run).
pub fn parse_jit(s: &str) -> Result<Option<u32>, String> {
    java_l4::image::parse_jit(s)
}

/// Native stack of the thread the VM runs on: compiled methods calling
/// each other recurse on it (the interpreter does not), so it must hold
/// `--max-depth` compiled frames. Reserved, not committed, until used.
const VM_THREAD_STACK: usize = 512 << 20;

/// Installs the JIT with tiering at `threshold` (0: compile everything
/// before it runs); `native_stack` is the native stack compiled code may
/// use. Returns the compiler's log (one record per compilation).
/// `--jit-opt`: how much Cranelift optimizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JitOpt {
    /// Optimize every method (backtracking register allocator).
    Speed,
    /// Optimize none (single-pass allocator).
    Fast,
    /// Methods compiled before they are hot (`--jit all`, thresholds
    /// below [`AUTO_OPTIMIZE_AT`]): the baseline tier's templates where
    /// they cover the method, else Cranelift unoptimized for loop-free
    /// methods (`JitOptions::loop_free_fast`); optimized once hot.
    Auto,
}

/// `--jit-opt auto`: the hotness at which a method with baseline code is
/// compiled again, optimized, unless `--jit-optimize-at` says otherwise
/// (`JitConfig::optimize_at`; the default tiering threshold).
pub const AUTO_OPTIMIZE_AT: u32 = 1000;

pub fn install_jit(
    vm: &mut Vm,
    threshold: u32,
    opt: JitOpt,
    optimize_at: u32,
    native_stack: usize,
    keep_ir: bool,
) -> Result<JitLog, String> {
    let mem = jit::code_memory::default_code_memory().ok_or("cannot map code memory for the JIT")?;
    let options = jit::JitOptions {
        clock: Some(nanos),
        keep_ir,
        opt_level: if opt == JitOpt::Fast { jit::OptLevel::None } else { jit::OptLevel::Speed },
        fast_regalloc: opt == JitOpt::Fast,
        loop_free_fast: opt == JitOpt::Auto,
        baseline: opt == JitOpt::Auto,
        ..jit::JitOptions::default()
    };
    let jit = jit::Jit::new(options, mem).map_err(|d| d.0)?;
    let log = jit.log();
    let config = JitConfig {
        threshold: Some(threshold),
        native_stack_bytes: native_stack,
        optimize_at: (opt == JitOpt::Auto).then_some(optimize_at),
        ..JitConfig::default()
    };
    vm.set_compiler(Box::new(jit), config);
    Ok(log)
}

/// `--jit-dump`: the IR and machine code of each compiled method.
fn dump_jit(dir: &Path, vm: &Vm, log: &[jit::CompileRecord]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut index = String::new();
    for (n, r) in log.iter().enumerate() {
        let (class, name, desc) = vm.method_names(r.method);
        let (Some(ir), Some(code)) = (&r.ir, &r.machine_code) else { continue };
        std::fs::write(dir.join(format!("{n}.clif")), ir)?;
        std::fs::write(dir.join(format!("{n}.bin")), code)?;
        index.push_str(&format!("{n} {class}.{name}{desc}\n"));
    }
    std::fs::write(dir.join("index.txt"), index)
}

/// The JIT's compile records.
pub type JitLog = std::rc::Rc<std::cell::RefCell<Vec<jit::CompileRecord>>>;

pub fn main(a: JavaArgs) -> ExitCode {
    // The VM runs on a thread of its own with a large native stack (see
    // VM_THREAD_STACK); the JVM itself is single-threaded.
    match std::thread::Builder::new().stack_size(VM_THREAD_STACK).spawn(move || run(a)) {
        Ok(t) => t.join().unwrap_or(ExitCode::from(1)),
        Err(e) => {
            eprintln!("capuchin java: cannot start the VM thread: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(a: JavaArgs) -> ExitCode {
    let fail = |msg: String| {
        eprintln!("capuchin java: {msg}");
        ExitCode::from(1)
    };
    let Some(heap_quota) = parse_size(&a.heap) else {
        return fail(format!("bad heap size '{}' (use e.g. 64m, 512k)", a.heap));
    };
    let Some(boot) = a.boot_image.clone().or_else(default_boot_image) else {
        return fail("cannot locate the class library image; pass --boot-image".into());
    };
    let image_bytes: &'static [u8] = match std::fs::read(&boot) {
        Ok(b) => Box::leak(b.into_boxed_slice()),
        Err(e) => return fail(format!("class library image {}: {e} (build it with `make java-l4`)", boot.display())),
    };
    let image = match ClassImage::parse(image_bytes) {
        Ok(i) => i,
        Err(e) => return fail(format!("{}: {e}", boot.display())),
    };
    let config = VmConfig {
        heap_quota,
        max_depth: a.max_depth,
        budget: a.budget,
        nano_clock: Some(nanos),
        millis_clock: Some(millis),
        verbose_class: a.verbose_class,
        ..VmConfig::default()
    };
    let mut vm = match Vm::new(config, Box::new(StdOutput)) {
        Ok(vm) => vm,
        Err(e) => return fail(e.to_string()),
    };
    let jit_mode = match parse_jit(&a.jit) {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    let opt = match a.jit_opt.as_str() {
        "speed" => JitOpt::Speed,
        "fast" => JitOpt::Fast,
        "auto" => JitOpt::Auto,
        o => return fail(format!("bad --jit-opt value '{o}' (use speed, fast or auto)")),
    };
    let log = match jit_mode {
        // What compiled code may recurse into: the thread's stack less a
        // margin for the interpreter and natives below the first entry.
        Some(t) => {
            match install_jit(&mut vm, t, opt, a.jit_optimize_at, VM_THREAD_STACK - (32 << 20), a.jit_dump.is_some()) {
                Ok(log) => Some(log),
                Err(e) => return fail(e),
            }
        }
        None => None,
    };
    vm.add_source(Box::new(image));
    for entry in a.class_path.split(':').filter(|e| !e.is_empty()) {
        let p = Path::new(entry);
        if p.is_dir() {
            vm.add_source(Box::new(DirSource(p.to_path_buf(), file_url(p))));
        } else if p.is_file() {
            match jar_source(p) {
                Ok(s) => vm.add_source(Box::new(JarSource(s, file_url(p)))),
                Err(e) => return fail(e),
            }
        }
        // Like the JDK, a class path entry that does not exist is ignored.
    }
    let args: Vec<&str> = a.args.iter().map(String::as_str).collect();
    let result = vm.run_main(&a.main, &args);
    let code = match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(VmError::Exit(c)) => ExitCode::from(c as u8),
        Err(VmError::Exception(t)) => {
            vm.report_uncaught(&t);
            ExitCode::from(1)
        }
        Err(VmError::BudgetExhausted) => fail("the instruction budget is exhausted (--budget)".into()),
        Err(VmError::StackDepthExceeded(_)) => fail("the Java stack depth limit was exceeded (--max-depth)".into()),
        Err(e) => fail(e.to_string()),
    };
    let _ = std::io::stdout().flush();
    if let (true, Some(log)) = (a.jit_log, &log) {
        for r in log.borrow().iter() {
            let (class, name, desc) = vm.method_names(r.method);
            match &r.declined {
                None => eprintln!(
                    "capuchin java: jit {class}.{name}{desc}: {} bytecodes, {} machine bytes, {:.1} us ({:.1} translating){}{}{}{}{}{}",
                    r.bytecodes,
                    r.machine_bytes,
                    r.nanos as f64 / 1000.0,
                    r.translate_nanos as f64 / 1000.0,
                    if r.inlined_calls > 0 { format!(", {} calls inlined", r.inlined_calls) } else { String::new() },
                    if r.dead_allocations > 0 {
                        format!(", {} allocations removed", r.dead_allocations)
                    } else {
                        String::new()
                    },
                    if r.unrolled_loops > 0 { format!(", {} loops unrolled", r.unrolled_loops) } else { String::new() },
                    if r.bounded_loops > 0 { format!(", {} loops bounded", r.bounded_loops) } else { String::new() },
                    if r.reserved_loops > 0 {
                        format!(", {} budgets reserved", r.reserved_loops)
                    } else {
                        String::new()
                    },
                    match (&r.baseline_declined, r.baseline) {
                        (_, true) => ", baseline".to_string(),
                        (Some(why), false) => format!(", not baseline ({why})"),
                        (None, false) => String::new(),
                    }
                ),
                Some(why) => eprintln!("capuchin java: jit {class}.{name}{desc}: declined: {why}"),
            }
        }
    }
    if let (Some(dir), Some(log)) = (&a.jit_dump, &log) {
        if let Err(e) = dump_jit(dir, &vm, &log.borrow()) {
            eprintln!("capuchin java: --jit-dump {}: {e}", dir.display());
        }
    }
    if a.gc_stats {
        let s = vm.heap_stats();
        eprintln!(
            "capuchin java: heap {} collections, {} live bytes, {} allocated, max pause {} ns",
            s.collections, s.live_bytes, s.bytes_allocated, s.max_pause
        );
    }
    code
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes() {
        assert_eq!(super::parse_size("64m"), Some(64 << 20));
        assert_eq!(super::parse_size("512K"), Some(512 << 10));
        assert_eq!(super::parse_size("4096"), Some(4096));
        assert_eq!(super::parse_size("x"), None);
    }
}
