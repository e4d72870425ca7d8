// Ported to Rust from FDLIBM 5.3 (e_asin.c, e_acos.c, s_atan.c,
// e_atan2.c), whose notice follows.
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================

//! asin, acos, atan, atan2.

use super::{fabs, hi, lo, sqrt, with_hi, with_lo};

const ONE: f64 = f64::from_bits(0x3FF00000_00000000); // 1.00000000000000000000e+00
const PI: f64 = f64::from_bits(0x400921FB_54442D18); // 3.14159265358979311600e+00
const PIO2_HI: f64 = f64::from_bits(0x3FF921FB_54442D18); // 1.57079632679489655800e+00
const PIO2_LO: f64 = f64::from_bits(0x3C91A626_33145C07); // 6.12323399573676603587e-17
const PIO4_HI: f64 = f64::from_bits(0x3FE921FB_54442D18); // 7.85398163397448278999e-01
                                                          // coefficients for R(x^2)
const PS0: f64 = f64::from_bits(0x3FC55555_55555555); // 1.66666666666666657415e-01
const PS1: f64 = f64::from_bits(0xBFD4D612_03EB6F7D); // -3.25565818622400915405e-01
const PS2: f64 = f64::from_bits(0x3FC9C155_0E884455); // 2.01212532134862925881e-01
const PS3: f64 = f64::from_bits(0xBFA48228_B5688F3B); // -4.00555345006794114027e-02
const PS4: f64 = f64::from_bits(0x3F49EFE0_7501B288); // 7.91534994289814532176e-04
const PS5: f64 = f64::from_bits(0x3F023DE1_0DFDF709); // 3.47933107596021167570e-05
const QS1: f64 = f64::from_bits(0xC0033A27_1C8A2D4B); // -2.40339491173441421878e+00
const QS2: f64 = f64::from_bits(0x40002AE5_9C598AC8); // 2.02094576023350569471e+00
const QS3: f64 = f64::from_bits(0xBFE6066C_1B8D0159); // -6.88283971605453293030e-01
const QS4: f64 = f64::from_bits(0x3FB3B8C5_B12E9282); // 7.70381505559019352791e-02

/// e_asin.c
pub fn asin(x: f64) -> f64 {
    const HUGE: f64 = 1.000e+300;
    let hx = hi(x);
    let ix = hx & 0x7fffffff;
    if ix >= 0x3ff00000 {
        // |x|>= 1
        if ((ix - 0x3ff00000) as u32 | lo(x)) == 0 {
            // asin(1)=+-pi/2 with inexact
            return x * PIO2_HI + x * PIO2_LO;
        }
        return (x - x) / (x - x); // asin(|x|>1) is NaN
    } else if ix < 0x3fe00000 {
        // |x|<0.5
        if ix < 0x3e400000 {
            // if |x| < 2**-27
            if HUGE + x > ONE {
                return x; // return x with inexact if x!=0
            }
        }
        // (In the C, `t = x*x` is the `else` of the test above, which
        // always returns: the rest is the same either way.)
        let t = x * x;
        let p = t * (PS0 + t * (PS1 + t * (PS2 + t * (PS3 + t * (PS4 + t * PS5)))));
        let q = ONE + t * (QS1 + t * (QS2 + t * (QS3 + t * QS4)));
        let w = p / q;
        return x + x * w;
    }
    // 1> |x|>= 0.5
    let w = ONE - fabs(x);
    let t = w * 0.5;
    let p = t * (PS0 + t * (PS1 + t * (PS2 + t * (PS3 + t * (PS4 + t * PS5)))));
    let q = ONE + t * (QS1 + t * (QS2 + t * (QS3 + t * QS4)));
    let s = sqrt(t);
    let t = if ix >= 0x3FEF3333 {
        // if |x| > 0.975
        let w = p / q;
        PIO2_HI - (2.0 * (s + s * w) - PIO2_LO)
    } else {
        let w = with_lo(s, 0);
        let c = (t - w * w) / (s + w);
        let r = p / q;
        let p = 2.0 * s * r - (PIO2_LO - 2.0 * c);
        let q = PIO4_HI - 2.0 * w;
        PIO4_HI - (p - q)
    };
    if hx > 0 {
        t
    } else {
        -t
    }
}

/// e_acos.c
pub fn acos(x: f64) -> f64 {
    let hx = hi(x);
    let ix = hx & 0x7fffffff;
    if ix >= 0x3ff00000 {
        // |x| >= 1
        if ((ix - 0x3ff00000) as u32 | lo(x)) == 0 {
            // |x|==1
            if hx > 0 {
                return 0.0; // acos(1) = 0
            } else {
                return PI + 2.0 * PIO2_LO; // acos(-1)= pi
            }
        }
        return (x - x) / (x - x); // acos(|x|>1) is NaN
    }
    if ix < 0x3fe00000 {
        // |x| < 0.5
        if ix <= 0x3c600000 {
            return PIO2_HI + PIO2_LO; // if|x|<2**-57
        }
        let z = x * x;
        let p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
        let q = ONE + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
        let r = p / q;
        PIO2_HI - (x - (PIO2_LO - x * r))
    } else if hx < 0 {
        // x < -0.5
        let z = (ONE + x) * 0.5;
        let p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
        let q = ONE + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
        let s = sqrt(z);
        let r = p / q;
        let w = r * s - PIO2_LO;
        PI - 2.0 * (s + w)
    } else {
        // x > 0.5
        let z = (ONE - x) * 0.5;
        let s = sqrt(z);
        let df = with_lo(s, 0);
        let c = (z - df * df) / (s + df);
        let p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
        let q = ONE + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
        let r = p / q;
        let w = r * s + c;
        2.0 * (df + w)
    }
}

/// s_atan.c
pub fn atan(mut x: f64) -> f64 {
    const ATANHI: [f64; 4] = [
        f64::from_bits(0x3FDDAC67_0561BB4F), // 4.63647609000806093515e-01 atan(0.5)hi
        f64::from_bits(0x3FE921FB_54442D18), // 7.85398163397448278999e-01 atan(1.0)hi
        f64::from_bits(0x3FEF730B_D281F69B), // 9.82793723247329054082e-01 atan(1.5)hi
        f64::from_bits(0x3FF921FB_54442D18), // 1.57079632679489655800e+00 atan(inf)hi
    ];
    const ATANLO: [f64; 4] = [
        f64::from_bits(0x3C7A2B7F_222F65E2), // 2.26987774529616870924e-17 atan(0.5)lo
        f64::from_bits(0x3C81A626_33145C07), // 3.06161699786838301793e-17 atan(1.0)lo
        f64::from_bits(0x3C700788_7AF0CBBD), // 1.39033110312309984516e-17 atan(1.5)lo
        f64::from_bits(0x3C91A626_33145C07), // 6.12323399573676603587e-17 atan(inf)lo
    ];
    const AT: [f64; 11] = [
        f64::from_bits(0x3FD55555_5555550D), // 3.33333333333329318027e-01
        f64::from_bits(0xBFC99999_9998EBC4), // -1.99999999998764832476e-01
        f64::from_bits(0x3FC24924_920083FF), // 1.42857142725034663711e-01
        f64::from_bits(0xBFBC71C6_FE231671), // -1.11111104054623557880e-01
        f64::from_bits(0x3FB745CD_C54C206E), // 9.09088713343650656196e-02
        f64::from_bits(0xBFB3B0F2_AF749A6D), // -7.69187620504482999495e-02
        f64::from_bits(0x3FB10D66_A0D03D51), // 6.66107313738753120669e-02
        f64::from_bits(0xBFADDE2D_52DEFD9A), // -5.83357013379057348645e-02
        f64::from_bits(0x3FA97B4B_24760DEB), // 4.97687799461593236017e-02
        f64::from_bits(0xBFA2B444_2C6A6C2F), // -3.65315727442169155270e-02
        f64::from_bits(0x3F90AD3A_E322DA11), // 1.62858201153657823623e-02
    ];
    const HUGE: f64 = 1.0e300;

    let hx = hi(x);
    let ix = hx & 0x7fffffff;
    let id: i32;
    if ix >= 0x44100000 {
        // if |x| >= 2^66
        if ix > 0x7ff00000 || (ix == 0x7ff00000 && (lo(x) != 0)) {
            return x + x; // NaN
        }
        if hx > 0 {
            return ATANHI[3] + ATANLO[3];
        } else {
            return -ATANHI[3] - ATANLO[3];
        }
    }
    if ix < 0x3fdc0000 {
        // |x| < 0.4375
        if ix < 0x3e200000 {
            // |x| < 2^-29
            if HUGE + x > ONE {
                return x; // raise inexact
            }
        }
        id = -1;
    } else {
        x = fabs(x);
        if ix < 0x3ff30000 {
            // |x| < 1.1875
            if ix < 0x3fe60000 {
                // 7/16 <=|x|<11/16
                id = 0;
                x = (2.0 * x - ONE) / (2.0 + x);
            } else {
                // 11/16<=|x|< 19/16
                id = 1;
                x = (x - ONE) / (x + ONE);
            }
        } else if ix < 0x40038000 {
            // |x| < 2.4375
            id = 2;
            x = (x - 1.5) / (ONE + 1.5 * x);
        } else {
            // 2.4375 <= |x| < 2^66
            id = 3;
            x = -1.0 / x;
        }
    }
    // end of argument reduction
    let z = x * x;
    let w = z * z;
    // break sum from i=0 to 10 aT[i]z**(i+1) into odd and even poly
    let s1 = z * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
    let s2 = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
    if id < 0 {
        x - x * (s1 + s2)
    } else {
        let id = id as usize;
        let z = ATANHI[id] - ((x * (s1 + s2) - ATANLO[id]) - x);
        if hx < 0 {
            -z
        } else {
            z
        }
    }
}

/// e_atan2.c: `atan2(y, x)`.
pub fn atan2(y: f64, x: f64) -> f64 {
    const TINY: f64 = 1.0e-300;
    const ZERO: f64 = 0.0;
    const PI_O_4: f64 = f64::from_bits(0x3FE921FB_54442D18); // 7.8539816339744827900E-01
    const PI_O_2: f64 = f64::from_bits(0x3FF921FB_54442D18); // 1.5707963267948965580E+00
    const PI_LO: f64 = f64::from_bits(0x3CA1A626_33145C07); // 1.2246467991473531772E-16

    let hx = hi(x);
    let ix = hx & 0x7fffffff;
    let lx = lo(x);
    let hy = hi(y);
    let iy = hy & 0x7fffffff;
    let ly = lo(y);
    if ((ix as u32 | ((lx | lx.wrapping_neg()) >> 31)) > 0x7ff00000)
        || ((iy as u32 | ((ly | ly.wrapping_neg()) >> 31)) > 0x7ff00000)
    {
        // x or y is NaN
        return x + y;
    }
    if (hx.wrapping_sub(0x3ff00000) as u32 | lx) == 0 {
        return atan(y); // x=1.0
    }
    let m = ((hy >> 31) & 1) | ((hx >> 30) & 2); // 2*sign(x)+sign(y)

    // when y = 0
    if (iy as u32 | ly) == 0 {
        match m {
            0 | 1 => return y,      // atan(+-0,+anything)=+-0
            2 => return PI + TINY,  // atan(+0,-anything) = pi
            _ => return -PI - TINY, // atan(-0,-anything) =-pi
        }
    }
    // when x = 0
    if (ix as u32 | lx) == 0 {
        return if hy < 0 { -PI_O_2 - TINY } else { PI_O_2 + TINY };
    }

    // when x is INF
    if ix == 0x7ff00000 {
        if iy == 0x7ff00000 {
            match m {
                0 => return PI_O_4 + TINY,        // atan(+INF,+INF)
                1 => return -PI_O_4 - TINY,       // atan(-INF,+INF)
                2 => return 3.0 * PI_O_4 + TINY,  // atan(+INF,-INF)
                _ => return -3.0 * PI_O_4 - TINY, // atan(-INF,-INF)
            }
        } else {
            match m {
                0 => return ZERO,       // atan(+...,+INF)
                1 => return -ZERO,      // atan(-...,+INF)
                2 => return PI + TINY,  // atan(+...,-INF)
                _ => return -PI - TINY, // atan(-...,-INF)
            }
        }
    }
    // when y is INF
    if iy == 0x7ff00000 {
        return if hy < 0 { -PI_O_2 - TINY } else { PI_O_2 + TINY };
    }

    // compute y/x
    let k = (iy - ix) >> 20;
    let z = if k > 60 {
        PI_O_2 + 0.5 * PI_LO // |y/x| >  2**60
    } else if hx < 0 && k < -60 {
        0.0 // |y|/x < -2**60
    } else {
        atan(fabs(y / x)) // safe to do y/x
    };
    match m {
        0 => z,                                        // atan(+,+)
        1 => with_hi(z, hi(z) ^ 0x80000000u32 as i32), // atan(-,+)
        2 => PI - (z - PI_LO),                         // atan(+,-)
        _ => (z - PI_LO) - PI,                         // atan(-,-)
    }
}
