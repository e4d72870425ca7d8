//! Deferred actions: one notify or IRQ ack the event loop performs after
//! the handler returns (on seL4 fused with the next receive).

use crate::{Channel, IrqAckError};

#[derive(Debug, Copy, Clone, Eq, PartialEq)]
pub enum DeferredActionInterface {
    Notify,
    IrqAck,
}

#[derive(Debug, Copy, Clone, Eq, PartialEq)]
pub struct DeferredAction {
    channel: Channel,
    interface: DeferredActionInterface,
}

impl DeferredAction {
    pub fn new(channel: Channel, interface: DeferredActionInterface) -> Self {
        Self { channel, interface }
    }

    pub fn new_notify(channel: Channel) -> Self {
        Self::new(channel, DeferredActionInterface::Notify)
    }

    pub fn new_irq_ack(channel: Channel) -> Self {
        Self::new(channel, DeferredActionInterface::IrqAck)
    }

    pub fn channel(&self) -> Channel {
        self.channel
    }

    pub fn interface(&self) -> DeferredActionInterface {
        self.interface
    }

    pub fn execute_now(self) -> Result<(), IrqAckError> {
        match self.interface {
            DeferredActionInterface::Notify => {
                self.channel.notify();
                Ok(())
            }
            DeferredActionInterface::IrqAck => self.channel.irq_ack(),
        }
    }
}

/// Holds at most one deferred action; deferring a second one performs the
/// first immediately.
#[derive(Default)]
pub struct DeferredActionSlot {
    inner: Option<DeferredAction>,
}

impl DeferredActionSlot {
    pub const fn new() -> Self {
        Self { inner: None }
    }

    pub fn take(&mut self) -> Option<DeferredAction> {
        self.inner.take()
    }

    pub fn defer(&mut self, action: DeferredAction) -> Result<(), IrqAckError> {
        match self.inner.replace(action) {
            Some(old) => old.execute_now(),
            None => Ok(()),
        }
    }

    pub fn defer_notify(&mut self, channel: Channel) -> Result<(), IrqAckError> {
        self.defer(DeferredAction::new_notify(channel))
    }

    pub fn defer_irq_ack(&mut self, channel: Channel) -> Result<(), IrqAckError> {
        self.defer(DeferredAction::new_irq_ack(channel))
    }
}
