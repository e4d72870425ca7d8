// Ported to Rust from FDLIBM 5.3 (fdlibm.h, e_sqrt.c, s_fabs.c,
// s_copysign.c, s_scalbn.c, s_floor.c), whose notices follow.
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
//
// fdlibm.h:
// ====================================================
// Copyright (C) 2004 by Sun Microsystems, Inc. All rights reserved.
//
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================

//! A `no_std` port of Sun's FDLIBM 5.3 (netlib's `fdlibm`), the library
//! whose results `java.lang.StrictMath` is specified to return bit for bit.
//!
//! The port is a line-by-line translation of the C: fdlibm's `__HI(x)` and
//! `__LO(x)` word accesses become [`hi`]/[`lo`] and the `with_*` helpers on
//! `f64::to_bits`, the constants keep their hex words, and every floating
//! expression keeps the C's operation order (Rust never contracts `a*b+c`
//! into a fused multiply-add nor reassociates, so each operation rounds
//! exactly as in the C compiled for IEEE double). Integer arithmetic
//! that C does in `int` or `unsigned` is done in `i32` or `u32` with the
//! same wrapping. Only what `StrictMath` needs is ported: the `__ieee754_*`
//! functions and the `s_*.c` functions themselves, without the `w_*.c`
//! SVID/X-Open error wrappers (which Java does not use).
//!
//! Source: fdlibm 5.3 as published at netlib (www.netlib.org/fdlibm),
//! unchanged in github.com/nicolas-cellier-aka-nice/fdlibm at commit
//! 86f979439eefad3a97ba56af4af0dc2bdad8e74e ("initial import of fdlibm
//! 5.3 from www.netlib.org/fdlibm/").

// `x - x`, `(x - x) / (x - x)` make NaNs (and raise flags) as in the C;
// constants keep the C's decimal digits; loops keep the C's counters.
#![allow(clippy::eq_op, clippy::excessive_precision, clippy::explicit_counter_loop)]

mod cbrt_hypot;
mod exp_log;
mod hyperbolic;
mod inverse_trig;
mod pow;
mod trig;

pub use cbrt_hypot::{cbrt, hypot};
pub use exp_log::{exp, expm1, log, log10, log1p};
pub use hyperbolic::{cosh, sinh, tanh};
pub use inverse_trig::{acos, asin, atan, atan2};
pub use pow::pow;
pub use trig::{cos, sin, tan};

/// `__HI(x)`: the high (sign and exponent) word, as C's `int`.
#[inline]
fn hi(x: f64) -> i32 {
    (x.to_bits() >> 32) as i32
}

/// `__LO(x)`: the low word, as C's `unsigned`.
#[inline]
fn lo(x: f64) -> u32 {
    x.to_bits() as u32
}

/// The double with the given high and low words.
#[inline]
fn from_words(hi: i32, lo: u32) -> f64 {
    f64::from_bits(((hi as u32 as u64) << 32) | lo as u64)
}

/// `__HI(x) = hi`, keeping the low word.
#[inline]
fn with_hi(x: f64, hi: i32) -> f64 {
    from_words(hi, lo(x))
}

/// `__LO(x) = lo`, keeping the high word.
#[inline]
fn with_lo(x: f64, lo: u32) -> f64 {
    from_words(hi(x), lo)
}

/// `__HI(x) += d` (adds to the exponent when `d` is `k << 20`).
#[inline]
fn add_hi(x: f64, d: i32) -> f64 {
    with_hi(x, hi(x).wrapping_add(d))
}

/// s_fabs.c
#[inline]
fn fabs(x: f64) -> f64 {
    with_hi(x, hi(x) & 0x7fffffff)
}

/// s_copysign.c
#[inline]
fn copysign(x: f64, y: f64) -> f64 {
    with_hi(x, (hi(x) & 0x7fffffff) | (hi(y) & 0x80000000u32 as i32))
}

/// s_scalbn.c: `x * 2**n` computed by exponent manipulation.
fn scalbn(mut x: f64, n: i32) -> f64 {
    const TWO54: f64 = f64::from_bits(0x43500000_00000000); // 1.80143985094819840000e+16
    const TWOM54: f64 = f64::from_bits(0x3C900000_00000000); // 5.55111512312578270212e-17
    const HUGE: f64 = 1.0e+300;
    const TINY: f64 = 1.0e-300;
    let mut hx = hi(x);
    let lx = lo(x);
    let mut k = (hx & 0x7ff00000) >> 20; // extract exponent
    if k == 0 {
        // 0 or subnormal x
        if (lx | (hx & 0x7fffffff) as u32) == 0 {
            return x; // +-0
        }
        x *= TWO54;
        hx = hi(x);
        k = ((hx & 0x7ff00000) >> 20) - 54;
        if n < -50000 {
            return TINY * x; // underflow
        }
    }
    if k == 0x7ff {
        return x + x; // NaN or Inf
    }
    k = k.wrapping_add(n);
    if k > 0x7fe {
        return HUGE * copysign(HUGE, x); // overflow
    }
    if k > 0 {
        // normal result
        return with_hi(x, (hx & 0x800fffffu32 as i32) | (k << 20));
    }
    if k <= -54 {
        return if n > 50000 {
            // in case integer overflow in n+k
            HUGE * copysign(HUGE, x) // overflow
        } else {
            TINY * copysign(TINY, x) // underflow
        };
    }
    k += 54; // subnormal result
    x = with_hi(x, (hx & 0x800fffffu32 as i32) | (k << 20));
    x * TWOM54
}

/// s_floor.c: the largest integral value not greater than `x`.
fn floor(x: f64) -> f64 {
    const HUGE: f64 = 1.0e300;
    let mut i0 = hi(x);
    let mut i1 = lo(x);
    let j0 = ((i0 >> 20) & 0x7ff) - 0x3ff;
    if j0 < 20 {
        if j0 < 0 {
            // raise inexact if x != 0
            if HUGE + x > 0.0 {
                // return 0*sign(x) if |x|<1
                if i0 >= 0 {
                    i0 = 0;
                    i1 = 0;
                } else if ((i0 & 0x7fffffff) as u32 | i1) != 0 {
                    i0 = 0xbff00000u32 as i32;
                    i1 = 0;
                }
            }
        } else {
            let i = 0x000fffffu32 >> j0;
            if ((i0 as u32 & i) | i1) == 0 {
                return x; // x is integral
            }
            if HUGE + x > 0.0 {
                // raise inexact flag
                if i0 < 0 {
                    i0 += 0x00100000 >> j0;
                }
                i0 &= !(i as i32);
                i1 = 0;
            }
        }
    } else if j0 > 51 {
        return if j0 == 0x400 { x + x } else { x }; // inf or NaN / integral
    } else {
        let i = 0xffffffffu32 >> (j0 - 20);
        if (i1 & i) == 0 {
            return x; // x is integral
        }
        if HUGE + x > 0.0 {
            // raise inexact flag
            if i0 < 0 {
                if j0 == 20 {
                    i0 += 1;
                } else {
                    let j = i1.wrapping_add(1u32 << (52 - j0));
                    if j < i1 {
                        i0 += 1; // got a carry
                    }
                    i1 = j;
                }
            }
            i1 &= !i;
        }
    }
    from_words(i0, i1)
}

/// e_sqrt.c: the square root, bit by bit; correctly rounded (IEEE 754
/// round to nearest, which is what `StrictMath.sqrt` requires).
pub fn sqrt(x: f64) -> f64 {
    const ONE: f64 = 1.0;
    const TINY: f64 = 1.0e-300;
    const SIGN: u32 = 0x80000000;
    let mut ix0 = hi(x);
    let mut ix1 = lo(x);

    // take care of Inf and NaN
    if (ix0 & 0x7ff00000) == 0x7ff00000 {
        return x * x + x; // sqrt(NaN)=NaN, sqrt(+inf)=+inf, sqrt(-inf)=sNaN
    }
    // take care of zero
    if ix0 <= 0 {
        if ((ix0 & !(SIGN as i32)) as u32 | ix1) == 0 {
            return x; // sqrt(+-0) = +-0
        } else if ix0 < 0 {
            return (x - x) / (x - x); // sqrt(-ve) = sNaN
        }
    }
    // normalize x
    let mut m = ix0 >> 20;
    if m == 0 {
        // subnormal x
        while ix0 == 0 {
            m -= 21;
            ix0 |= (ix1 >> 11) as i32;
            ix1 <<= 21;
        }
        let mut i = 0;
        while (ix0 & 0x00100000) == 0 {
            ix0 <<= 1;
            i += 1;
        }
        m -= i - 1;
        // C shifts `ix1 >> (32-i)`, undefined for i == 0; 0 is meant.
        if i > 0 {
            ix0 |= (ix1 >> (32 - i)) as i32;
            ix1 <<= i;
        }
    }
    m -= 1023; // unbias exponent
    ix0 = (ix0 & 0x000fffff) | 0x00100000;
    if m & 1 != 0 {
        // odd m, double x to make it even
        ix0 = ix0.wrapping_add(ix0).wrapping_add(((ix1 & SIGN) >> 31) as i32);
        ix1 = ix1.wrapping_add(ix1);
    }
    m >>= 1; // m = [m/2]

    // generate sqrt(x) bit by bit
    ix0 = ix0.wrapping_add(ix0).wrapping_add(((ix1 & SIGN) >> 31) as i32);
    ix1 = ix1.wrapping_add(ix1);
    let (mut q, mut q1, mut s0, mut s1): (i32, u32, i32, u32) = (0, 0, 0, 0); // [q,q1] = sqrt(x)
    let mut r: u32 = 0x00200000; // r = moving bit from right to left

    while r != 0 {
        let t = s0.wrapping_add(r as i32);
        if t <= ix0 {
            s0 = t.wrapping_add(r as i32);
            ix0 -= t;
            q += r as i32;
        }
        ix0 = ix0.wrapping_add(ix0).wrapping_add(((ix1 & SIGN) >> 31) as i32);
        ix1 = ix1.wrapping_add(ix1);
        r >>= 1;
    }

    r = SIGN;
    while r != 0 {
        let t1 = s1.wrapping_add(r);
        let t = s0;
        if (t < ix0) || ((t == ix0) && (t1 <= ix1)) {
            s1 = t1.wrapping_add(r);
            if ((t1 & SIGN) == SIGN) && (s1 & SIGN) == 0 {
                s0 += 1;
            }
            ix0 -= t;
            if ix1 < t1 {
                ix0 -= 1;
            }
            ix1 = ix1.wrapping_sub(t1);
            q1 = q1.wrapping_add(r);
        }
        ix0 = ix0.wrapping_add(ix0).wrapping_add(((ix1 & SIGN) >> 31) as i32);
        ix1 = ix1.wrapping_add(ix1);
        r >>= 1;
    }

    // use floating add to find out rounding direction
    if (ix0 as u32 | ix1) != 0 {
        let mut z = ONE - TINY; // trigger inexact flag
        if z >= ONE {
            z = ONE + TINY;
            if q1 == 0xffffffff {
                q1 = 0;
                q += 1;
            } else if z > ONE {
                if q1 == 0xfffffffe {
                    q += 1;
                }
                q1 = q1.wrapping_add(2);
            } else {
                q1 += q1 & 1;
            }
        }
    }
    ix0 = (q >> 1) + 0x3fe00000;
    ix1 = q1 >> 1;
    if (q & 1) == 1 {
        ix1 |= SIGN;
    }
    ix0 = ix0.wrapping_add(m << 20);
    from_words(ix0, ix1)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    fn b(x: f64) -> u64 {
        x.to_bits()
    }

    /// Results of JDK 17's `StrictMath` (fdlibm), bit for bit, with their
    /// `Double.toString`; the full comparison against the JDK is
    /// tests/interp_math.rs.
    #[test]
    fn known_values() {
        let pi = f64::from_bits(0x400921FB_54442D18);
        let cases: &[(f64, u64)] = &[
            (sin(pi), 0x3CA1A62633145C07),             // 1.2246467991473532E-16
            (cos(pi), 0xBFF0000000000000),             // -1.0
            (tan(pi / 4.0), 0x3FEFFFFFFFFFFFFF),       // 0.9999999999999999
            (sin(1e300), 0xBFEA2C16B010E385),          // -0.8178819121159085
            (cos(1e22), 0x3FE0BE2CEF01C8F4),           // 0.523214785395139
            (asin(1.0), 0x3FF921FB54442D18),           // 1.5707963267948966
            (acos(0.3), 0x3FF441F5ECBEEF59),           // 1.2661036727794992
            (atan(0.5), 0x3FDDAC670561BB4F),           // 0.4636476090008061
            (atan2(1.0, 2.0), 0x3FDDAC670561BB4F),     // 0.4636476090008061
            (exp(1.0), 0x4005BF0A8B14576A),            // 2.7182818284590455 (not correctly rounded)
            (exp(-745.0), 0x0000000000000001),         // 4.9E-324
            (log(10.0), 0x40026BB1BBB55516),           // 2.302585092994046
            (log10(2.0), 0x3FD34413509F79FF),          // 0.3010299956639812
            (sinh(1.0), 0x3FF2CD9FC44EB982),           // 1.1752011936438014
            (cosh(1.0), 0x3FF8B07551D9F551),           // 1.543080634815244
            (tanh(1.0), 0x3FE85EFAB514F394),           // 0.7615941559557649
            (expm1(1e-10), 0x3DDB7CDFD9DDA4E3),        // 1.00000000005E-10
            (log1p(0.5), 0x3FD9F323ECBF984C),          // 0.4054651081081644
            (pow(10.0, -3.0), 0x3F50624DD2F1A9FC),     // 0.001
            (pow(1.0000001, 1e9), 0x48F349445C228792), // 2.6881038582144647E43
            (cbrt(2.0), 0x3FF428A2F98D728B),           // 1.2599210498948732
            (hypot(1.0, 1.0), 0x3FF6A09E667F3BCD),     // 1.4142135623730951
            (sqrt(2.0), 0x3FF6A09E667F3BCD),           // 1.4142135623730951
        ];
        for (i, &(got, want)) in cases.iter().enumerate() {
            assert_eq!(b(got), want, "case {i}: got {got:e}");
        }
        // Special values (Java's StrictMath specification).
        assert_eq!(b(sin(-0.0)), b(-0.0));
        assert_eq!(b(acos(-1.0)), b(pi));
        assert_eq!(b(atan2(-0.0, -1.0)), b(-pi));
        assert_eq!(b(exp(710.0)), b(f64::INFINITY));
        assert_eq!(b(log(0.0)), b(f64::NEG_INFINITY));
        assert!(log(-1.0).is_nan());
        assert_eq!(b(log10(1000.0)), b(3.0));
        assert_eq!(b(cbrt(-8.0)), b(-2.0));
        assert_eq!(b(log1p(-1.0)), b(f64::NEG_INFINITY));
        assert_eq!(b(pow(-2.0, 3.0)), b(-8.0));
        assert!(pow(-2.0, 0.5).is_nan());
        assert_eq!(b(pow(-0.0, -3.0)), b(f64::NEG_INFINITY));
        assert_eq!(b(pow(-0.0, 0.5)), b(0.0));
        assert!(pow(1.0, f64::INFINITY).is_nan());
        assert_eq!(b(pow(f64::NAN, 0.0)), b(1.0));
        assert_eq!(b(hypot(f64::INFINITY, f64::NAN)), b(f64::INFINITY));
        assert_eq!(b(sqrt(-0.0)), b(-0.0));
        assert!(sqrt(-1.0).is_nan());
        assert_eq!(b(sqrt(f64::from_bits(1))), 0x1E60000000000000); // 2^-537
    }

    /// e_sqrt.c against the correctly rounded square root (IEEE 754),
    /// including subnormals.
    #[test]
    fn sqrt_is_correctly_rounded() {
        let mut s: u64 = 0x9E3779B97F4A7C15;
        for i in 0..200_000u64 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            // Every fourth input subnormal.
            let bits = if i % 4 == 0 { s >> 12 } else { s & 0x7fff_ffff_ffff_ffff };
            let x = f64::from_bits(bits);
            assert_eq!(b(sqrt(x)), b(std::primitive::f64::sqrt(x)), "sqrt({x:e})");
        }
    }
}
