// Ported to Rust from FDLIBM 5.3 (s_cbrt.c, e_hypot.c), whose notice
// follows.
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================

//! cbrt, hypot.

use super::{from_words, hi, lo, sqrt, with_hi};

/// s_cbrt.c: the cube root.
pub fn cbrt(mut x: f64) -> f64 {
    const B1: u32 = 715094163; // B1 = (682-0.03306235651)*2**20
    const B2: u32 = 696219795; // B2 = (664-0.03306235651)*2**20
    const C: f64 = f64::from_bits(0x3FE15F15_F15F15F1); // 5.42857142857142815906e-01 = 19/35
    const D: f64 = f64::from_bits(0xBFE691DE_2532C834); // -7.05306122448979611050e-01 = -864/1225
    const E: f64 = f64::from_bits(0x3FF6A0EA_0EA0EA0F); // 1.41428571428571436819e+00 = 99/70
    const F: f64 = f64::from_bits(0x3FF9B6DB_6DB6DB6E); // 1.60714285714285720630e+00 = 45/28
    const G: f64 = f64::from_bits(0x3FD6DB6D_B6DB6DB7); // 3.57142857142857150787e-01 = 5/14

    let mut hx = hi(x); // high word of x
    let sign = hx as u32 & 0x80000000; // sign= sign(x)
    hx ^= sign as i32;
    if hx >= 0x7ff00000 {
        return x + x; // cbrt(NaN,INF) is itself
    }
    if (hx as u32 | lo(x)) == 0 {
        return x; // cbrt(0) is itself
    }

    x = with_hi(x, hx); // x <- |x|
                        // rough cbrt to 5 bits
    let mut t;
    if hx < 0x00100000 {
        // subnormal number
        t = from_words(0x43500000, 0); // set t= 2**54
        t *= x;
        t = with_hi(t, (hi(t) / 3) as u32 as i32 + B2 as i32);
    } else {
        t = from_words(hx / 3 + B1 as i32, 0);
    }

    // new cbrt to 23 bits, may be implemented in single precision
    let mut r = t * t / x;
    let mut s = C + r * t;
    t *= G + F / (s + E + D / s);

    // chopped to 20 bits and make it larger than cbrt(x)
    t = from_words(hi(t) + 0x00000001, 0);

    // one step newton iteration to 53 bits with error less than 0.667 ulps
    s = t * t; // t*t is exact
    r = x / s;
    let w = t + t;
    r = (r - t) / (w + r); // r-s is exact
    t = t + t * r;

    // retore the sign bit
    with_hi(t, hi(t) | sign as i32)
}

/// e_hypot.c: `sqrt(x*x + y*y)` without undue overflow or underflow.
pub fn hypot(x: f64, y: f64) -> f64 {
    let (mut a, mut b);
    let mut ha = hi(x) & 0x7fffffff; // high word of  x
    let mut hb = hi(y) & 0x7fffffff; // high word of  y
    if hb > ha {
        a = y;
        b = x;
        core::mem::swap(&mut ha, &mut hb);
    } else {
        a = x;
        b = y;
    }
    a = with_hi(a, ha); // a <- |a|
    b = with_hi(b, hb); // b <- |b|
    if (ha - hb) > 0x3c00000 {
        return a + b; // x/y > 2**60
    }
    let mut k = 0;
    if ha > 0x5f300000 {
        // a>2**500
        if ha >= 0x7ff00000 {
            // Inf or NaN
            let mut w = a + b; // for sNaN
            if ((ha & 0xfffff) as u32 | lo(a)) == 0 {
                w = a;
            }
            if ((hb ^ 0x7ff00000) as u32 | lo(b)) == 0 {
                w = b;
            }
            return w;
        }
        // scale a and b by 2**-600
        ha -= 0x25800000;
        hb -= 0x25800000;
        k += 600;
        a = with_hi(a, ha);
        b = with_hi(b, hb);
    }
    if hb < 0x20b00000 {
        // b < 2**-500
        if hb <= 0x000fffff {
            // subnormal b or 0
            if (hb as u32 | lo(b)) == 0 {
                return a;
            }
            let t1 = from_words(0x7fd00000, 0); // t1=2^1022
            b *= t1;
            a *= t1;
            k -= 1022;
            // (ha and hb are not updated here, as in the C.)
        } else {
            // scale a and b by 2^600
            ha += 0x25800000; // a *= 2^600
            hb += 0x25800000; // b *= 2^600
            k -= 600;
            a = with_hi(a, ha);
            b = with_hi(b, hb);
        }
    }
    // medium size a and b
    let mut w = a - b;
    if w > b {
        let t1 = from_words(ha, 0);
        let t2 = a - t1;
        w = sqrt(t1 * t1 - (b * (-b) - t2 * (a + t1)));
    } else {
        a = a + a;
        let y1 = from_words(hb, 0);
        let y2 = b - y1;
        let t1 = from_words(ha + 0x00100000, 0);
        let t2 = a - t1;
        w = sqrt(t1 * y1 - (w * (-w) - (t1 * y2 + t2 * b)));
    }
    if k != 0 {
        let t1 = from_words(0x3ff00000 + (k << 20), 0); // 1.0 with k added to its exponent
        t1 * w
    } else {
        w
    }
}
