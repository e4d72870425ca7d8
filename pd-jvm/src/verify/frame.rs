//! Type states (JVMS 4.10.1.3): locals, operand stack and the
//! `flagThisUninit` flag; decoding the StackMapTable into type states; and
//! frame assignability, the "merge" of type checking: the incoming state
//! must be assignable to the recorded frame, which then becomes the state.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::classfile::{ConstantPool, StackMapFrame, VerificationType};

use super::env::{ClassEnv, EnvError};
use super::error::{VerifyError, VerifyErrorKind as K};
use super::insn::{op, Instructions};
use super::types::{is_assignable, RefType, VType};

/// A type state. Locals hold one entry per slot (`Long` is followed by
/// `Top`); the stack holds one entry per value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame<'a> {
    /// At most `max_locals` entries; the slots past the end are `Top`.
    /// Nothing here costs time in proportion to `max_locals` (a u2 any
    /// class file may set to 65535): only to the locals actually used, so
    /// that the work per instruction or frame is bounded by the input.
    pub locals: Vec<VType<'a>>,
    pub stack: Vec<VType<'a>>,
    /// Operand stack depth in slots.
    pub stack_size: usize,
    /// `flagThisUninit`: this constructor has not yet called `super()`/`this()`.
    pub this_uninit: bool,
}

impl<'a> Frame<'a> {
    /// The type of local `i` (`Top` past the recorded locals).
    pub fn local(&self, i: usize) -> VType<'a> {
        self.locals.get(i).copied().unwrap_or(VType::Top)
    }

    /// Make this the current state at a recorded frame.
    pub fn assign_from(&mut self, recorded: &Frame<'a>) {
        self.locals.clear();
        self.locals.extend_from_slice(&recorded.locals);
        self.stack.clear();
        self.stack.extend_from_slice(&recorded.stack);
        self.stack_size = recorded.stack_size;
        self.this_uninit = recorded.this_uninit;
    }

    /// Replace every occurrence of `from` (an uninitialized type) by `to`.
    pub fn replace(&mut self, from: VType<'a>, to: VType<'a>) {
        for t in self.locals.iter_mut().chain(self.stack.iter_mut()) {
            if *t == from {
                *t = to;
            }
        }
    }
}

/// Check `locals`/`stack`/`this_uninit` against `target`. Returns a
/// description of the first difference, or `None` if assignable.
pub fn mismatch<'a>(
    locals: &[VType<'a>],
    stack: &[VType<'a>],
    this_uninit: bool,
    target: &Frame<'a>,
    env: &dyn ClassEnv,
) -> Result<Option<String>, EnvError> {
    // Only the frame's recorded locals matter: anything is assignable to
    // the `Top`s past them. (Recorded frames fit in max_locals: decode checks.)
    for (i, &want) in target.locals.iter().enumerate() {
        let have = locals.get(i).copied().unwrap_or(VType::Top);
        if want != VType::Top && !is_assignable(have, want, env)? {
            return Ok(Some(format!("local variable {i} is {have}, the frame has {want}")));
        }
    }
    if stack.len() != target.stack.len() {
        return Ok(Some(format!("the operand stack has {} values, the frame has {}", stack.len(), target.stack.len())));
    }
    for (i, (&have, &want)) in stack.iter().zip(&target.stack).enumerate() {
        // Sizes must agree too: a long is not a `top` of one slot on the
        // stack, or the recorded depth would undercount max_stack.
        if have.size() != want.size() || !is_assignable(have, want, env)? {
            return Ok(Some(format!("operand stack entry {i} (from the bottom) is {have}, the frame has {want}")));
        }
    }
    if this_uninit && !target.this_uninit {
        return Ok(Some(String::from(
            "this is still uninitialized (no super() or this() call yet), the frame assumes it is initialized",
        )));
    }
    Ok(None)
}

/// A recorded frame and the offset it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapFrame<'a> {
    pub offset: usize,
    pub frame: Frame<'a>,
}

/// Bounds and context for decoding the StackMapTable.
pub struct MapContext<'c, 'a> {
    pub cp: &'c ConstantPool<'a>,
    pub insns: &'c Instructions,
    pub max_locals: usize,
    pub max_stack: usize,
}

impl<'a> MapContext<'_, 'a> {
    fn vtype(&self, v: VerificationType, offset: usize) -> Result<VType<'a>, VerifyError> {
        let bad = |reason: String| VerifyError::new(K::BadStackMapFrame { offset, reason });
        Ok(match v {
            VerificationType::Top => VType::Top,
            VerificationType::Integer => VType::Int,
            VerificationType::Float => VType::Float,
            VerificationType::Long => VType::Long,
            VerificationType::Double => VType::Double,
            VerificationType::Null => VType::Null,
            VerificationType::UninitializedThis => VType::UninitThis,
            VerificationType::Object { class_index } => {
                let name =
                    self.cp.class_name(class_index).ok_or_else(|| bad(format!("bad class index {class_index}")))?;
                VType::Ref(
                    RefType::from_class_entry(name)
                        .ok_or_else(|| bad(format!("bad class name at index {class_index}")))?,
                )
            }
            VerificationType::Uninitialized { offset: new_pc } => {
                if self.insns.at(usize::from(new_pc)).is_none_or(|i| i.opcode != op::NEW) {
                    return Err(bad(format!("uninitialized({new_pc}) does not refer to a new instruction")));
                }
                VType::Uninit(new_pc)
            }
        })
    }

    /// Expand a locals list (one entry per value) into slots.
    fn expand(&self, compressed: &[VType<'a>], offset: usize) -> Result<Vec<VType<'a>>, VerifyError> {
        let mut out = Vec::with_capacity(compressed.len() + 2);
        for &t in compressed {
            out.push(t);
            if t.size() == 2 {
                out.push(VType::Top);
            }
        }
        if out.len() > self.max_locals {
            return Err(VerifyError::new(K::BadStackMapFrame {
                offset,
                reason: format!("{} local variable slots exceed max_locals {}", out.len(), self.max_locals),
            }));
        }
        while out.last() == Some(&VType::Top) {
            out.pop();
        }
        Ok(out)
    }

    /// Decode the StackMapTable into type states. `initial` is the method's
    /// entry locals, one entry per value, as the frame deltas count them.
    pub fn decode(&self, frames: &[StackMapFrame], initial: &[VType<'a>]) -> Result<Vec<MapFrame<'a>>, VerifyError> {
        let mut locals: Vec<VType<'a>> = initial.to_vec();
        let mut out = Vec::with_capacity(frames.len());
        for (f, offset) in frames.iter().zip(StackMapFrame::offsets(frames)) {
            let mut stack = Vec::new();
            match f {
                StackMapFrame::Same { .. } => {}
                StackMapFrame::SameLocals1StackItem { stack: s, .. } => stack.push(self.vtype(*s, offset)?),
                StackMapFrame::Chop { k, .. } => {
                    let k = usize::from(*k);
                    if k > locals.len() {
                        return Err(VerifyError::new(K::BadStackMapFrame {
                            offset,
                            reason: format!("chop_frame removes {k} locals but there are only {}", locals.len()),
                        }));
                    }
                    locals.truncate(locals.len() - k);
                }
                StackMapFrame::Append { locals: add, .. } => {
                    for &v in add {
                        locals.push(self.vtype(v, offset)?);
                    }
                }
                StackMapFrame::Full { locals: l, stack: s, .. } => {
                    locals.clear();
                    for &v in l {
                        locals.push(self.vtype(v, offset)?);
                    }
                    for &v in s {
                        stack.push(self.vtype(v, offset)?);
                    }
                }
            }
            let expanded = self.expand(&locals, offset)?;
            let stack_size: usize = stack.iter().map(VType::size).sum();
            if stack_size > self.max_stack {
                return Err(VerifyError::new(K::BadStackMapFrame {
                    offset,
                    reason: format!("operand stack of {stack_size} slots exceeds max_stack {}", self.max_stack),
                }));
            }
            let this_uninit = expanded.contains(&VType::UninitThis);
            out.push(MapFrame { offset, frame: Frame { locals: expanded, stack, stack_size, this_uninit } });
        }
        Ok(out)
    }
}

/// The recorded frame at `offset`, if any (`frames` is sorted by offset).
pub fn frame_at<'f, 'a>(frames: &'f [MapFrame<'a>], offset: usize) -> Option<&'f Frame<'a>> {
    frames.binary_search_by_key(&offset, |f| f.offset).ok().map(|i| &frames[i].frame)
}
