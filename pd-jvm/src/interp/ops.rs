//! Arithmetic with Java's exact semantics where Rust's operators differ,
//! and instruction lengths.
//!
//! Most of Java maps directly onto Rust: `wrapping_*` for int/long
//! overflow (and `MIN_VALUE / -1`), `as` casts from float to int saturate
//! and map NaN to 0 exactly as `f2i`/`d2l` require, and Rust floats are
//! IEEE 754 binary32/binary64 with round-to-nearest (Java 17 is strictfp
//! everywhere). `frem`/`drem` are C's `fmod`; that is implemented here
//! (after musl) so the VM needs no libm on bare-metal targets.

use crate::verify::insn::op;

/// Java's `%` on floats (C `fmodf`).
pub(crate) fn frem(x: f32, y: f32) -> f32 {
    let (mut uxi, mut uyi) = (x.to_bits(), y.to_bits());
    let mut ex = ((uxi >> 23) & 0xff) as i32;
    let mut ey = ((uyi >> 23) & 0xff) as i32;
    let sx = uxi & 0x8000_0000;
    if uyi << 1 == 0 || y.is_nan() || ex == 0xff {
        return f32::NAN;
    }
    if uxi << 1 <= uyi << 1 {
        if uxi << 1 == uyi << 1 {
            return 0.0 * x;
        }
        return x;
    }
    if ex == 0 {
        let mut i = uxi << 9;
        while i >> 31 == 0 {
            ex -= 1;
            i <<= 1;
        }
        uxi <<= -ex + 1;
    } else {
        uxi &= u32::MAX >> 9;
        uxi |= 1 << 23;
    }
    if ey == 0 {
        let mut i = uyi << 9;
        while i >> 31 == 0 {
            ey -= 1;
            i <<= 1;
        }
        uyi <<= -ey + 1;
    } else {
        uyi &= u32::MAX >> 9;
        uyi |= 1 << 23;
    }
    while ex > ey {
        let i = uxi.wrapping_sub(uyi);
        if i >> 31 == 0 {
            if i == 0 {
                return 0.0 * x;
            }
            uxi = i;
        }
        uxi <<= 1;
        ex -= 1;
    }
    let i = uxi.wrapping_sub(uyi);
    if i >> 31 == 0 {
        if i == 0 {
            return 0.0 * x;
        }
        uxi = i;
    }
    while uxi >> 23 == 0 {
        uxi <<= 1;
        ex -= 1;
    }
    if ex > 0 {
        uxi -= 1 << 23;
        uxi |= (ex as u32) << 23;
    } else {
        uxi >>= -ex + 1;
    }
    f32::from_bits(uxi | sx)
}

/// Java's `%` on doubles (C `fmod`).
pub(crate) fn drem(x: f64, y: f64) -> f64 {
    let (mut uxi, mut uyi) = (x.to_bits(), y.to_bits());
    let mut ex = ((uxi >> 52) & 0x7ff) as i64;
    let mut ey = ((uyi >> 52) & 0x7ff) as i64;
    let sx = uxi & (1 << 63);
    if uyi << 1 == 0 || y.is_nan() || ex == 0x7ff {
        return f64::NAN;
    }
    if uxi << 1 <= uyi << 1 {
        if uxi << 1 == uyi << 1 {
            return 0.0 * x;
        }
        return x;
    }
    if ex == 0 {
        let mut i = uxi << 12;
        while i >> 63 == 0 {
            ex -= 1;
            i <<= 1;
        }
        uxi <<= -ex + 1;
    } else {
        uxi &= u64::MAX >> 12;
        uxi |= 1 << 52;
    }
    if ey == 0 {
        let mut i = uyi << 12;
        while i >> 63 == 0 {
            ey -= 1;
            i <<= 1;
        }
        uyi <<= -ey + 1;
    } else {
        uyi &= u64::MAX >> 12;
        uyi |= 1 << 52;
    }
    while ex > ey {
        let i = uxi.wrapping_sub(uyi);
        if i >> 63 == 0 {
            if i == 0 {
                return 0.0 * x;
            }
            uxi = i;
        }
        uxi <<= 1;
        ex -= 1;
    }
    let i = uxi.wrapping_sub(uyi);
    if i >> 63 == 0 {
        if i == 0 {
            return 0.0 * x;
        }
        uxi = i;
    }
    while uxi >> 52 == 0 {
        uxi <<= 1;
        ex -= 1;
    }
    if ex > 0 {
        uxi -= 1 << 52;
        uxi |= (ex as u64) << 52;
    } else {
        uxi >>= -ex + 1;
    }
    f64::from_bits(uxi | sx)
}

/// `fcmpl` (`nan_result` -1) and `fcmpg` (`nan_result` 1).
#[inline]
pub(crate) fn fcmp(a: f32, b: f32, nan_result: i32) -> i32 {
    if a > b {
        1
    } else if a < b {
        -1
    } else if a == b {
        0
    } else {
        nan_result
    }
}

#[inline]
pub(crate) fn dcmp(a: f64, b: f64, nan_result: i32) -> i32 {
    if a > b {
        1
    } else if a < b {
        -1
    } else if a == b {
        0
    } else {
        nan_result
    }
}

#[inline]
pub(crate) fn be_u16(code: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([code[at], code[at + 1]])
}

#[inline]
pub(crate) fn be_i32(code: &[u8], at: usize) -> i32 {
    i32::from_be_bytes([code[at], code[at + 1], code[at + 2], code[at + 3]])
}

/// Length of the (verified) instruction at `pc`.
pub(crate) fn insn_len(code: &[u8], pc: usize) -> usize {
    let opcode = code[pc];
    match opcode {
        op::BIPUSH | op::LDC | op::NEWARRAY => 2,
        op::ILOAD..=op::ALOAD | op::ISTORE..=op::ASTORE | op::RET => 2,
        op::SIPUSH | op::LDC_W | op::LDC2_W | op::IINC => 3,
        op::IFEQ..=op::JSR | op::IFNULL | op::IFNONNULL => 3,
        op::GETSTATIC..=op::INVOKESTATIC | op::NEW | op::ANEWARRAY | op::CHECKCAST | op::INSTANCEOF => 3,
        op::MULTIANEWARRAY => 4,
        op::INVOKEINTERFACE | op::INVOKEDYNAMIC | op::GOTO_W | op::JSR_W => 5,
        op::WIDE => {
            if code[pc + 1] == op::IINC {
                6
            } else {
                4
            }
        }
        op::TABLESWITCH => {
            let a = (pc + 4) & !3;
            let (low, high) = (be_i32(code, a + 4), be_i32(code, a + 8));
            a + 12 + 4 * (i64::from(high) - i64::from(low) + 1) as usize - pc
        }
        op::LOOKUPSWITCH => {
            let a = (pc + 4) & !3;
            let n = be_i32(code, a + 4) as usize;
            a + 8 + 8 * n - pc
        }
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fmod_matches_rust() {
        let vals = [
            0.0f64,
            -0.0,
            1.0,
            -1.0,
            5.5,
            -5.5,
            3.0,
            1e300,
            -1e-300,
            4.9e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            0.1,
            7.25,
            1e16,
            123456.789,
        ];
        for &x in &vals {
            for &y in &vals {
                let (a, b) = (drem(x, y), x % y);
                assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{x} % {y}: {a} vs {b}");
                let (xf, yf) = (x as f32, y as f32);
                let (a, b) = (frem(xf, yf), xf % yf);
                assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{xf} % {yf}: {a} vs {b}");
            }
        }
    }
}
