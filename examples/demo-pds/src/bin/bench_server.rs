//! IPC benchmark server: echoes every call (label and registers) and
//! answers notifications.

#![cfg_attr(target_os = "none", no_std, no_main)]

use ipc_bindings::{Channel, ChannelSet, Handler, Infallible, MessageInfo};

ipc_bindings::protection_domain!(init);

/// Notification ping-pong partner (a separate channel from the calls).
const NOTIFY_PEER: Channel = Channel::new(1);

struct Echo;

fn init() -> Echo {
    Echo
}

impl Handler for Echo {
    type Error = Infallible;

    fn protected(&mut self, _channel: Channel, msg: MessageInfo) -> Result<MessageInfo, Infallible> {
        Ok(msg)
    }

    fn notified(&mut self, channels: ChannelSet) -> Result<(), Infallible> {
        if channels.contains(NOTIFY_PEER) {
            NOTIFY_PEER.notify();
        }
        Ok(())
    }
}
