//! Class initialization (JVMS 5.5) without recursion on the native stack.
//!
//! An instruction that needs a class initialized (`new`, `getstatic`,
//! `putstatic`, `invokestatic`) calls [`Vm::ensure_init`]. If some class in
//! the chain (superclass first, then superinterfaces with default methods,
//! then the class itself) still has to run its `<clinit>`, one `<clinit>`
//! frame is pushed and the instruction is *not* advanced: when that frame
//! returns, the instruction executes again and the procedure continues
//! where it stopped. Classes waiting for their supertypes are `Pending`
//! for the frame that asked, so a request from inside a running
//! `<clinit>` (the same thread, JVMS 5.5 step 3) completes at once.
//!
//! A `<clinit>` that throws marks its class erroneous, together with the
//! classes that were waiting on it; non-`Error` exceptions are wrapped in
//! `ExceptionInInitializerError` (done while unwinding, see
//! `interp::exceptions`). Later uses of an erroneous class throw
//! `NoClassDefFoundError: Could not initialize class X`.

use alloc::format;
use alloc::vec::Vec;

use crate::heap::Ref;
use crate::interp::frame::Cont;
use crate::interp::Exit;

use super::class::*;
use super::loader::dotted;
use super::Vm;

/// The outcome of [`Vm::ensure_init`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InitStep {
    /// The class may be used.
    Ready,
    /// A `<clinit>` frame was pushed; re-execute the instruction after it.
    Pushed,
}

impl Vm {
    /// Makes progress initializing `c` for the instruction in the current
    /// top frame (or for Rust code when there is none).
    pub(crate) fn ensure_init(&mut self, c: ClassId) -> Result<InitStep, Exit> {
        let depth = self.frames.len() as u32;
        self.ensure_init_at(c, depth)
    }

    fn ensure_init_at(&mut self, c: ClassId, depth: u32) -> Result<InitStep, Exit> {
        match self.classes[c.ix()].state {
            InitState::Initialized | InitState::Initializing => return Ok(InitStep::Ready),
            InitState::Erroneous => {
                return Err(Exit::Link(LinkError::new(
                    "java/lang/NoClassDefFoundError",
                    format!("Could not initialize class {}", dotted(&self.classes[c.ix()].name)),
                )))
            }
            InitState::Pending { trigger_depth } if trigger_depth != depth => return Ok(InitStep::Ready),
            InitState::Pending { .. } => {}
            InitState::Loaded | InitState::Linked => {
                self.link_class(c).map_err(Exit::Link)?;
                self.classes[c.ix()].state = InitState::Pending { trigger_depth: depth };
            }
        }
        // Supertypes first (JVMS 5.5 step 7).
        for s in self.init_supertypes(c) {
            match self.ensure_init_at(s, depth) {
                Ok(InitStep::Ready) => {}
                Ok(InitStep::Pushed) => return Ok(InitStep::Pushed),
                Err(e) => {
                    self.classes[c.ix()].state = InitState::Erroneous;
                    return Err(e);
                }
            }
        }
        // Step 6 (constant fields) then step 9 (<clinit>).
        self.classes[c.ix()].state = InitState::Initializing;
        if let Err(e) = self.apply_constant_values(c) {
            self.classes[c.ix()].state = InitState::Erroneous;
            return Err(e);
        }
        match self.classes[c.ix()].clinit {
            None => {
                self.classes[c.ix()].state = InitState::Initialized;
                Ok(InitStep::Ready)
            }
            Some(m) => {
                let base = self.frames.last().map_or(0, |f| f.sp as usize);
                match self.push_java_frame(m, base, Cont::Clinit(c), Ref::NULL) {
                    Ok(()) => Ok(InitStep::Pushed),
                    Err(e) => {
                        self.classes[c.ix()].state = InitState::Erroneous;
                        Err(e)
                    }
                }
            }
        }
    }

    /// The superclass and the superinterfaces declaring non-abstract,
    /// non-static methods (JVMS 5.5 step 7); none for interfaces.
    fn init_supertypes(&self, c: ClassId) -> Vec<ClassId> {
        let cls = &self.classes[c.ix()];
        if cls.is_interface() {
            return Vec::new();
        }
        let mut out: Vec<ClassId> = cls.super_class.into_iter().collect();
        let mut stack: Vec<ClassId> = cls.interfaces.iter().rev().copied().collect();
        let mut seen: Vec<ClassId> = Vec::new();
        while let Some(i) = stack.pop() {
            if seen.contains(&i) {
                continue;
            }
            seen.push(i);
            let ic = &self.classes[i.ix()];
            let has_default = ic.methods.iter().any(|&m| {
                let m = &self.methods[m.ix()];
                !m.is_abstract() && !m.is_static()
            });
            if has_default {
                out.push(i);
            }
            stack.extend(ic.interfaces.iter().rev().copied());
        }
        out
    }

    /// Static fields with a ConstantValue attribute get their values.
    fn apply_constant_values(&mut self, c: ClassId) -> Result<(), Exit> {
        let fields = self.classes[c.ix()].fields.clone();
        for f in fields {
            let field = &self.fields[f.ix()];
            let Some(cv) = field.constant_value else { continue };
            let (kind, offset) = (field.kind, field.offset as usize);
            let entry = self.classes[c.ix()].cp.get(usize::from(cv)).cloned();
            match entry {
                Some(CpEntry::Int(v)) => self.static_prims[offset] = narrow(kind, v) as u32 as u64,
                Some(CpEntry::Float(v)) => self.static_prims[offset] = u64::from(v.to_bits()),
                Some(CpEntry::Long(v)) => self.static_prims[offset] = v as u64,
                Some(CpEntry::Double(v)) => self.static_prims[offset] = v.to_bits(),
                Some(CpEntry::String { .. }) => {
                    let r = self.ldc_string(c, cv)?;
                    self.static_refs[offset] = r;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A `<clinit>` frame returned normally.
    pub(crate) fn init_done(&mut self, c: ClassId) {
        self.classes[c.ix()].state = InitState::Initialized;
    }

    /// A `<clinit>` frame was unwound by an exception: the class, and the
    /// classes pending on it for the frame at `depth`, are erroneous.
    pub(crate) fn init_failed(&mut self, c: ClassId, depth: u32) {
        self.classes[c.ix()].state = InitState::Erroneous;
        for cls in self.classes.iter_mut() {
            if cls.state == (InitState::Pending { trigger_depth: depth }) {
                cls.state = InitState::Erroneous;
            }
        }
    }

    /// After an abort (budget, exit): anything mid-initialization is
    /// erroneous, since its `<clinit>` can never complete.
    pub(crate) fn abort_initializations(&mut self) {
        for cls in self.classes.iter_mut() {
            if matches!(cls.state, InitState::Initializing | InitState::Pending { .. }) {
                cls.state = InitState::Erroneous;
            }
        }
    }

    /// Initializes `c` from Rust code (natives, the embedder), running any
    /// `<clinit>` in a nested interpreter loop.
    pub(crate) fn initialize_nested(&mut self, c: ClassId) -> Result<(), Exit> {
        loop {
            match self.ensure_init(c)? {
                InitStep::Ready => return Ok(()),
                InitStep::Pushed => {
                    let stop = self.frames.len() - 1;
                    self.run_nested(stop)?;
                }
            }
        }
    }
}

/// The value a `boolean`/`byte`/`char`/`short` field stores for an int.
#[inline]
pub(crate) fn narrow(kind: ValueKind, v: i32) -> i32 {
    match kind {
        ValueKind::Boolean => v & 1,
        ValueKind::Byte => v as i8 as i32,
        ValueKind::Char => v as u16 as i32,
        ValueKind::Short => v as i16 as i32,
        _ => v,
    }
}
