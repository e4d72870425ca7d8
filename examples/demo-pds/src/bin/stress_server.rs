//! Stress-test server: checks that calls arrive in sequence and answers
//! each with a value derived from its sequence number.

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{get_mr, set_mr, Channel, Handler, Infallible, MessageInfo};

ipc_bindings::protection_domain!(init);

pub const IN_ORDER: u64 = 0;
pub const OUT_OF_ORDER: u64 = 1;

struct Stress {
    expected: u64,
}

fn init() -> Stress {
    Stress { expected: 0 }
}

impl Handler for Stress {
    type Error = Infallible;

    fn protected(&mut self, _channel: Channel, msg: MessageInfo) -> Result<MessageInfo, Infallible> {
        let seq = get_mr(0);
        let label = if msg.count() == 1 && seq == self.expected { IN_ORDER } else { OUT_OF_ORDER };
        self.expected = seq + 1;
        set_mr(0, seq.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        set_mr(1, !seq);
        Ok(MessageInfo::new(label, 2))
    }
}
