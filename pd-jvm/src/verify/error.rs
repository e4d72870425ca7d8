//! `VerifyError`: what failed, and where (class, method, bytecode offset and
//! instruction). Errors are built where a rule fails with only the offset;
//! the class and method are attached on the way out of [`super::verify_method`].

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use super::env::EnvError;
use super::insn::mnemonic;

/// Where a mismatching value was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Stack,
    Local(u16),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Stack => f.write_str("on the operand stack"),
            Place::Local(i) => write!(f, "in local variable {i}"),
        }
    }
}

/// Why a stack map frame is needed at an offset that has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameNeed {
    /// A branch or switch targets the offset.
    BranchTarget,
    /// An exception handler starts there.
    Handler,
    /// The previous instruction does not fall through (goto, return, ...).
    AfterUnconditional,
    /// The previous instruction falls through into a recorded frame.
    FallThrough,
}

/// What went wrong. Each variant is one rule of JVMS 4.9/4.10.1.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyErrorKind {
    /// Class files before version 50 need verification by type inference.
    TypeInferenceUnsupported {
        major: u16,
    },
    /// `jsr`/`ret`: forbidden from version 51; in version 50 they need
    /// type inference, which is not implemented.
    JsrRet {
        major: u16,
    },
    IllegalOpcode(u8),
    /// The instruction's operands run past the end of the code.
    TruncatedInstruction,
    /// `wide` followed by an opcode it cannot modify.
    IllegalWide(u8),
    BadSwitch(&'static str),
    BadOperand(&'static str),
    BranchOutsideCode {
        target: i64,
    },
    BranchIntoInstruction {
        target: usize,
    },
    /// An exception table entry whose bounds are not instruction boundaries.
    BadHandlerRange {
        start_pc: u16,
        end_pc: u16,
        handler_pc: u16,
    },
    /// A catch type that is not a subclass of java/lang/Throwable.
    BadCatchType {
        class: String,
    },
    /// A StackMapTable frame that is not on an instruction boundary.
    FrameNotAtInstruction {
        offset: usize,
    },
    /// A StackMapTable frame that is malformed in itself.
    BadStackMapFrame {
        offset: usize,
        reason: String,
    },
    FallsOffEnd,
    StackUnderflow {
        expected: String,
    },
    StackOverflow {
        max_stack: u16,
    },
    BadLocalIndex {
        index: usize,
        max_locals: u16,
    },
    TypeMismatch {
        place: Place,
        expected: String,
        found: String,
    },
    MissingFrame {
        target: usize,
        need: FrameNeed,
    },
    FrameMismatch {
        target: usize,
        need: FrameNeed,
        detail: String,
    },
    /// A constant-pool operand of the wrong kind for the instruction.
    BadConstant {
        index: u16,
        expected: &'static str,
        found: &'static str,
    },
    /// A constant-pool operand with a bad class, name or descriptor.
    BadConstantUse {
        index: u16,
        reason: String,
    },
    /// `return` in a constructor before `super()`/`this()` was called.
    ThisUninitialized,
    /// `invokespecial <init>` on the wrong object or class.
    BadInit(String),
    /// An `invokespecial` whose class is not this class or a supertype.
    BadInvokeSpecial(&'static str),
    /// A protected member accessed through a reference that is not this class.
    ProtectedAccess {
        member: String,
    },
    /// The method's return instruction does not match its descriptor.
    BadReturn {
        expected: String,
    },
    /// The superclass is final.
    FinalSuperclass {
        superclass: String,
    },
    /// A method overrides a final method of a superclass.
    OverridesFinal {
        superclass: String,
    },
    /// The class environment could not answer (missing class, ...).
    Env(EnvError),
}

impl fmt::Display for VerifyErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use VerifyErrorKind::*;
        match self {
            TypeInferenceUnsupported { major } => {
                write!(f, "verification by type inference is not supported; class version {major}")
            }
            JsrRet { major } if *major >= 51 => {
                write!(f, "jsr/ret are not allowed in class file version {major} (51 or later)")
            }
            JsrRet { major } => {
                write!(f, "jsr/ret need verification by type inference, which is not supported; class version {major}")
            }
            IllegalOpcode(op) => write!(f, "illegal opcode {op}"),
            TruncatedInstruction => f.write_str("instruction extends past the end of the code"),
            IllegalWide(op) => write!(f, "wide cannot modify opcode {op} ({})", mnemonic(*op)),
            BadSwitch(reason) | BadOperand(reason) | BadInvokeSpecial(reason) => f.write_str(reason),
            BranchOutsideCode { target } => write!(f, "branch target {target} is outside the code"),
            BranchIntoInstruction { target } => {
                write!(f, "branch target {target} is in the middle of an instruction")
            }
            BadHandlerRange { start_pc, end_pc, handler_pc } => write!(
                f,
                "exception handler [{start_pc}, {end_pc}) -> {handler_pc} does not start and end on instructions"
            ),
            BadCatchType { class } => write!(f, "catch type {class} is not a subclass of java/lang/Throwable"),
            FrameNotAtInstruction { offset } => {
                write!(f, "stack map frame at offset {offset} is not at an instruction boundary")
            }
            BadStackMapFrame { offset, reason } => write!(f, "bad stack map frame at offset {offset}: {reason}"),
            FallsOffEnd => f.write_str("execution falls off the end of the code"),
            StackUnderflow { expected } => write!(f, "operand stack underflow: expected {expected}"),
            StackOverflow { max_stack } => write!(f, "operand stack overflow: max_stack is {max_stack}"),
            BadLocalIndex { index, max_locals } => {
                write!(f, "local variable index {index} is out of range (max_locals {max_locals})")
            }
            TypeMismatch { place, expected, found } => write!(f, "expected {expected} {place}, found {found}"),
            MissingFrame { target, need } => match need {
                FrameNeed::BranchTarget => write!(f, "no stack map frame at branch target {target}"),
                FrameNeed::Handler => write!(f, "no stack map frame at exception handler {target}"),
                FrameNeed::AfterUnconditional | FrameNeed::FallThrough => {
                    write!(f, "no stack map frame at offset {target} after an unconditional branch")
                }
            },
            FrameMismatch { target, need, detail } => {
                let what = match need {
                    FrameNeed::BranchTarget => "branch target",
                    FrameNeed::Handler => "exception handler",
                    FrameNeed::AfterUnconditional => "offset",
                    FrameNeed::FallThrough => "fall-through into offset",
                };
                write!(f, "type state does not match the stack map frame at {what} {target}: {detail}")
            }
            BadConstant { index, expected, found } => {
                write!(f, "constant pool index {index} is {found}, expected {expected}")
            }
            BadConstantUse { index, reason } => write!(f, "constant pool index {index}: {reason}"),
            ThisUninitialized => f.write_str("constructor returns before calling super() or this()"),
            BadInit(reason) => f.write_str(reason),
            ProtectedAccess { member } => write!(
                f,
                "bad access to protected member {member}: the object is not of the current class or a subclass"
            ),
            BadReturn { expected } => write!(f, "wrong return instruction: the method returns {expected}"),
            FinalSuperclass { superclass } => write!(f, "cannot inherit from final class {superclass}"),
            OverridesFinal { superclass } => write!(f, "overrides a final method of {superclass}"),
            Env(e) => write!(f, "{e}"),
        }
    }
}

/// A verification failure: what ([`VerifyErrorKind`]) and where. Boxed so
/// the verifier's many `Result`s stay small on the success path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: VerifyErrorKind,
    class: String,
    method: Option<String>,
    offset: Option<usize>,
    opcode: Option<u8>,
}

impl VerifyError {
    /// An error with no location yet.
    pub fn new(kind: VerifyErrorKind) -> Self {
        VerifyError(Box::new(Inner { kind, class: String::new(), method: None, offset: None, opcode: None }))
    }

    /// An error at bytecode offset `pc`.
    pub fn at(kind: VerifyErrorKind, pc: usize) -> Self {
        let mut e = Self::new(kind);
        e.0.offset = Some(pc);
        e
    }

    pub(crate) fn with_opcode(mut self, opcode: u8) -> Self {
        self.0.opcode.get_or_insert(opcode);
        self
    }

    pub(crate) fn with_pc(mut self, pc: usize, opcode: u8) -> Self {
        if self.0.offset.is_none() {
            self.0.offset = Some(pc);
            self.0.opcode = Some(opcode);
        }
        self
    }

    pub(crate) fn with_class(mut self, class: String) -> Self {
        if self.0.class.is_empty() {
            self.0.class = class;
        }
        self
    }

    pub(crate) fn with_method(mut self, method: String) -> Self {
        self.0.method.get_or_insert(method);
        self
    }

    pub fn kind(&self) -> &VerifyErrorKind {
        &self.0.kind
    }

    /// The class name in internal form.
    pub fn class_name(&self) -> &str {
        &self.0.class
    }

    /// The method as name + descriptor, e.g. `bar(I)I`.
    pub fn method(&self) -> Option<&str> {
        self.0.method.as_deref()
    }

    /// The bytecode offset of the failing instruction.
    pub fn offset(&self) -> Option<usize> {
        self.0.offset
    }

    /// The opcode of the failing instruction.
    pub fn opcode(&self) -> Option<u8> {
        self.0.opcode
    }
}

impl From<EnvError> for VerifyError {
    fn from(e: EnvError) -> Self {
        VerifyError::new(VerifyErrorKind::Env(e))
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        f.write_str("VerifyError: ")?;
        f.write_str(&e.class)?;
        if let Some(m) = &e.method {
            write!(f, ".{m}")?;
        }
        if let Some(pc) = e.offset {
            write!(f, " at bytecode offset {pc}")?;
            if let Some(op) = e.opcode {
                write!(f, " ({})", mnemonic(op))?;
            }
        }
        write!(f, ": {}", e.kind)
    }
}

impl core::error::Error for VerifyError {}
