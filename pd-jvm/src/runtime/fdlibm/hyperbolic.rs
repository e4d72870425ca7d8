// Ported to Rust from FDLIBM 5.3 (e_sinh.c, e_cosh.c, s_tanh.c), whose
// notice follows.
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================

//! sinh, cosh, tanh.

use super::{exp, expm1, fabs, hi, lo};

const ONE: f64 = 1.0;

/// e_sinh.c
pub fn sinh(x: f64) -> f64 {
    const SHUGE: f64 = 1.0e307;

    // High word of |x|.
    let jx = hi(x);
    let ix = jx & 0x7fffffff;

    // x is INF or NaN
    if ix >= 0x7ff00000 {
        return x + x;
    }

    let h = if jx < 0 { -0.5 } else { 0.5 };
    // |x| in [0,22], return sign(x)*0.5*(E+E/(E+1)))
    if ix < 0x40360000 {
        // |x|<22
        if ix < 0x3e300000 {
            // |x|<2**-28
            if SHUGE + x > ONE {
                return x; // sinh(tiny) = tiny with inexact
            }
        }
        let t = expm1(fabs(x));
        if ix < 0x3ff00000 {
            return h * (2.0 * t - t * t / (t + ONE));
        }
        return h * (t + t / (t + ONE));
    }

    // |x| in [22, log(maxdouble)] return 0.5*exp(|x|)
    if ix < 0x40862E42 {
        return h * exp(fabs(x));
    }

    // |x| in [log(maxdouble), overflowthresold]
    let lx = lo(x);
    if ix < 0x408633CE || (ix == 0x408633ce && lx <= 0x8fb9f87d) {
        let w = exp(0.5 * fabs(x));
        let t = h * w;
        return t * w;
    }

    // |x| > overflowthresold, sinh(x) overflow
    x * SHUGE
}

/// e_cosh.c
pub fn cosh(x: f64) -> f64 {
    const HALF: f64 = 0.5;
    const HUGE: f64 = 1.0e300;

    // High word of |x|.
    let ix = hi(x) & 0x7fffffff;

    // x is INF or NaN
    if ix >= 0x7ff00000 {
        return x * x;
    }

    // |x| in [0,0.5*ln2], return 1+expm1(|x|)^2/(2*exp(|x|))
    if ix < 0x3fd62e43 {
        let t = expm1(fabs(x));
        let w = ONE + t;
        if ix < 0x3c800000 {
            return w; // cosh(tiny) = 1
        }
        return ONE + (t * t) / (w + w);
    }

    // |x| in [0.5*ln2,22], return (exp(|x|)+1/exp(|x|)/2;
    if ix < 0x40360000 {
        let t = exp(fabs(x));
        return HALF * t + HALF / t;
    }

    // |x| in [22, log(maxdouble)] return half*exp(|x|)
    if ix < 0x40862E42 {
        return HALF * exp(fabs(x));
    }

    // |x| in [log(maxdouble), overflowthresold]
    let lx = lo(x);
    if ix < 0x408633CE || (ix == 0x408633ce && lx <= 0x8fb9f87d) {
        let w = exp(HALF * fabs(x));
        let t = HALF * w;
        return t * w;
    }

    // |x| > overflowthresold, cosh(x) overflow
    HUGE * HUGE
}

/// s_tanh.c
pub fn tanh(x: f64) -> f64 {
    const TWO: f64 = 2.0;
    const TINY: f64 = 1.0e-300;

    // High word of |x|.
    let jx = hi(x);
    let ix = jx & 0x7fffffff;

    // x is INF or NaN
    if ix >= 0x7ff00000 {
        if jx >= 0 {
            return ONE / x + ONE; // tanh(+-inf)=+-1
        } else {
            return ONE / x - ONE; // tanh(NaN) = NaN
        }
    }

    let z;
    // |x| < 22
    if ix < 0x40360000 {
        // |x|<22
        if ix < 0x3c800000 {
            // |x|<2**-55
            return x * (ONE + x); // tanh(small) = small
        }
        if ix >= 0x3ff00000 {
            // |x|>=1
            let t = expm1(TWO * fabs(x));
            z = ONE - TWO / (t + TWO);
        } else {
            let t = expm1(-TWO * fabs(x));
            z = -t / (t + TWO);
        }
    } else {
        // |x| > 22, return +-1
        z = ONE - TINY; // raised inexact flag
    }
    if jx >= 0 {
        z
    } else {
        -z
    }
}
