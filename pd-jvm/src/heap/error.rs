//! Heap errors. Variants that Java code can cause map one-to-one to the
//! exception the interpreter throws; `Invalid` means a VM bug (a reference
//! or offset verified code cannot produce) and is reported, not panicked on.

use core::fmt;

/// Failure of a field, element or array operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessError {
    /// `NullPointerException`.
    NullPointer,
    /// `ArrayIndexOutOfBoundsException`: `index` is the first offending
    /// index or position (for `arraycopy` possibly a negative length or an
    /// end past `length`); the VM formats the message.
    IndexOutOfBounds { index: i64, length: i32 },
    /// `ArrayStoreException` (from `arraycopy`: not arrays, mismatched
    /// component types, or an element the VM's check rejected).
    ArrayStore,
    /// Not a valid object of the expected shape: a VM bug.
    Invalid,
}

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessError::NullPointer => f.write_str("null reference"),
            AccessError::IndexOutOfBounds { index, length } => {
                write!(f, "index {index} out of bounds for length {length}")
            }
            AccessError::ArrayStore => f.write_str("array store type mismatch"),
            AccessError::Invalid => f.write_str("invalid heap reference or offset"),
        }
    }
}

impl core::error::Error for AccessError {}

/// Failure of an allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocError {
    /// The space is full: run [`Heap::collect`](super::Heap::collect) and
    /// retry the same request.
    NeedsGc,
    /// Still no room right after a collection (or the request could never
    /// fit): throw `OutOfMemoryError`. The heap is unchanged and usable.
    OutOfMemory,
    /// `NegativeArraySizeException`.
    NegativeArraySize(i32),
    /// Unknown layout, wrong layout kind, or a bad reference: a VM bug.
    Invalid,
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AllocError::NeedsGc => f.write_str("heap space exhausted; collect and retry"),
            AllocError::OutOfMemory => f.write_str("Java heap space"),
            AllocError::NegativeArraySize(n) => write!(f, "{n}"),
            AllocError::Invalid => f.write_str("invalid layout or reference"),
        }
    }
}

impl core::error::Error for AllocError {}

/// Why a heap could not be created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitError {
    /// Less than [`MIN_QUOTA`](super::MIN_QUOTA).
    QuotaTooSmall,
    /// A semispace would exceed what 32-bit references address.
    QuotaTooLarge,
    /// The OOM reserve leaves no room for ordinary allocation.
    ReserveTooLarge,
    /// The embedder's allocator could not provide the arena.
    NoMemory,
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InitError::QuotaTooSmall => "heap quota too small",
            InitError::QuotaTooLarge => "heap quota too large for 32-bit references",
            InitError::ReserveTooLarge => "OOM reserve leaves no room for allocation",
            InitError::NoMemory => "cannot allocate the heap arena",
        })
    }
}

impl core::error::Error for InitError {}
