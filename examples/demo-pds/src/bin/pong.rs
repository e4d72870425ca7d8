//! Notification ping-pong, pong side: answers every notification.

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{Channel, ChannelSet, DeferredAction, DeferredActionSlot, Handler, Infallible};

ipc_bindings::protection_domain!(init);

const PING: Channel = Channel::new(0);

struct Pong {
    deferred: DeferredActionSlot,
}

fn init() -> Pong {
    Pong { deferred: DeferredActionSlot::new() }
}

impl Handler for Pong {
    type Error = Infallible;

    fn notified(&mut self, channels: ChannelSet) -> Result<(), Infallible> {
        if channels.contains(PING) {
            // Answer after returning: on seL4 fused with the next receive.
            let _ = self.deferred.defer_notify(PING);
        }
        Ok(())
    }

    fn take_deferred_action(&mut self) -> Option<DeferredAction> {
        self.deferred.take()
    }
}
