//! Bytecode verification by type checking (JVMS 17 §4.10.1) for class files
//! of version 50 and later.
//!
//! Each method is checked in one linear pass: the StackMapTable supplies
//! the type state at every branch target and handler, and every
//! instruction's rule turns the incoming state into the outgoing one. The
//! class hierarchy is consulted through [`ClassEnv`], which the VM's class
//! loader implements; [`ClassSet`] implements it over parsed class files.
//!
//! Older class files (and `jsr`/`ret` in version 50) would need
//! verification by type inference, which is not implemented; they are
//! rejected with a clear [`VerifyError`].

mod check;
pub mod env;
pub mod error;
mod frame;
pub mod insn;
pub mod types;

pub use env::{ClassEnv, ClassInfo, ClassSet, EnvError};
pub use error::{FrameNeed, Place, VerifyError, VerifyErrorKind};

use alloc::string::String;

use crate::classfile::flags::{ACC_FINAL, ACC_PRIVATE, ACC_PROTECTED, ACC_PUBLIC, ACC_STATIC};
use crate::classfile::mutf8::decode_lossy;
use crate::classfile::{ClassFile, Code, Method, StackMapFrame};
use env::{WithCurrent, MAX_DEPTH};
use insn::Instructions;

/// First class-file version verified by type checking.
pub const TYPE_CHECKING_MAJOR: u16 = 50;

fn method_label(method: &Method<'_>) -> String {
    let mut s = decode_lossy(method.name);
    s.push_str(&decode_lossy(method.descriptor));
    s
}

/// Verify `class`: the class-level hierarchy rules (no final superclass, no
/// overridden final methods) and then every method.
pub fn verify_class(class: &ClassFile<'_>, env: &dyn ClassEnv) -> Result<(), VerifyError> {
    let cname = || decode_lossy(class.name());
    if class.major_version < TYPE_CHECKING_MAJOR {
        return Err(VerifyError::new(VerifyErrorKind::TypeInferenceUnsupported { major: class.major_version })
            .with_class(cname()));
    }
    let here = WithCurrent::new(env, class);
    check_hierarchy(class, &here).map_err(|e| e.with_class(cname()))?;
    for m in &class.methods {
        verify_method(class, m, env)?;
    }
    Ok(())
}

/// JVMS 4.10.1 classIsTypeSafe: the superclass is not final, and no method
/// overrides an accessible final instance method of a superclass (the
/// accessibility condition is HotSpot's, so package-private final methods
/// in other packages do not count).
fn check_hierarchy(class: &ClassFile<'_>, env: &WithCurrent<'_, '_, '_>) -> Result<(), VerifyError> {
    let Some(sup) = class.super_name() else {
        return Ok(());
    };
    if env.access_flags(sup)? & ACC_FINAL != 0 {
        return Err(VerifyError::new(VerifyErrorKind::FinalSuperclass { superclass: decode_lossy(sup) }));
    }
    if class.is_interface() {
        return Ok(());
    }
    for m in &class.methods {
        if m.access_flags & (ACC_PRIVATE | ACC_STATIC) != 0 || m.name.first() == Some(&b'<') {
            continue;
        }
        let mut c = Some(sup);
        for _ in 0..MAX_DEPTH {
            let Some(s) = c else { break };
            if let Some(f) = env.declared_member(s, m.name, m.descriptor)? {
                let accessible = f & (ACC_PUBLIC | ACC_PROTECTED) != 0 || env.same_runtime_package(s, class.name())?;
                if f & ACC_FINAL != 0 && f & (ACC_STATIC | ACC_PRIVATE) == 0 && accessible {
                    return Err(VerifyError::new(VerifyErrorKind::OverridesFinal { superclass: decode_lossy(s) })
                        .with_method(method_label(m)));
                }
            }
            c = env.superclass(s)?;
        }
    }
    Ok(())
}

/// Verify one method of `class` (a no-op for abstract and native methods).
pub fn verify_method(class: &ClassFile<'_>, method: &Method<'_>, env: &dyn ClassEnv) -> Result<(), VerifyError> {
    let Some(code) = method.code() else {
        return Ok(());
    };
    let here = WithCurrent::new(env, class);
    check_method(class, method, code, &here)
        .map_err(|e| e.with_class(decode_lossy(class.name())).with_method(method_label(method)))
}

fn check_method<'a>(
    class: &ClassFile<'a>,
    method: &Method<'a>,
    code: &Code<'a>,
    env: &WithCurrent<'_, '_, 'a>,
) -> Result<(), VerifyError> {
    if class.major_version < TYPE_CHECKING_MAJOR {
        return Err(VerifyError::new(VerifyErrorKind::TypeInferenceUnsupported { major: class.major_version }));
    }
    let insns = Instructions::decode(code.code, class.major_version)?;
    check_boundaries(&insns, code)?;
    let (checker, initial) = check::Checker::new(class, method, code, &insns, env)?;
    checker.run(initial)
}
/// Handler ranges and stack map frames must sit on instruction boundaries
/// (JVMS 4.7.3, 4.7.4); the parser has already checked they lie in the code.
fn check_boundaries(insns: &Instructions, code: &Code<'_>) -> Result<(), VerifyError> {
    for h in &code.exception_table {
        let end_ok = usize::from(h.end_pc) == code.code.len() || insns.is_start(usize::from(h.end_pc));
        if !insns.is_start(usize::from(h.start_pc)) || !end_ok || !insns.is_start(usize::from(h.handler_pc)) {
            return Err(VerifyError::new(VerifyErrorKind::BadHandlerRange {
                start_pc: h.start_pc,
                end_pc: h.end_pc,
                handler_pc: h.handler_pc,
            }));
        }
    }
    let frames = code.stack_map_table().unwrap_or(&[]);
    for offset in StackMapFrame::offsets(frames) {
        if !insns.is_start(offset) {
            return Err(VerifyError::new(VerifyErrorKind::FrameNotAtInstruction { offset }));
        }
    }
    Ok(())
}
