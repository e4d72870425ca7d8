//! A server that crashes while handling a call with label 99, to show that
//! its caller gets an error and every other PD keeps running.

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{debug_println, Channel, Handler, Infallible, MessageInfo};

ipc_bindings::protection_domain!(init);

pub const CRASH: u64 = 99;

struct Faulty;

fn init() -> Faulty {
    Faulty
}

impl Handler for Faulty {
    type Error = Infallible;

    fn protected(&mut self, _channel: Channel, msg: MessageInfo) -> Result<MessageInfo, Infallible> {
        if msg.label() == CRASH {
            debug_println!("faulty_server: crashing mid-call");
            // SAFETY: none; this is the fault being demonstrated.
            unsafe { core::ptr::write_volatile(core::ptr::null_mut::<u64>(), 1) };
        }
        Ok(MessageInfo::new(0, 0))
    }
}
