//! A child PD that faults on purpose: it dereferences null on its first two
//! runs. Its run count lives in a region shared with its parent, which
//! survives restarts.

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{debug_println, memory_region, Channel, NullHandler};

ipc_bindings::protection_domain!(init);

const PARENT: Channel = Channel::new(0);
const FAULTY_RUNS: u32 = 2;

fn init() -> NullHandler {
    let state = memory_region("crash_state").expect("system.xml maps crash_state");
    let run = state.read_u32(0).unwrap() + 1;
    state.write_u32(0, run).unwrap();
    if run <= FAULTY_RUNS {
        debug_println!("crasher: run {run}: dereferencing null");
        // SAFETY: none; this is the fault being demonstrated.
        let v = unsafe { core::ptr::read_volatile(core::ptr::null::<u32>()) };
        debug_println!("crasher: unreachable {v}");
    }
    debug_println!("crasher: run {run}: staying up");
    PARENT.notify();
    NullHandler::new()
}
