//! Tries what system.xml does not grant it: a notification on a channel it
//! lacks, a call on a notify-only channel, and a region it has no map for.
//! Each must fail with an error.

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{debug_println, memory_region, Channel, MessageInfo, NullHandler};

ipc_bindings::protection_domain!(init);

fn init() -> NullHandler {
    debug_println!("intruder: notify channel 5: {:?}", Channel::new(5).try_notify());
    debug_println!("intruder: pp_call channel 0: {:?}", Channel::new(0).try_pp_call(MessageInfo::new(1, 0)));
    debug_println!("intruder: irq_ack channel 0: {:?}", Channel::new(0).irq_ack());
    debug_println!("intruder: region calc_buf: {:?}", memory_region("calc_buf").map(|r| r.size()));
    let own = memory_region("intruder_ro").expect("mapped read-only");
    debug_println!("intruder: write to read-only region: {:?}", own.write_u32(0, 1));
    debug_println!("intruder: done");
    NullHandler::new()
}
