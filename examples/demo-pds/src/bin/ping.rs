//! Notification ping-pong, ping side: notifies pong and counts the
//! notifications that come back.

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{debug_println, Channel, ChannelSet, Handler, Infallible};

ipc_bindings::protection_domain!(init);

const PONG: Channel = Channel::new(0);
const ROUNDS: u32 = 1000;

struct Ping {
    rounds: u32,
}

fn init() -> Ping {
    debug_println!("ping: sending {ROUNDS} pings");
    PONG.notify();
    Ping { rounds: 0 }
}

impl Handler for Ping {
    type Error = Infallible;

    fn notified(&mut self, channels: ChannelSet) -> Result<(), Infallible> {
        if channels.contains(PONG) {
            self.rounds += 1;
            if self.rounds < ROUNDS {
                PONG.notify();
            } else {
                debug_println!("ping: {} round trips done", self.rounds);
            }
        }
        Ok(())
    }
}
