//! Channels, child PDs and channel sets, as in `sel4-microkit`.

use core::fmt;

use crate::{platform, MessageInfo};

/// Channel ids are `0..MAX_CHANNELS`; badge bits 62 and 63 are the kernel's.
pub const MAX_CHANNELS: usize = 62;

/// A channel between this protection domain and another, identified by the
/// `id` its `<end>` in system.xml gives.
#[derive(Debug, Copy, Clone, Eq, PartialEq, Ord, PartialOrd, Hash)]
pub struct Channel {
    index: usize,
}

/// Why an IPC operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpcError {
    /// system.xml gives this PD no such channel, or not with this right
    /// (`pp="true"` for calls, `notify="true"` for notifications, `<irq>`
    /// for acknowledgements).
    NotGranted { op: &'static str, channel: usize },
    /// The callee faulted before replying. (On seL4 the caller would stay
    /// blocked; the hosted kernel fails the call instead.)
    PeerFaulted { channel: usize },
    /// No platform backend is compiled in (enable `hosted` or `sel4`).
    NoPlatform,
}

impl fmt::Display for IpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            IpcError::NotGranted { op, channel } => write!(f, "{op}: not valid for channel '{channel}'"),
            IpcError::PeerFaulted { channel } => {
                write!(f, "pp_call: the protection domain on channel '{channel}' faulted before replying")
            }
            IpcError::NoPlatform => {
                write!(f, "ipc-bindings was built without a platform backend (enable `hosted`, or `external-platform` with the seL4 backend)")
            }
        }
    }
}

impl Channel {
    /// Inline, as the calls below: a message's hot path goes through them
    /// from other crates, and each is a few instructions.
    #[inline]
    pub const fn new(index: usize) -> Self {
        assert!(index < MAX_CHANNELS);
        Self { index }
    }

    pub const fn index(&self) -> usize {
        self.index
    }

    /// Signals the PD at the other end. Panics (a PD fault) if system.xml
    /// grants no notification on this channel, as `sel4-microkit` does.
    pub fn notify(&self) {
        self.try_notify().unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn try_notify(&self) -> Result<(), IpcError> {
        platform::notify(*self)
    }

    /// Makes a protected procedure call and returns the reply's tag; the
    /// payload is in the message registers. Panics if the channel does not
    /// grant `pp` to this end, or if the callee faults.
    #[inline]
    pub fn pp_call(&self, msg_info: MessageInfo) -> MessageInfo {
        self.try_pp_call(msg_info).unwrap_or_else(|e| panic!("{e}"))
    }

    #[inline]
    pub fn try_pp_call(&self, msg_info: MessageInfo) -> Result<MessageInfo, IpcError> {
        platform::pp_call(*self, msg_info)
    }

    /// Acknowledges the interrupt delivered on this channel.
    pub fn irq_ack(&self) -> Result<(), IrqAckError> {
        platform::irq_ack(*self).map_err(IrqAckError)
    }
}

/// An interrupt acknowledgement the kernel refused.
#[derive(Debug, PartialEq, Eq)]
pub struct IrqAckError(pub IpcError);

impl fmt::Display for IrqAckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "irq ack error: {}", self.0)
    }
}

/// A child protection domain, identified by the `id` attribute of its
/// nested `<protection_domain>`.
#[derive(Debug, Copy, Clone, Eq, PartialEq, Ord, PartialOrd, Hash)]
pub struct Child {
    index: usize,
}

impl Child {
    pub const fn new(index: usize) -> Self {
        Self { index }
    }

    pub const fn index(&self) -> usize {
        self.index
    }
}

/// The channels a notification wakeup carries (notifications coalesce).
#[derive(Debug, Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChannelSet(u64);

impl ChannelSet {
    #[doc(hidden)]
    pub const fn from_bits(bits: u64) -> Self {
        Self(bits & ((1 << MAX_CHANNELS) - 1))
    }

    pub fn contains(&self, channel: Channel) -> bool {
        self.0 & (1 << channel.index()) != 0
    }

    /// The channels, lowest id first.
    pub fn iter(&self) -> ChannelSetIter {
        ChannelSetIter(self.0)
    }

    pub fn display(&self) -> DisplayChannelSet<'_> {
        DisplayChannelSet(self)
    }
}

pub struct ChannelSetIter(u64);

impl Iterator for ChannelSetIter {
    type Item = Channel;

    fn next(&mut self) -> Option<Channel> {
        if self.0 == 0 {
            return None;
        }
        let i = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(Channel::new(i))
    }
}

pub struct DisplayChannelSet<'a>(&'a ChannelSet);

impl fmt::Display for DisplayChannelSet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{")?;
        for (i, c) in self.0.iter().enumerate() {
            if i != 0 {
                write!(f, ", ")?;
            }
            write!(f, "{}", c.index())?;
        }
        write!(f, "}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn channel_set_iterates_in_order_and_ignores_kernel_bits() {
        let s = ChannelSet::from_bits((1 << 5) | 1 | (1 << 61) | (1 << 62) | (1 << 63));
        let ids: alloc::vec::Vec<usize> = s.iter().map(|c| c.index()).collect();
        assert_eq!(ids, [0, 5, 61]);
        assert!(s.contains(Channel::new(5)));
        assert!(!s.contains(Channel::new(4)));
        assert_eq!(s.display().to_string(), "{0, 5, 61}");
    }

    #[test]
    #[should_panic]
    fn channel_ids_stop_at_61() {
        let _ = Channel::new(MAX_CHANNELS);
    }
}
