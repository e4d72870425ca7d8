//! Calls `faulty_server` until it crashes mid-call, then keeps using
//! `calc_server` to show the rest of the system still serves.

#![cfg_attr(target_os = "none", no_std, no_main)]

use demo_pds::calc;
use ipc_bindings::{debug_println, read_message, write_message, Channel, IpcError, MessageInfo, NullHandler};

ipc_bindings::protection_domain!(init);

const FAULTY: Channel = Channel::new(0);
const CALC: Channel = Channel::new(1);

fn add(a: i64, b: i64) -> i64 {
    let msg = write_message(calc::ADD, |w| w.put_i64(a)?.put_i64(b).map(drop)).unwrap();
    let reply = CALC.pp_call(msg);
    read_message(&reply, |r| r.get_i64()).unwrap()
}

fn init() -> NullHandler {
    debug_println!(
        "crash_client: faulty_server answers: {:?}",
        FAULTY.try_pp_call(MessageInfo::new(1, 0)).map(|m| m.label())
    );
    match FAULTY.try_pp_call(MessageInfo::new(99, 0)) {
        Err(IpcError::PeerFaulted { channel }) => {
            debug_println!("crash_client: call on channel {channel} failed: callee faulted")
        }
        other => debug_println!("crash_client: unexpected result {other:?}"),
    }
    match FAULTY.try_pp_call(MessageInfo::new(1, 0)) {
        Err(e) => debug_println!("crash_client: later call: {e}"),
        Ok(m) => debug_println!("crash_client: later call unexpectedly answered {m:?}"),
    }
    let mut sum = 0;
    for i in 0..1000 {
        sum = add(sum, i);
    }
    debug_println!("crash_client: calc_server still serving: sum 0..1000 = {sum}");
    NullHandler::new()
}
