//! The parent of `crasher`: receives its faults in `fault()` and restarts
//! it until it stays up.

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{debug_println, get_mr, Channel, ChannelSet, Child, Handler, Infallible, MessageInfo};

ipc_bindings::protection_domain!(init);

const CRASHER: Channel = Channel::new(0);
const MAX_RESTARTS: u32 = 5;

struct Supervisor {
    restarts: u32,
}

fn init() -> Supervisor {
    Supervisor { restarts: 0 }
}

impl Handler for Supervisor {
    type Error = Infallible;

    fn fault(&mut self, child: Child, msg: MessageInfo) -> Result<Option<MessageInfo>, Infallible> {
        debug_println!(
            "supervisor: child {} faulted (fault label {:#x}, code {})",
            child.index(),
            msg.label(),
            get_mr(0)
        );
        if self.restarts == MAX_RESTARTS {
            debug_println!("supervisor: giving up on child {}", child.index());
            return Ok(None);
        }
        self.restarts += 1;
        debug_println!("supervisor: restarting child {} (restart {})", child.index(), self.restarts);
        Ok(Some(MessageInfo::new(0, 0)))
    }

    fn notified(&mut self, channels: ChannelSet) -> Result<(), Infallible> {
        if channels.contains(CRASHER) {
            debug_println!("supervisor: crasher is up after {} restarts", self.restarts);
        }
        Ok(())
    }
}
