//! Message info and message registers, as the seL4 kernel defines them.

/// Number of message registers a protected procedure call carries
/// (`seL4_MsgMaxLength`).
pub const MAX_MESSAGE_REGISTERS: usize = 120;

/// Width of a message label on 64-bit seL4 (`seL4_MessageInfo.label`).
pub const MESSAGE_LABEL_BITS: u32 = 52;

pub type MessageLabel = u64;
pub type MessageRegisterValue = u64;

/// The tag of an IPC message: a label chosen by the sender and the number of
/// message registers that carry its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageInfo {
    label: MessageLabel,
    count: usize,
}

impl MessageInfo {
    /// Panics if `label` does not fit in 52 bits or `count` exceeds
    /// [`MAX_MESSAGE_REGISTERS`], as the kernel would silently truncate both.
    /// Inline: callers often know both in range, and the checks fold away.
    #[inline]
    pub const fn new(label: MessageLabel, count: usize) -> Self {
        assert!(label >> MESSAGE_LABEL_BITS == 0, "message label wider than 52 bits");
        assert!(count <= MAX_MESSAGE_REGISTERS, "more than 120 message registers");
        Self { label, count }
    }

    pub const fn label(&self) -> MessageLabel {
        self.label
    }

    pub const fn count(&self) -> usize {
        self.count
    }
}

impl Default for MessageInfo {
    fn default() -> Self {
        Self::new(0, 0)
    }
}
