//! Resolution ahead of a compile.
//!
//! A method compiled before its first run (`--jit all`), or one whose
//! rarely taken paths never ran, names fields, methods and classes the
//! interpreter has not resolved yet. The compiler can only leave such an
//! instruction to the interpreter (`exec`: spill every value, call, check,
//! reload), which makes the code slow and the compile long: the IR of an
//! unresolved `getfield` is ten times that of a resolved one.
//!
//! JVMS 5.4.3 lets an implementation resolve symbolic references early,
//! provided an error is thrown only where the instruction runs. So before
//! compiling, the VM resolves what the method's instructions name **if
//! the class named is already loaded**: resolving against loaded classes
//! loads nothing (beyond the nest host an access check of a private
//! member may need, as the interpreter's resolution would), initializes
//! nothing, runs no Java and allocates nothing on the heap. A resolution
//! that fails is cached in the pool exactly as the instruction's own first
//! run would cache it, and that run throws it. The checks that depend on
//! the instruction (static or not, writes to final fields) are those of
//! the interpreter's slow path; a failed one leaves the entry for the
//! interpreter. Static members of classes not yet initialized stay slow
//! (initialization is a side effect), as do string constants (allocation).
//!
//! Invokes are left to their first run: a resolved invoke becomes a direct
//! call, whose checks and frame records make a compile longer than the
//! `exec` it replaces (the median compile of `--jit all` went from 70 to
//! 130 µs), and a call site that never ran is rarely a hot one.

use crate::runtime::class::{CpEntry, Res};
use crate::runtime::{ClassId, MethodId, Vm};
use crate::verify::insn::{op, Instructions, Operands};

impl Vm {
    /// Resolves the pool entries that `m`'s field and class instructions
    /// name, where the class named is loaded (module docs).
    pub(crate) fn preresolve(&mut self, m: MethodId) {
        let cls = self.methods[m.ix()].class;
        let insns = match self.methods[m.ix()].code.as_deref() {
            Some(code) => Instructions::decode(&code.bytes, self.classes[cls.ix()].major),
            None => return,
        };
        let Ok(insns) = insns else { return };
        for insn in &insns.insns {
            let idx = match insn.operands {
                Operands::Cp(i) => i,
                _ => continue,
            };
            match insn.opcode {
                op::GETFIELD | op::PUTFIELD | op::GETSTATIC | op::PUTSTATIC => {
                    self.preresolve_field(insn.opcode, cls, m, idx)
                }
                op::NEW | op::CHECKCAST | op::INSTANCEOF | op::ANEWARRAY if self.pool_class_loaded(cls, idx) => {
                    let _ = self.resolve_class(cls, idx);
                }
                _ => {}
            }
        }
    }

    /// The CONSTANT_Class at `idx` names a loaded class.
    fn pool_class_loaded(&self, cls: ClassId, idx: u16) -> bool {
        match self.classes[cls.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::Class { res: Res::Ok(_), .. }) => true,
            Some(CpEntry::Class { res: Res::Unresolved, .. }) => {
                self.by_name.contains_key(self.cp_class_name(cls, idx))
            }
            _ => false,
        }
    }

    /// The Fieldref at `idx` is resolved, or names a loaded class.
    fn field_class_loaded(&self, cls: ClassId, idx: u16) -> bool {
        match self.classes[cls.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::Field { res: Res::Unresolved, class, .. }) => self.pool_class_loaded(cls, *class),
            Some(CpEntry::Field { .. }) => true,
            _ => false,
        }
    }

    /// What the instruction's slow path would do first (its checks, the
    /// `put_ok` mark), without initializing the class; a failure is left
    /// for the instruction to report.
    fn preresolve_field(&mut self, opcode: u8, cls: ClassId, m: MethodId, idx: u16) {
        if self.field_class_loaded(cls, idx) {
            let put = matches!(opcode, op::PUTSTATIC | op::PUTFIELD);
            let is_static = matches!(opcode, op::GETSTATIC | op::PUTSTATIC);
            let _ = self.resolve_field_use(cls, m, idx, is_static, put);
        }
    }
}
