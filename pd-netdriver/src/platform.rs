//! The few things a network domain needs from its platform beyond
//! `ipc-bindings`: a clock, a way for the driver to end itself for a swap,
//! and (hosted) where `netctl` finds its configuration and control socket.

use alloc::string::String;

/// Nanoseconds of a clock all domains share (CLOCK_MONOTONIC on Linux).
#[cfg(target_os = "linux")]
pub fn now_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: plain system call into a local.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// The ARM generic timer's physical count in nanoseconds.
#[cfg(all(target_arch = "aarch64", not(target_os = "linux")))]
pub fn now_ns() -> u64 {
    let (count, freq): (u64, u64);
    // SAFETY: reading the counter registers has no side effects.
    unsafe {
        core::arch::asm!("isb", "mrs {c}, cntpct_el0", "mrs {f}, cntfrq_el0", c = out(reg) count, f = out(reg) freq);
    }
    ((count as u128 * 1_000_000_000) / freq.max(1) as u128) as u64
}

#[cfg(not(any(target_os = "linux", target_arch = "aarch64")))]
pub fn now_ns() -> u64 {
    0
}

/// Ends this domain so that its parent (`netctl`) restarts it: on the
/// hosted platform the process exits and the runner delivers the fault; on
/// seL4 the parent will stop and restart the PD (not wired up yet, so it
/// faults).
pub fn exit_for_restart() -> ! {
    #[cfg(target_os = "linux")]
    {
        std::process::exit(0)
    }
    #[cfg(not(target_os = "linux"))]
    {
        panic!("stopping for a driver swap")
    }
}

/// Environment variable naming the configuration file `netctl` loads.
pub const CONFIG_ENV: &str = "CAPUCHIN_NET_CONFIG";
/// Environment variable naming the Unix socket `netctl` serves commands on.
pub const CONTROL_ENV: &str = "CAPUCHIN_NET_CONTROL";

/// The configuration compiled in (`CAPUCHIN_NET_CONFIG_BUILTIN` at build
/// time, see build.rs); empty if none.
pub const BUILTIN_CONFIG: &str = include_str!(concat!(env!("OUT_DIR"), "/builtin_net_config.txt"));

/// The configuration text given to the system, if any: on the hosted
/// platform the file `CAPUCHIN_NET_CONFIG` names, elsewhere
/// [`BUILTIN_CONFIG`].
pub fn config_override() -> Result<Option<String>, String> {
    #[cfg(target_os = "linux")]
    {
        match std::env::var(CONFIG_ENV) {
            Ok(path) => {
                std::fs::read_to_string(&path).map(Some).map_err(|e| alloc::format!("{CONFIG_ENV}={path}: {e}"))
            }
            Err(_) => Ok(None),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        Ok((!BUILTIN_CONFIG.is_empty()).then(|| String::from(BUILTIN_CONFIG)))
    }
}
