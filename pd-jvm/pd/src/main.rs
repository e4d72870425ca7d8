//! The JVM protection domain. It embeds one Java PD image (written by
//! `capuchin pack --pd NAME --main CLASS`: the class library, capuchin.l4
//! and the program, with the main class, the VM's limits and the PD's
//! channel names from system.xml), boots the VM from it in `init`, runs
//! `main`, and then serves: `protected()` and `notified()` call the Java
//! handlers directly (java_l4::JavaPd). See docs/java-ipc.md.

#![cfg_attr(target_os = "none", no_std, no_main)]

extern crate alloc;

use alloc::boxed::Box;
use java_l4::{DebugOutput, Hooks, JavaPd, Microkit};

static IMAGE: &[u8] = include_bytes!(env!("CAPUCHIN_JVM_IMAGE_FILE"));

ipc_bindings::protection_domain!(init, heap_size = HEAP_SIZE);

/// The PD's native heap on seL4 (the hosted platform uses the process's
/// allocator): the Java heap quota (`capuchin pack --heap`, 4 MiB by
/// default) plus the VM's class tables and stacks. A build may set it in
/// bytes with CAPUCHIN_JVM_PD_HEAP.
#[cfg_attr(target_os = "linux", allow(dead_code))]
const HEAP_SIZE: usize = ipc_bindings::heap_size(option_env!("CAPUCHIN_JVM_PD_HEAP"), 16 << 20);

fn init() -> JavaPd {
    if IMAGE.is_empty() {
        panic!(
            "{}: this JVM PD binary embeds no Java program: build it with `make java-pds` \
             (CAPUCHIN_JVM_IMAGE=/abs/path/to/pd.img cargo build -p jvm-pd)",
            ipc_bindings::pd_name()
        );
    }
    match JavaPd::boot(IMAGE, Box::new(Microkit), Box::new(DebugOutput), hooks()) {
        Ok(pd) => pd,
        Err(e) => panic!("{}: {e}", ipc_bindings::pd_name()),
    }
}

#[cfg(target_os = "linux")]
fn hooks() -> Hooks {
    Hooks {
        nano_clock: nano_clock(),
        millis_clock: Some(host::millis),
        native_allocations: Some(host::allocations),
        extra_args: Some(host::extra_args),
        install_jit: install_jit(),
        jit_override: Some(host::jit_override),
    }
}

#[cfg(not(target_os = "linux"))]
fn hooks() -> Hooks {
    // seL4 has a monotonic clock (the generic timer) but no wall clock, so
    // `currentTimeMillis` has none.
    Hooks { nano_clock: nano_clock(), install_jit: install_jit(), ..Hooks::default() }
}

/// `System.nanoTime`: the platform's monotonic clock, where it has one.
fn nano_clock() -> Option<pd_jvm::NanoClock> {
    extern "C" fn monotonic() -> u64 {
        ipc_bindings::monotonic_ns().unwrap_or(0)
    }
    ipc_bindings::monotonic_ns()?;
    Some(monotonic)
}

#[cfg(not(feature = "jit"))]
fn install_jit() -> Option<java_l4::InstallJit> {
    None
}

#[cfg(feature = "jit")]
fn install_jit() -> Option<java_l4::InstallJit> {
    Some(jit_pd::install)
}

/// The JIT in a PD (cargo feature `jit`): code memory is the memory region
/// system.xml maps into the PD twice, read-write at `jit_code_rw` and
/// read-execute at `jit_code_rx` (the same on both platforms; docs/jit.md).
/// A hosted PD without those maps falls back to a private memfd.
#[cfg(feature = "jit")]
mod jit_pd {
    use alloc::boxed::Box;
    use alloc::string::String;
    use jit::code_memory::{CodeMemory, DualMapped};
    use pd_jvm::runtime::compiler::JitConfig;
    use pd_jvm::runtime::Vm;

    /// Native stack compiled code may use (compiled methods calling each
    /// other recurse natively): most of an seL4 PD's 256 KiB stack; the
    /// hosted PD's main thread has 8 MiB.
    const NATIVE_STACK: usize = if cfg!(target_os = "linux") { 4 << 20 } else { 160 << 10 };

    fn code_memory() -> Result<Box<dyn CodeMemory>, String> {
        match ipc_bindings::dual_mapped_region("jit_code_rw", "jit_code_rx")? {
            // SAFETY: two mappings of the same region (checked by
            // dual_mapped_region), for the life of the PD, used by nothing else.
            Some((w, x)) => Ok(Box::new(unsafe { DualMapped::new(w.base(), x.base() as usize, w.size()) })),
            None => jit::code_memory::default_code_memory().ok_or_else(|| {
                String::from(
                    "system.xml maps no code memory into this PD (one memory region mapped perms=\"rw\" with \
                     setvar_vaddr=\"jit_code_rw\" and perms=\"rx\" with setvar_vaddr=\"jit_code_rx\")",
                )
            }),
        }
    }

    pub fn install(vm: &mut Vm, threshold: u32) -> Result<(), String> {
        let options = jit::JitOptions { clock: super::nano_clock(), ..jit::JitOptions::default() };
        let jit = jit::Jit::new(options, code_memory()?).map_err(|d| d.0)?;
        let config = JitConfig { threshold: Some(threshold), native_stack_bytes: NATIVE_STACK, ..JitConfig::default() };
        vm.set_compiler(Box::new(jit), config);
        Ok(())
    }
}

/// Hosted: clocks, and a global allocator that counts allocations so Java
/// can check that its hot paths allocate nothing (`Env.nativeAllocations`).
#[cfg(target_os = "linux")]
mod host {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
    use std::time::{SystemTime, UNIX_EPOCH};

    static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

    struct Counting;

    // SAFETY: forwards to the system allocator.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            ALLOCATIONS.fetch_add(1, Relaxed);
            unsafe { System.alloc(layout) }
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            ALLOCATIONS.fetch_add(1, Relaxed);
            unsafe { System.alloc_zeroed(layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            ALLOCATIONS.fetch_add(1, Relaxed);
            unsafe { System.realloc(ptr, layout, new_size) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[global_allocator]
    static GLOBAL: Counting = Counting;

    /// `CAPUCHIN_JAVA_ARGS_<pd name>`: more arguments for main, separated
    /// by white space.
    pub fn extra_args() -> Vec<String> {
        let var = format!("CAPUCHIN_JAVA_ARGS_{}", ipc_bindings::pd_name());
        std::env::var(var).map(|v| v.split_whitespace().map(String::from).collect()).unwrap_or_default()
    }

    /// `CAPUCHIN_JIT=off|all|N` replaces the image's JIT policy (an
    /// unreadable value keeps it and says so).
    pub fn jit_override(image: Option<u32>) -> Option<u32> {
        let Ok(v) = std::env::var("CAPUCHIN_JIT") else { return image };
        java_l4::image::parse_jit(&v).unwrap_or_else(|e| {
            eprintln!("{}: ignoring CAPUCHIN_JIT: {e}", ipc_bindings::pd_name());
            image
        })
    }

    pub fn allocations() -> u64 {
        ALLOCATIONS.load(Relaxed)
    }

    pub fn millis() -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
    }
}
