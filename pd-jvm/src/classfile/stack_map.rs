//! StackMapTable (JVMS 4.7.4): frames decoded into a structured form for
//! the type-checking verifier.

use alloc::vec::Vec;

use super::constant_pool::ConstantPool;
use super::error::{ClassFormatError, ErrorKind, Result};
use super::reader::Reader;

/// A `verification_type_info` (JVMS 4.7.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationType {
    Top,
    Integer,
    Float,
    Double,
    Long,
    Null,
    UninitializedThis,
    /// A CONSTANT_Class index.
    Object {
        class_index: u16,
    },
    /// Offset of the `new` instruction that created the object.
    Uninitialized {
        offset: u16,
    },
}

/// One stack map frame. `offset_delta` is as stored in the class file; the
/// frame applies at `previous_offset + offset_delta + 1` (or `offset_delta`
/// for the first frame); see [`StackMapFrame::offsets`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StackMapFrame {
    /// `same_frame` (0..=63) and `same_frame_extended` (251).
    Same { offset_delta: u16 },
    /// `same_locals_1_stack_item_frame` (64..=127) and its extended form (247).
    SameLocals1StackItem { offset_delta: u16, stack: VerificationType },
    /// `chop_frame` (248..=250): the last `k` locals (1..=3) are absent.
    Chop { offset_delta: u16, k: u8 },
    /// `append_frame` (252..=254): 1..=3 additional locals.
    Append { offset_delta: u16, locals: Vec<VerificationType> },
    /// `full_frame` (255).
    Full { offset_delta: u16, locals: Vec<VerificationType>, stack: Vec<VerificationType> },
}

impl StackMapFrame {
    /// The stored `offset_delta`.
    pub fn offset_delta(&self) -> u16 {
        match self {
            StackMapFrame::Same { offset_delta }
            | StackMapFrame::SameLocals1StackItem { offset_delta, .. }
            | StackMapFrame::Chop { offset_delta, .. }
            | StackMapFrame::Append { offset_delta, .. }
            | StackMapFrame::Full { offset_delta, .. } => *offset_delta,
        }
    }

    /// The absolute bytecode offsets that `frames` apply to.
    pub fn offsets(frames: &[StackMapFrame]) -> Vec<usize> {
        let mut out = Vec::with_capacity(frames.len());
        let mut prev: Option<usize> = None;
        for f in frames {
            let d = usize::from(f.offset_delta());
            let off = match prev {
                None => d,
                Some(p) => p + d + 1,
            };
            out.push(off);
            prev = Some(off);
        }
        out
    }
}

fn verification_type(r: &mut Reader<'_>, cp: &ConstantPool<'_>, code_length: usize) -> Result<VerificationType> {
    let at = r.offset();
    Ok(match r.u1()? {
        0 => VerificationType::Top,
        1 => VerificationType::Integer,
        2 => VerificationType::Float,
        3 => VerificationType::Double,
        4 => VerificationType::Long,
        5 => VerificationType::Null,
        6 => VerificationType::UninitializedThis,
        7 => {
            let class_index = r.u2()?;
            cp.expect_class(class_index, "StackMapTable Object_variable_info", at)?;
            VerificationType::Object { class_index }
        }
        8 => {
            let offset = r.u2()?;
            if usize::from(offset) >= code_length {
                return Err(ClassFormatError::new(
                    ErrorKind::PcOutsideCode {
                        what: "StackMapTable Uninitialized_variable_info",
                        pc: usize::from(offset),
                        code_length,
                    },
                    at,
                ));
            }
            VerificationType::Uninitialized { offset }
        }
        t => return Err(ClassFormatError::new(ErrorKind::BadVerificationType(t), at)),
    })
}

fn verification_types(
    r: &mut Reader<'_>,
    cp: &ConstantPool<'_>,
    code_length: usize,
    n: usize,
) -> Result<Vec<VerificationType>> {
    // Each verification_type_info is at least one byte.
    r.check_count("verification_type_info", n, 1, r.offset())?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(verification_type(r, cp, code_length)?);
    }
    Ok(v)
}

/// Parse the body of a StackMapTable attribute (after attribute_length).
pub(crate) fn parse(r: &mut Reader<'_>, cp: &ConstantPool<'_>, code_length: usize) -> Result<Vec<StackMapFrame>> {
    let n = r.count("StackMapTable entries", 1)?;
    let mut frames = Vec::with_capacity(usize::from(n));
    let mut prev: Option<usize> = None;
    for _ in 0..n {
        let at = r.offset();
        let ft = r.u1()?;
        let frame = match ft {
            0..=63 => StackMapFrame::Same { offset_delta: u16::from(ft) },
            64..=127 => StackMapFrame::SameLocals1StackItem {
                offset_delta: u16::from(ft - 64),
                stack: verification_type(r, cp, code_length)?,
            },
            247 => StackMapFrame::SameLocals1StackItem {
                offset_delta: r.u2()?,
                stack: verification_type(r, cp, code_length)?,
            },
            248..=250 => StackMapFrame::Chop { offset_delta: r.u2()?, k: 251 - ft },
            251 => StackMapFrame::Same { offset_delta: r.u2()? },
            252..=254 => {
                let offset_delta = r.u2()?;
                let locals = verification_types(r, cp, code_length, usize::from(ft - 251))?;
                StackMapFrame::Append { offset_delta, locals }
            }
            255 => {
                let offset_delta = r.u2()?;
                let nl = r.u2()?;
                let locals = verification_types(r, cp, code_length, usize::from(nl))?;
                let ns = r.u2()?;
                let stack = verification_types(r, cp, code_length, usize::from(ns))?;
                StackMapFrame::Full { offset_delta, locals, stack }
            }
            _ => return Err(ClassFormatError::new(ErrorKind::BadStackMapFrameType(ft), at)),
        };
        // Every frame must apply to an offset inside the code.
        let d = usize::from(frame.offset_delta());
        let off = match prev {
            None => d,
            Some(p) => p + d + 1,
        };
        if off >= code_length {
            return Err(ClassFormatError::new(
                ErrorKind::PcOutsideCode { what: "StackMapTable frame", pc: off, code_length },
                at,
            ));
        }
        prev = Some(off);
        frames.push(frame);
    }
    Ok(frames)
}
