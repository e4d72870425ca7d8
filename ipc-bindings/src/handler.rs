//! The application-specific part of a protection domain's event loop.

use core::fmt;

use crate::{Channel, ChannelSet, Child, DeferredAction, MessageInfo};

pub use core::convert::Infallible;

/// A PD's event handlers, as in `sel4-microkit`: the init function (named in
/// [`protection_domain!`](crate::protection_domain)) builds the handler,
/// then the event loop calls it for each event, one at a time.
pub trait Handler {
    type Error: fmt::Display;

    /// Notifications arrived on `channels` (they coalesce: several signals
    /// on one channel before the PD runs are delivered once).
    fn notified(&mut self, channels: ChannelSet) -> Result<(), Self::Error> {
        panic!("unexpected notification from channels {}", channels.display())
    }

    /// A protected procedure call arrived on `channel`; the request is in
    /// the message registers, and so must the reply be.
    fn protected(&mut self, channel: Channel, msg_info: MessageInfo) -> Result<MessageInfo, Self::Error> {
        panic!("unexpected protected procedure call from channel {channel:?} with msg_info={msg_info:?}")
    }

    /// A child PD faulted. `Some(reply)` resumes it (on the hosted platform:
    /// restarts its process, keeping its memory regions); `None` leaves it
    /// stopped.
    fn fault(&mut self, child: Child, msg_info: MessageInfo) -> Result<Option<MessageInfo>, Self::Error> {
        panic!("unexpected fault from protection domain {child:?} with msg_info={msg_info:?}")
    }

    /// A notification or IRQ ack to perform when the handler returns.
    fn take_deferred_action(&mut self) -> Option<DeferredAction> {
        None
    }
}

/// A handler for PDs that do all their work in init.
pub struct NullHandler(());

impl NullHandler {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self(())
    }
}

impl Handler for NullHandler {
    type Error = Infallible;
}

impl<T: Handler + ?Sized> Handler for alloc::boxed::Box<T> {
    type Error = T::Error;

    fn notified(&mut self, channels: ChannelSet) -> Result<(), Self::Error> {
        (**self).notified(channels)
    }

    fn protected(&mut self, channel: Channel, msg_info: MessageInfo) -> Result<MessageInfo, Self::Error> {
        (**self).protected(channel, msg_info)
    }

    fn fault(&mut self, child: Child, msg_info: MessageInfo) -> Result<Option<MessageInfo>, Self::Error> {
        (**self).fault(child, msg_info)
    }

    fn take_deferred_action(&mut self) -> Option<DeferredAction> {
        (**self).take_deferred_action()
    }
}
