//! Test support: the class library image and the API jar that `make java-l4`
//! builds (next to the test binary's profile directory), Java test programs
//! compiled with stock javac against the jar, VMs with capuchin.l4
//! installed, and a loopback kernel that delivers protected procedure calls
//! to another VM (a Java server) in the same thread, through the message
//! registers, as the Microkit does between PDs.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use ipc_bindings::{Channel, IpcError, MemoryRegion, MessageInfo, RegionError};
use java_l4::{ChannelInfo, JavaPd, Kernel, PdEnv, RegionInfo};
use pd_jvm::image::ClassImage;
use pd_jvm::runtime::{MapSource, Output, Vm, VmConfig};

/// `target/<profile>`: the test binary is in its `deps`.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().to_path_buf()
}

fn need(p: PathBuf) -> PathBuf {
    assert!(p.is_file(), "{} is missing: build it with `make java-l4` (same profile and target dir)", p.display());
    p
}

pub fn library_image() -> &'static [u8] {
    static IMG: OnceLock<&'static [u8]> = OnceLock::new();
    IMG.get_or_init(|| {
        let bytes = std::fs::read(need(profile_dir().join("java-l4.img"))).unwrap();
        Box::leak(bytes.into_boxed_slice())
    })
}

pub fn api_jar() -> PathBuf {
    need(profile_dir().join("java-l4.jar"))
}

/// Compiles Java sources `(file name, text)` with stock javac against the API jar.
pub fn compile(sources: &[(&str, &str)]) -> MapSource {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir =
        std::env::temp_dir().join(format!("java-l4-test-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_dir_all(&dir);
    let (src, out) = (dir.join("src"), dir.join("out"));
    std::fs::create_dir_all(&src).unwrap();
    let mut cmd = Command::new("javac");
    cmd.args(["--release", "17", "-g", "-cp"]).arg(api_jar()).arg("-d").arg(&out);
    for (name, text) in sources {
        let p = src.join(name);
        std::fs::write(&p, text).unwrap();
        cmd.arg(p);
    }
    let o = cmd.output().expect("javac (JDK 17) on PATH");
    assert!(o.status.success(), "javac failed:\n{}", String::from_utf8_lossy(&o.stderr));
    let classes = pd_jvm_test_support::class_files(&out);
    let _ = std::fs::remove_dir_all(&dir);
    MapSource(classes)
}

/// Captured VM output.
#[derive(Clone, Default)]
pub struct Captured(pub Rc<RefCell<Vec<u8>>>);

impl Output for Captured {
    fn write(&mut self, _fd: i32, bytes: &[u8]) {
        self.0.borrow_mut().extend_from_slice(bytes);
    }
}

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow()).into_owned()
    }
}

/// A kernel in the test process: calls on a channel go to a Java server
/// (another [`JavaPd`]) or a Rust function; regions are test buffers.
#[derive(Default)]
pub struct Loopback {
    pub name: String,
    pub java_servers: BTreeMap<usize, Rc<RefCell<JavaPd>>>,
    pub rust_servers: BTreeMap<usize, fn(MessageInfo) -> MessageInfo>,
    pub regions: Vec<MemoryRegion>,
    pub notified: Rc<RefCell<Vec<usize>>>,
}

impl Kernel for Loopback {
    fn pd_name(&self) -> &str {
        &self.name
    }

    fn is_passive(&self) -> bool {
        false
    }

    fn pp_call(&mut self, channel: Channel, msg: MessageInfo) -> Result<MessageInfo, IpcError> {
        if let Some(server) = self.java_servers.get(&channel.index()) {
            // The callee sees the peer's end id; the tests use the same id.
            return server
                .borrow_mut()
                .serve_call(channel, msg)
                .map_err(|_| IpcError::PeerFaulted { channel: channel.index() });
        }
        match self.rust_servers.get(&channel.index()) {
            Some(f) => Ok(f(msg)),
            None => Err(IpcError::NotGranted { op: "pp_call", channel: channel.index() }),
        }
    }

    fn notify(&mut self, channel: Channel) -> Result<(), IpcError> {
        self.notified.borrow_mut().push(channel.index());
        Ok(())
    }

    fn memory_region(&mut self, name: &str) -> Result<MemoryRegion, RegionError> {
        self.regions.iter().find(|r| r.name() == name).copied().ok_or(RegionError::NotMapped { name: name.into() })
    }
}

/// A test region of `size` bytes (leaked: regions live as long as the PD).
pub fn region(name: &'static str, size: usize, writable: bool) -> MemoryRegion {
    let mem: &'static mut [u8] = Box::leak(vec![0u8; size].into_boxed_slice());
    unsafe { MemoryRegion::from_raw(name, mem.as_mut_ptr(), size, writable) }
}

pub fn channel(id: u8, peer: &str) -> ChannelInfo {
    ChannelInfo { id, peer: peer.into(), pp: true, notify: true }
}

pub fn env(channels: Vec<ChannelInfo>, regions: &[MemoryRegion]) -> PdEnv {
    PdEnv {
        channels,
        regions: regions
            .iter()
            .map(|r| RegionInfo { mr: r.name().into(), setvar: None, size: r.size() as u64, writable: r.is_writable() })
            .collect(),
    }
}

/// The tests' VM limits. `JAVA_L4_GC_STRESS=1` collects before every
/// allocation (every object moves as often as possible).
pub fn config() -> VmConfig {
    VmConfig {
        heap_quota: 4 << 20,
        max_depth: 500,
        budget: 50_000_000,
        gc_stress: std::env::var_os("JAVA_L4_GC_STRESS").is_some(),
        ..VmConfig::default()
    }
}

/// A JVM PD over the library image plus `program`, with capuchin.l4
/// installed; main is not run yet.
pub fn java_pd(program: &MapSource, env: PdEnv, kernel: Loopback, config: VmConfig) -> (JavaPd, Captured) {
    let out = Captured::default();
    let mut vm = Vm::new(config, Box::new(out.clone())).unwrap();
    vm.add_source(Box::new(program.clone()));
    vm.add_source(Box::new(ClassImage::parse(library_image()).unwrap()));
    java_l4::install(&mut vm, env, Box::new(kernel), None).unwrap();
    (JavaPd::new(vm), out)
}
