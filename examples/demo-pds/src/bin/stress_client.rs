//! Stress-test client: 1,000,000 protected procedure calls, each reply
//! checked against its request, so a lost, duplicated or reordered reply
//! is caught.

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{debug_println, get_mr, set_mr, Channel, MessageInfo, NullHandler};

ipc_bindings::protection_domain!(init);

const SERVER: Channel = Channel::new(0);
const CALLS: u64 = 1_000_000;

fn init() -> NullHandler {
    let mut bad = 0u64;
    for seq in 0..CALLS {
        set_mr(0, seq);
        let reply = SERVER.pp_call(MessageInfo::new(7, 1));
        let ok = reply.label() == 0
            && reply.count() == 2
            && get_mr(0) == seq.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            && get_mr(1) == !seq;
        if !ok {
            bad += 1;
            if bad <= 5 {
                debug_println!("stress_client: call {seq}: bad reply label={} count={}", reply.label(), reply.count());
            }
        }
    }
    debug_println!("stress_client: {CALLS} calls, {bad} bad replies");
    NullHandler::new()
}
