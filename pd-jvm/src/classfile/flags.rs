//! Access flags and their legal combinations (JVMS 4.1, 4.5, 4.6).
//!
//! The rules depend on the class-file version; the thresholds follow the
//! specification (and HotSpot's reading of it) so that old class files
//! remain loadable.

pub const ACC_PUBLIC: u16 = 0x0001;
pub const ACC_PRIVATE: u16 = 0x0002;
pub const ACC_PROTECTED: u16 = 0x0004;
pub const ACC_STATIC: u16 = 0x0008;
pub const ACC_FINAL: u16 = 0x0010;
/// Class flag (same bit as `ACC_SYNCHRONIZED`).
pub const ACC_SUPER: u16 = 0x0020;
pub const ACC_SYNCHRONIZED: u16 = 0x0020;
/// Field flag (same bit as `ACC_BRIDGE`).
pub const ACC_VOLATILE: u16 = 0x0040;
pub const ACC_BRIDGE: u16 = 0x0040;
/// Field flag (same bit as `ACC_VARARGS`).
pub const ACC_TRANSIENT: u16 = 0x0080;
pub const ACC_VARARGS: u16 = 0x0080;
pub const ACC_NATIVE: u16 = 0x0100;
pub const ACC_INTERFACE: u16 = 0x0200;
pub const ACC_ABSTRACT: u16 = 0x0400;
pub const ACC_STRICT: u16 = 0x0800;
pub const ACC_SYNTHETIC: u16 = 0x1000;
pub const ACC_ANNOTATION: u16 = 0x2000;
pub const ACC_ENUM: u16 = 0x4000;
/// Class flag (same bit as `ACC_MANDATED` on parameters).
pub const ACC_MODULE: u16 = 0x8000;
pub const ACC_MANDATED: u16 = 0x8000;

/// Java 5: ACC_SUPER/ENUM/ANNOTATION/BRIDGE/VARARGS gain meaning.
const V49: u16 = 49;
/// Java 6: interfaces must carry ACC_ABSTRACT explicitly.
const V50: u16 = 50;
/// Java 7: `<clinit>` must be static.
pub const V51: u16 = 51;
/// Java 8: interface methods may be private/static/default.
pub const V52: u16 = 52;
/// Java 9: modules.
pub const V53: u16 = 53;
/// Java 17: ACC_STRICT is obsolete (all methods are strict).
const V61: u16 = 61;

fn has(flags: u16, f: u16) -> bool {
    flags & f != 0
}

/// More than one of public/private/protected.
fn illegal_visibility(flags: u16) -> bool {
    (flags & (ACC_PUBLIC | ACC_PRIVATE | ACC_PROTECTED)).count_ones() > 1
}

/// Check class access flags (JVMS 4.1). ACC_MODULE is checked by the caller.
pub fn check_class(flags: u16, major: u16) -> Result<(), &'static str> {
    let interface = has(flags, ACC_INTERFACE);
    let abstract_ = has(flags, ACC_ABSTRACT) || (interface && major < V50);
    let final_ = has(flags, ACC_FINAL);
    if interface {
        if !abstract_ {
            return Err("interface is not ACC_ABSTRACT");
        }
        if final_ {
            return Err("interface is ACC_FINAL");
        }
        if major >= V49 && has(flags, ACC_SUPER | ACC_ENUM) {
            return Err("interface has ACC_SUPER or ACC_ENUM");
        }
        if major >= V53 && has(flags, ACC_MODULE) {
            return Err("interface has ACC_MODULE");
        }
    } else {
        if major >= V49 && has(flags, ACC_ANNOTATION) {
            return Err("ACC_ANNOTATION without ACC_INTERFACE");
        }
        if final_ && abstract_ {
            return Err("class is both ACC_FINAL and ACC_ABSTRACT");
        }
    }
    Ok(())
}

/// Check field access flags (JVMS 4.5).
pub fn check_field(flags: u16, in_interface: bool, major: u16) -> Result<(), &'static str> {
    if in_interface {
        let required = ACC_PUBLIC | ACC_STATIC | ACC_FINAL;
        if flags & required != required {
            return Err("interface field is not public static final");
        }
        if has(flags, ACC_PRIVATE | ACC_PROTECTED | ACC_VOLATILE | ACC_TRANSIENT)
            || (major >= V49 && has(flags, ACC_ENUM))
        {
            return Err("interface field has a forbidden flag");
        }
    } else {
        if illegal_visibility(flags) {
            return Err("more than one of public/private/protected");
        }
        if has(flags, ACC_FINAL) && has(flags, ACC_VOLATILE) {
            return Err("field is both final and volatile");
        }
    }
    Ok(())
}

/// Check method access flags (JVMS 4.6). `<clinit>` is handled by the caller
/// (its flags other than ACC_STATIC are ignored).
pub fn check_method(flags: u16, is_init: bool, in_interface: bool, major: u16) -> Result<(), &'static str> {
    let public = has(flags, ACC_PUBLIC);
    let private = has(flags, ACC_PRIVATE);
    let abstract_ = has(flags, ACC_ABSTRACT);
    let strict = has(flags, ACC_STRICT) && major < V61;
    if in_interface {
        if major >= V52 {
            if public == private {
                return Err("interface method must be exactly one of public/private");
            }
            if has(flags, ACC_PROTECTED | ACC_FINAL | ACC_SYNCHRONIZED | ACC_NATIVE) {
                return Err("interface method is protected/final/synchronized/native");
            }
            if abstract_ && (private || has(flags, ACC_STATIC) || strict) {
                return Err("abstract interface method is private/static/strict");
            }
        } else if major >= V49 {
            if !public || !abstract_ {
                return Err("interface method must be public abstract");
            }
            if has(
                flags,
                ACC_PRIVATE | ACC_PROTECTED | ACC_STATIC | ACC_FINAL | ACC_SYNCHRONIZED | ACC_NATIVE | ACC_STRICT,
            ) {
                return Err("interface method has a forbidden flag");
            }
        } else if !public || !abstract_ || has(flags, ACC_STATIC | ACC_FINAL | ACC_NATIVE) {
            return Err("interface method must be public abstract");
        }
        return Ok(());
    }
    if illegal_visibility(flags) {
        return Err("more than one of public/private/protected");
    }
    if is_init {
        if has(flags, ACC_STATIC | ACC_FINAL | ACC_SYNCHRONIZED | ACC_NATIVE | ACC_ABSTRACT)
            || (major >= V49 && has(flags, ACC_BRIDGE))
        {
            return Err("<init> has a forbidden flag");
        }
    } else if abstract_
        && (has(flags, ACC_FINAL | ACC_NATIVE | ACC_PRIVATE | ACC_STATIC)
            || (major >= V49 && (has(flags, ACC_SYNCHRONIZED) || strict)))
    {
        return Err("abstract method is final/native/private/static/synchronized/strict");
    }
    Ok(())
}
