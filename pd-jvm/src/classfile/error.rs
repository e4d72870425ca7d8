//! `ClassFormatError`: what went wrong, and where (class, member, byte offset).
//!
//! Every failure carries an [`ErrorKind`] (what) plus location context that is
//! filled in as the error propagates outwards through the parser: the byte
//! offset is set where the problem is detected, the member (method/field name
//! and descriptor) and the class name are attached by the enclosing parse
//! steps once they are known.

use alloc::string::String;
use core::fmt;

/// What kind of name a [`ErrorKind::InvalidName`] refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A class or interface name in internal form (JVMS 4.2.1), or an array descriptor.
    Class,
    /// A field name (JVMS 4.2.2).
    Field,
    /// A method name (JVMS 4.2.2).
    Method,
    /// A module or package name (JVMS 4.2.3).
    Module,
    /// Any other unqualified name (record component, parameter, local variable).
    Unqualified,
}

/// What kind of descriptor a [`ErrorKind::InvalidDescriptor`] refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescriptorKind {
    /// Field descriptor (JVMS 4.3.2).
    Field,
    /// Method descriptor (JVMS 4.3.3).
    Method,
}

/// What went wrong. Each variant is a distinct check of JVMS chapter 4.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ended before a structure was complete.
    Truncated { needed: usize, available: usize },
    /// The first four bytes are not 0xCAFEBABE.
    BadMagic(u32),
    /// A class file version outside 45.0 ..= 65.0 (or a preview minor version).
    UnsupportedVersion { major: u16, minor: u16 },
    /// A count that cannot possibly fit in the remaining input.
    CountExceedsInput { what: &'static str, count: usize, remaining: usize },
    /// A constant-pool count of zero.
    BadConstantPoolCount,
    /// A constant-pool tag this parser does not know.
    UnknownConstantTag { index: u16, tag: u8 },
    /// A constant-pool tag that this class file version may not use.
    ConstantTagNotAllowed { index: u16, tag: &'static str, major: u16 },
    /// A constant-pool reference that is 0, out of range, or points at the
    /// unusable second slot of a long/double.
    BadConstantIndex { what: &'static str, index: u16, pool_count: u16 },
    /// A constant-pool reference to an entry with the wrong tag.
    WrongConstantTag { what: &'static str, index: u16, expected: &'static str, found: &'static str },
    /// A CONSTANT_Utf8 entry that is not valid modified UTF-8.
    InvalidModifiedUtf8 { index: u16, position: usize },
    /// A malformed class, field, method, module or other name.
    InvalidName { kind: NameKind, name: String },
    /// A malformed field or method descriptor.
    InvalidDescriptor { kind: DescriptorKind, descriptor: String },
    /// A method descriptor whose parameters need more than 255 slots.
    TooManyParameterSlots { slots: usize },
    /// An illegal combination of access flags.
    IllegalFlags { what: &'static str, flags: u16, reason: &'static str },
    /// An attribute whose declared length differs from its parsed contents.
    AttributeLengthMismatch { name: &'static str, declared: u32, actual: usize },
    /// An attribute that may appear at most once appears again.
    DuplicateAttribute { name: &'static str },
    /// A code length of 0 or more than 65535.
    BadCodeLength(u32),
    /// A method that must have a Code attribute has none, or vice versa.
    CodeAttribute { reason: &'static str },
    /// An exception-table entry whose range or handler lies outside the code.
    ExceptionRangeOutsideCode { start_pc: u16, end_pc: u16, handler_pc: u16, code_length: usize },
    /// A pc in a LineNumberTable/LocalVariableTable/StackMapTable outside the code.
    PcOutsideCode { what: &'static str, pc: usize, code_length: usize },
    /// A reserved or unknown StackMapTable frame type.
    BadStackMapFrameType(u8),
    /// An unknown verification_type_info tag.
    BadVerificationType(u8),
    /// A CONSTANT_MethodHandle with a bad reference kind or target.
    BadMethodHandle { index: u16, reason: &'static str },
    /// A Dynamic/InvokeDynamic bootstrap index outside BootstrapMethods.
    BadBootstrapIndex { index: u16, bootstrap: u16, count: usize },
    /// Dynamic/InvokeDynamic constants present but no BootstrapMethods attribute.
    MissingBootstrapMethods,
    /// A super_class that violates JVMS 4.1 (0 only for java/lang/Object, ...).
    BadSuperClass { reason: &'static str },
    /// A ConstantValue attribute whose constant does not match the field type.
    BadConstantValue { index: u16, descriptor: String },
    /// Any other structural constraint of JVMS 4.x that was violated.
    Malformed { reason: &'static str },
    /// Bytes left over after the last attribute of the class.
    TrailingBytes { count: usize },
}

/// A class-file format error: what ([`ErrorKind`]) and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassFormatError {
    kind: ErrorKind,
    offset: usize,
    class: Option<String>,
    member: Option<String>,
}

impl ClassFormatError {
    /// A new error of `kind` detected at byte `offset` of the class file.
    pub fn new(kind: ErrorKind, offset: usize) -> Self {
        ClassFormatError { kind, offset, class: None, member: None }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Byte offset in the class file where the problem was detected.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The class name (internal form), if it was known when the error occurred.
    pub fn class_name(&self) -> Option<&str> {
        self.class.as_deref()
    }

    /// The member (`name` + descriptor, fields as `name:descriptor`), if known.
    pub fn member(&self) -> Option<&str> {
        self.member.as_deref()
    }

    /// Attach the class name unless one is already set.
    pub(crate) fn with_class(mut self, name: &[u8]) -> Self {
        if self.class.is_none() {
            self.class = Some(super::mutf8::decode_lossy(name));
        }
        self
    }

    /// Attach the member description unless one is already set.
    pub(crate) fn with_member(mut self, member: String) -> Self {
        if self.member.is_none() {
            self.member = Some(member);
        }
        self
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        match self {
            Truncated { needed, available } => write!(
                f,
                "truncated class file: needed {needed} bytes but only {available} remain"
            ),
            BadMagic(m) => write!(f, "bad magic number 0x{m:08x} (expected 0xcafebabe)"),
            UnsupportedVersion { major, minor } => write!(
                f,
                "unsupported class file version {major}.{minor} (supported: 45.0 to 65.0)"
            ),
            CountExceedsInput {
                what,
                count,
                remaining,
            } => write!(
                f,
                "{what} count {count} exceeds the remaining input ({remaining} bytes)"
            ),
            BadConstantPoolCount => write!(f, "constant pool count is 0"),
            UnknownConstantTag { index, tag } => {
                write!(f, "unknown constant pool tag {tag} at index {index}")
            }
            ConstantTagNotAllowed { index, tag, major } => write!(
                f,
                "constant pool tag {tag} at index {index} is not allowed in class file version {major}"
            ),
            BadConstantIndex {
                what,
                index,
                pool_count,
            } => write!(
                f,
                "bad constant pool index {index} for {what} (pool count {pool_count})"
            ),
            WrongConstantTag {
                what,
                index,
                expected,
                found,
            } => write!(
                f,
                "constant pool index {index} for {what} is {found}, expected {expected}"
            ),
            InvalidModifiedUtf8 { index, position } => write!(
                f,
                "invalid modified UTF-8 in constant pool entry {index} at byte {position}"
            ),
            InvalidName { kind, name } => {
                let k = match kind {
                    NameKind::Class => "class",
                    NameKind::Field => "field",
                    NameKind::Method => "method",
                    NameKind::Module => "module or package",
                    NameKind::Unqualified => "unqualified",
                };
                write!(f, "illegal {k} name \"{name}\"")
            }
            InvalidDescriptor { kind, descriptor } => {
                let k = match kind {
                    DescriptorKind::Field => "field",
                    DescriptorKind::Method => "method",
                };
                write!(f, "illegal {k} descriptor \"{descriptor}\"")
            }
            TooManyParameterSlots { slots } => write!(
                f,
                "method descriptor needs {slots} parameter slots (limit 255)"
            ),
            IllegalFlags {
                what,
                flags,
                reason,
            } => write!(f, "illegal {what} access flags 0x{flags:04x}: {reason}"),
            AttributeLengthMismatch {
                name,
                declared,
                actual,
            } => write!(
                f,
                "{name} attribute length {declared} does not match its contents ({actual})"
            ),
            DuplicateAttribute { name } => write!(f, "duplicate {name} attribute"),
            BadCodeLength(n) => write!(f, "code length {n} is not in 1..=65535"),
            CodeAttribute { reason } => write!(f, "{reason}"),
            ExceptionRangeOutsideCode {
                start_pc,
                end_pc,
                handler_pc,
                code_length,
            } => write!(
                f,
                "exception table entry [{start_pc}, {end_pc}) -> {handler_pc} is outside the code (length {code_length})"
            ),
            PcOutsideCode {
                what,
                pc,
                code_length,
            } => write!(f, "{what} pc {pc} is outside the code (length {code_length})"),
            BadStackMapFrameType(t) => write!(f, "reserved StackMapTable frame type {t}"),
            BadVerificationType(t) => write!(f, "bad verification_type_info tag {t}"),
            BadMethodHandle { index, reason } => {
                write!(f, "bad CONSTANT_MethodHandle at index {index}: {reason}")
            }
            BadBootstrapIndex {
                index,
                bootstrap,
                count,
            } => write!(
                f,
                "constant pool entry {index} uses bootstrap method {bootstrap} but BootstrapMethods has {count}"
            ),
            MissingBootstrapMethods => write!(
                f,
                "Dynamic/InvokeDynamic constants present but no BootstrapMethods attribute"
            ),
            BadSuperClass { reason } => write!(f, "bad super_class: {reason}"),
            BadConstantValue { index, descriptor } => write!(
                f,
                "ConstantValue index {index} does not match field type {descriptor}"
            ),
            Malformed { reason } => write!(f, "{reason}"),
            TrailingBytes { count } => {
                write!(f, "{count} trailing bytes after the end of the class file")
            }
        }
    }
}

impl fmt::Display for ClassFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClassFormatError: ")?;
        match (&self.class, &self.member) {
            (Some(c), Some(m)) => write!(f, "{c}.{m}: ")?,
            (Some(c), None) => write!(f, "{c}: ")?,
            (None, Some(m)) => write!(f, "{m}: ")?,
            (None, None) => {}
        }
        write!(f, "{} at offset 0x{:x}", self.kind, self.offset)
    }
}

impl core::error::Error for ClassFormatError {}

/// Result alias used throughout the parser.
pub type Result<T> = core::result::Result<T, ClassFormatError>;
