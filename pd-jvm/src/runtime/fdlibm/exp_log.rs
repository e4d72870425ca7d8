// Ported to Rust from FDLIBM 5.3 (e_exp.c, e_log.c, e_log10.c, s_expm1.c,
// s_log1p.c), whose notices follow.
//
// e_log.c, e_log10.c, s_log1p.c:
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
//
// e_exp.c, s_expm1.c:
// ====================================================
// Copyright (C) 2004 by Sun Microsystems, Inc. All rights reserved.
//
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================

//! exp, log, log10, expm1, log1p.

use super::{add_hi, from_words, hi, lo, with_hi};

const ONE: f64 = 1.0;
const HUGE: f64 = 1.0e+300;
const O_THRESHOLD: f64 = f64::from_bits(0x40862E42_FEFA39EF); // 7.09782712893383973096e+02
const LN2_HI: f64 = f64::from_bits(0x3FE62E42_FEE00000); // 6.93147180369123816490e-01
const LN2_LO: f64 = f64::from_bits(0x3DEA39EF_35793C76); // 1.90821492927058770002e-10
const INVLN2: f64 = f64::from_bits(0x3FF71547_652B82FE); // 1.44269504088896338700e+00
const TWO54: f64 = f64::from_bits(0x43500000_00000000); // 1.80143985094819840000e+16

/// e_exp.c
pub fn exp(mut x: f64) -> f64 {
    const HALF: [f64; 2] = [0.5, -0.5];
    const TWOM1000: f64 = f64::from_bits(0x01700000_00000000); // 9.33263618503218878990e-302 = 2**-1000
    const U_THRESHOLD: f64 = f64::from_bits(0xC0874910_D52D3051); // -7.45133219101941108420e+02
    const LN2HI: [f64; 2] = [LN2_HI, f64::from_bits(0xBFE62E42_FEE00000)];
    const LN2LO: [f64; 2] = [LN2_LO, f64::from_bits(0xBDEA39EF_35793C76)];
    const P1: f64 = f64::from_bits(0x3FC55555_5555553E); // 1.66666666666666019037e-01
    const P2: f64 = f64::from_bits(0xBF66C16C_16BEBD93); // -2.77777777770155933842e-03
    const P3: f64 = f64::from_bits(0x3F11566A_AF25DE2C); // 6.61375632143793436117e-05
    const P4: f64 = f64::from_bits(0xBEBBBD41_C5D26BF1); // -1.65339022054652515390e-06
    const P5: f64 = f64::from_bits(0x3E663769_72BEA4D0); // 4.13813679705723846039e-08

    let mut hx = hi(x) as u32; // high word of x
    let xsb = ((hx >> 31) & 1) as usize; // sign bit of x
    hx &= 0x7fffffff; // high word of |x|

    // filter out non-finite argument
    if hx >= 0x40862E42 {
        // if |x|>=709.78...
        if hx >= 0x7ff00000 {
            if ((hx & 0xfffff) | lo(x)) != 0 {
                return x + x; // NaN
            } else {
                return if xsb == 0 { x } else { 0.0 }; // exp(+-inf)={inf,0}
            }
        }
        if x > O_THRESHOLD {
            return HUGE * HUGE; // overflow
        }
        if x < U_THRESHOLD {
            return TWOM1000 * TWOM1000; // underflow
        }
    }

    // argument reduction
    let (hi_, lo_, k): (f64, f64, i32);
    if hx > 0x3fd62e42 {
        // if  |x| > 0.5 ln2
        if hx < 0x3FF0A2B2 {
            // and |x| < 1.5 ln2
            hi_ = x - LN2HI[xsb];
            lo_ = LN2LO[xsb];
            k = 1 - xsb as i32 - xsb as i32;
        } else {
            k = (INVLN2 * x + HALF[xsb]) as i32;
            let t = k as f64;
            hi_ = x - t * LN2HI[0]; // t*ln2HI is exact here
            lo_ = t * LN2LO[0];
        }
        x = hi_ - lo_;
    } else if hx < 0x3e300000 {
        // when |x|<2**-28: the C returns one+x if huge+x>one (always
        // true; the test only raises inexact)
        return ONE + x;
    } else {
        (hi_, lo_, k) = (0.0, 0.0, 0);
    }

    // x is now in primary range
    let t = x * x;
    let c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    if k == 0 {
        return ONE - ((x * c) / (c - 2.0) - x);
    }
    let y = ONE - ((lo_ - (x * c) / (2.0 - c)) - hi_);
    if k >= -1021 {
        add_hi(y, k << 20) // add k to y's exponent
    } else {
        add_hi(y, (k + 1000) << 20) * TWOM1000 // add k to y's exponent
    }
}

/// e_log.c: the natural logarithm.
pub fn log(mut x: f64) -> f64 {
    const LG1: f64 = f64::from_bits(0x3FE55555_55555593); // 6.666666666666735130e-01
    const LG2: f64 = f64::from_bits(0x3FD99999_9997FA04); // 3.999999999940941908e-01
    const LG3: f64 = f64::from_bits(0x3FD24924_94229359); // 2.857142874366239149e-01
    const LG4: f64 = f64::from_bits(0x3FCC71C5_1D8E78AF); // 2.222219843214978396e-01
    const LG5: f64 = f64::from_bits(0x3FC74664_96CB03DE); // 1.818357216161805012e-01
    const LG6: f64 = f64::from_bits(0x3FC39A09_D078C69F); // 1.531383769920937332e-01
    const LG7: f64 = f64::from_bits(0x3FC2F112_DF3E5244); // 1.479819860511658591e-01
    let zero = 0.0;

    let mut hx = hi(x); // high word of x
    let lx = lo(x); // low  word of x

    let mut k = 0;
    if hx < 0x00100000 {
        // x < 2**-1022
        if ((hx & 0x7fffffff) as u32 | lx) == 0 {
            return -TWO54 / zero; // log(+-0)=-inf
        }
        if hx < 0 {
            return (x - x) / zero; // log(-#) = NaN
        }
        k -= 54;
        x *= TWO54; // subnormal number, scale up x
        hx = hi(x); // high word of x
    }
    if hx >= 0x7ff00000 {
        return x + x;
    }
    k += (hx >> 20) - 1023;
    hx &= 0x000fffff;
    let mut i = (hx + 0x95f64) & 0x100000;
    x = with_hi(x, hx | (i ^ 0x3ff00000)); // normalize x or x/2
    k += i >> 20;
    let f = x - 1.0;
    if (0x000fffff & (2 + hx)) < 3 {
        // |f| < 2**-20
        if f == zero {
            if k == 0 {
                return zero;
            } else {
                let dk = k as f64;
                return dk * LN2_HI + dk * LN2_LO;
            }
        }
        let r = f * f * (0.5 - 0.33333333333333333 * f);
        if k == 0 {
            return f - r;
        } else {
            let dk = k as f64;
            return dk * LN2_HI - ((r - dk * LN2_LO) - f);
        }
    }
    let s = f / (2.0 + f);
    let dk = k as f64;
    let z = s * s;
    i = hx - 0x6147a;
    let w = z * z;
    let j = 0x6b851 - hx;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    i |= j;
    let r = t2 + t1;
    if i > 0 {
        let hfsq = 0.5 * f * f;
        if k == 0 {
            f - (hfsq - s * (hfsq + r))
        } else {
            dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f)
        }
    } else if k == 0 {
        f - s * (f - r)
    } else {
        dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f)
    }
}

/// e_log10.c
pub fn log10(mut x: f64) -> f64 {
    const IVLN10: f64 = f64::from_bits(0x3FDBCB7B_1526E50E); // 4.34294481903251816668e-01
    const LOG10_2HI: f64 = f64::from_bits(0x3FD34413_509F6000); // 3.01029995663611771306e-01
    const LOG10_2LO: f64 = f64::from_bits(0x3D59FEF3_11F12B36); // 3.69423907715893078616e-13
    let zero = 0.0;

    let mut hx = hi(x); // high word of x
    let lx = lo(x); // low word of x

    let mut k = 0;
    if hx < 0x00100000 {
        // x < 2**-1022
        if ((hx & 0x7fffffff) as u32 | lx) == 0 {
            return -TWO54 / zero; // log(+-0)=-inf
        }
        if hx < 0 {
            return (x - x) / zero; // log(-#) = NaN
        }
        k -= 54;
        x *= TWO54; // subnormal number, scale up x
        hx = hi(x); // high word of x
    }
    if hx >= 0x7ff00000 {
        return x + x;
    }
    k += (hx >> 20) - 1023;
    let i = ((k as u32 & 0x80000000) >> 31) as i32;
    hx = (hx & 0x000fffff) | ((0x3ff - i) << 20);
    let y = (k + i) as f64;
    x = with_hi(x, hx);
    let z = y * LOG10_2LO + IVLN10 * log(x);
    z + y * LOG10_2HI
}

/// s_expm1.c: `exp(x) - 1`.
pub fn expm1(mut x: f64) -> f64 {
    const TINY: f64 = 1.0e-300;
    // scaled coefficients related to expm1
    const Q1: f64 = f64::from_bits(0xBFA11111_111110F4); // -3.33333333333331316428e-02
    const Q2: f64 = f64::from_bits(0x3F5A01A0_19FE5585); // 1.58730158725481460165e-03
    const Q3: f64 = f64::from_bits(0xBF14CE19_9EAADBB7); // -7.93650757867487942473e-05
    const Q4: f64 = f64::from_bits(0x3ED0CFCA_86E65239); // 4.00821782732936239552e-06
    const Q5: f64 = f64::from_bits(0xBE8AFDB7_6E09C32D); // -2.01099218183624371326e-07

    let mut hx = hi(x) as u32; // high word of x
    let xsb = hx & 0x80000000; // sign bit of x
    hx &= 0x7fffffff; // high word of |x|

    // filter out huge and non-finite argument
    if hx >= 0x4043687A {
        // if |x|>=56*ln2
        if hx >= 0x40862E42 {
            // if |x|>=709.78...
            if hx >= 0x7ff00000 {
                if ((hx & 0xfffff) | lo(x)) != 0 {
                    return x + x; // NaN
                } else {
                    return if xsb == 0 { x } else { -1.0 }; // exp(+-inf)={inf,-1}
                }
            }
            if x > O_THRESHOLD {
                return HUGE * HUGE; // overflow
            }
        }
        if xsb != 0 {
            // x < -56*ln2, return -1.0 with inexact
            if x + TINY < 0.0 {
                // raise inexact
                return TINY - ONE; // return -1
            }
        }
    }

    // argument reduction
    let (k, c): (i32, f64);
    if hx > 0x3fd62e42 {
        // if  |x| > 0.5 ln2
        let (hi_, lo_);
        if hx < 0x3FF0A2B2 {
            // and |x| < 1.5 ln2
            if xsb == 0 {
                hi_ = x - LN2_HI;
                lo_ = LN2_LO;
                k = 1;
            } else {
                hi_ = x + LN2_HI;
                lo_ = -LN2_LO;
                k = -1;
            }
        } else {
            k = (INVLN2 * x + (if xsb == 0 { 0.5 } else { -0.5 })) as i32;
            let t = k as f64;
            hi_ = x - t * LN2_HI; // t*ln2_hi is exact here
            lo_ = t * LN2_LO;
        }
        x = hi_ - lo_;
        c = (hi_ - x) - lo_;
    } else if hx < 0x3c900000 {
        // when |x|<2**-54, return x
        let t = HUGE + x; // return x with inexact flags when x!=0
        return x - (t - (HUGE + x));
    } else {
        k = 0;
        c = 0.0;
    }

    // x is now in primary range
    let hfx = 0.5 * x;
    let hxs = x * hfx;
    let r1 = ONE + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
    let t = 3.0 - r1 * hfx;
    let mut e = hxs * ((r1 - t) / (6.0 - x * t));
    if k == 0 {
        return x - (x * e - hxs); // c is 0
    }
    e = x * (e - c) - c;
    e -= hxs;
    if k == -1 {
        return 0.5 * (x - e) - 0.5;
    }
    if k == 1 {
        if x < -0.25 {
            return -2.0 * (e - (x + 0.5));
        } else {
            return ONE + 2.0 * (x - e);
        }
    }
    if k <= -2 || k > 56 {
        // suffice to return exp(x)-1
        let y = ONE - (e - x);
        let y = add_hi(y, k << 20); // add k to y's exponent
        return y - ONE;
    }
    if k < 20 {
        let t = from_words(0x3ff00000 - (0x200000 >> k), 0); // t=1-2^-k
        let y = t - (e - x);
        add_hi(y, k << 20) // add k to y's exponent
    } else {
        let t = from_words((0x3ff - k) << 20, 0); // 2^-k
        let mut y = x - (e + t);
        y += ONE;
        add_hi(y, k << 20) // add k to y's exponent
    }
}

/// s_log1p.c: `log(1 + x)`.
pub fn log1p(x: f64) -> f64 {
    const LP1: f64 = f64::from_bits(0x3FE55555_55555593); // 6.666666666666735130e-01
    const LP2: f64 = f64::from_bits(0x3FD99999_9997FA04); // 3.999999999940941908e-01
    const LP3: f64 = f64::from_bits(0x3FD24924_94229359); // 2.857142874366239149e-01
    const LP4: f64 = f64::from_bits(0x3FCC71C5_1D8E78AF); // 2.222219843214978396e-01
    const LP5: f64 = f64::from_bits(0x3FC74664_96CB03DE); // 1.818357216161805012e-01
    const LP6: f64 = f64::from_bits(0x3FC39A09_D078C69F); // 1.531383769920937332e-01
    const LP7: f64 = f64::from_bits(0x3FC2F112_DF3E5244); // 1.479819860511658591e-01
    let zero = 0.0;

    let hx = hi(x); // high word of x
    let ax = hx & 0x7fffffff;

    let mut k = 1;
    let mut f = 0.0;
    let mut hu = 0;
    let mut c = 0.0;
    if hx < 0x3FDA827A {
        // x < 0.41422
        if ax >= 0x3ff00000 {
            // x <= -1.0
            if x == -1.0 {
                return -TWO54 / zero; // log1p(-1)=+inf
            } else {
                return (x - x) / (x - x); // log1p(x<-1)=NaN
            }
        }
        if ax < 0x3e200000 {
            // |x| < 2**-29
            if TWO54 + x > zero // raise inexact
                && ax < 0x3c900000
            {
                // |x| < 2**-54
                return x;
            } else {
                return x - x * x * 0.5;
            }
        }
        if hx > 0 || hx <= 0xbfd2bec3u32 as i32 {
            // -0.2929<x<0.41422
            k = 0;
            f = x;
            hu = 1;
        }
    }
    if hx >= 0x7ff00000 {
        return x + x;
    }
    if k != 0 {
        let mut u;
        if hx < 0x43400000 {
            u = 1.0 + x;
            hu = hi(u); // high word of u
            k = (hu >> 20) - 1023;
            c = if k > 0 { 1.0 - (u - x) } else { x - (u - 1.0) }; // correction term
            c /= u;
        } else {
            u = x;
            hu = hi(u); // high word of u
            k = (hu >> 20) - 1023;
            c = 0.0;
        }
        hu &= 0x000fffff;
        if hu < 0x6a09e {
            u = with_hi(u, hu | 0x3ff00000); // normalize u
        } else {
            k += 1;
            u = with_hi(u, hu | 0x3fe00000); // normalize u/2
            hu = (0x00100000 - hu) >> 2;
        }
        f = u - 1.0;
    }
    let hfsq = 0.5 * f * f;
    if hu == 0 {
        // |f| < 2**-20
        if f == zero {
            if k == 0 {
                return zero;
            } else {
                c += k as f64 * LN2_LO;
                return k as f64 * LN2_HI + c;
            }
        }
        let r = hfsq * (1.0 - 0.66666666666666666 * f);
        if k == 0 {
            return f - r;
        } else {
            return k as f64 * LN2_HI - ((r - (k as f64 * LN2_LO + c)) - f);
        }
    }
    let s = f / (2.0 + f);
    let z = s * s;
    let r = z * (LP1 + z * (LP2 + z * (LP3 + z * (LP4 + z * (LP5 + z * (LP6 + z * LP7))))));
    if k == 0 {
        f - (hfsq - s * (hfsq + r))
    } else {
        k as f64 * LN2_HI - ((hfsq - (s * (hfsq + r) + (k as f64 * LN2_LO + c))) - f)
    }
}
