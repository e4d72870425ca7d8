// Ported to Rust from FDLIBM 5.3 (s_sin.c, s_cos.c, s_tan.c, k_sin.c,
// k_cos.c, k_tan.c, e_rem_pio2.c, k_rem_pio2.c), whose notices follow.
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
// k_tan.c:
// ====================================================
// Copyright 2004 Sun Microsystems, Inc.  All Rights Reserved.
//
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================

//! sin, cos, tan: the kernels on [-pi/4, pi/4] and the argument reduction
//! by pi/2 (`__ieee754_rem_pio2`, with `__kernel_rem_pio2` for large
//! arguments).

use super::{fabs, floor, from_words, hi, lo, scalbn, with_lo};

/// s_sin.c
pub fn sin(x: f64) -> f64 {
    let mut y = [0.0f64; 2];
    let z = 0.0;
    // High word of x.
    let ix = hi(x) & 0x7fffffff;
    // |x| ~< pi/4
    if ix <= 0x3fe921fb {
        kernel_sin(x, z, 0)
    } else if ix >= 0x7ff00000 {
        // sin(Inf or NaN) is NaN
        x - x
    } else {
        // argument reduction needed
        let n = rem_pio2(x, &mut y);
        match n & 3 {
            0 => kernel_sin(y[0], y[1], 1),
            1 => kernel_cos(y[0], y[1]),
            2 => -kernel_sin(y[0], y[1], 1),
            _ => -kernel_cos(y[0], y[1]),
        }
    }
}

/// s_cos.c
pub fn cos(x: f64) -> f64 {
    let mut y = [0.0f64; 2];
    let z = 0.0;
    let ix = hi(x) & 0x7fffffff;
    if ix <= 0x3fe921fb {
        kernel_cos(x, z)
    } else if ix >= 0x7ff00000 {
        // cos(Inf or NaN) is NaN
        x - x
    } else {
        let n = rem_pio2(x, &mut y);
        match n & 3 {
            0 => kernel_cos(y[0], y[1]),
            1 => -kernel_sin(y[0], y[1], 1),
            2 => -kernel_cos(y[0], y[1]),
            _ => kernel_sin(y[0], y[1], 1),
        }
    }
}

/// s_tan.c
pub fn tan(x: f64) -> f64 {
    let mut y = [0.0f64; 2];
    let z = 0.0;
    let ix = hi(x) & 0x7fffffff;
    if ix <= 0x3fe921fb {
        kernel_tan(x, z, 1)
    } else if ix >= 0x7ff00000 {
        x - x // NaN
    } else {
        let n = rem_pio2(x, &mut y);
        kernel_tan(y[0], y[1], 1 - ((n & 1) << 1)) // 1 -- n even, -1 -- n odd
    }
}

/// k_sin.c: sin on [-pi/4, pi/4]; `y` is the tail of `x`, `iy` 0 if `y`
/// is zero.
fn kernel_sin(x: f64, y: f64, iy: i32) -> f64 {
    const HALF: f64 = f64::from_bits(0x3FE00000_00000000); // 5.00000000000000000000e-01
    const S1: f64 = f64::from_bits(0xBFC55555_55555549); // -1.66666666666666324348e-01
    const S2: f64 = f64::from_bits(0x3F811111_1110F8A6); // 8.33333333332248946124e-03
    const S3: f64 = f64::from_bits(0xBF2A01A0_19C161D5); // -1.98412698298579493134e-04
    const S4: f64 = f64::from_bits(0x3EC71DE3_57B1FE7D); // 2.75573137070700676789e-06
    const S5: f64 = f64::from_bits(0xBE5AE5E6_8A2B9CEB); // -2.50507602534068634195e-08
    const S6: f64 = f64::from_bits(0x3DE5D93A_5ACFD57C); // 1.58969099521155010221e-10

    let ix = hi(x) & 0x7fffffff; // high word of x
    if ix < 0x3e400000 {
        // |x| < 2**-27
        if (x as i32) == 0 {
            return x; // generate inexact
        }
    }
    let z = x * x;
    let v = z * x;
    let r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
    if iy == 0 {
        x + v * (S1 + z * r)
    } else {
        x - ((z * (HALF * y - v * r) - y) - v * S1)
    }
}

/// k_cos.c: cos on [-pi/4, pi/4]; `y` is the tail of `x`.
fn kernel_cos(x: f64, y: f64) -> f64 {
    const ONE: f64 = f64::from_bits(0x3FF00000_00000000); // 1.00000000000000000000e+00
    const C1: f64 = f64::from_bits(0x3FA55555_5555554C); // 4.16666666666666019037e-02
    const C2: f64 = f64::from_bits(0xBF56C16C_16C15177); // -1.38888888888741095749e-03
    const C3: f64 = f64::from_bits(0x3EFA01A0_19CB1590); // 2.48015872894767294178e-05
    const C4: f64 = f64::from_bits(0xBE927E4F_809C52AD); // -2.75573143513906633035e-07
    const C5: f64 = f64::from_bits(0x3E21EE9E_BDB4B1C4); // 2.08757232129817482790e-09
    const C6: f64 = f64::from_bits(0xBDA8FAE9_BE8838D4); // -1.13596475577881948265e-11

    let ix = hi(x) & 0x7fffffff; // ix = |x|'s high word
    if ix < 0x3e400000 {
        // if x < 2**27
        if (x as i32) == 0 {
            return ONE; // generate inexact
        }
    }
    let z = x * x;
    let r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
    if ix < 0x3FD33333 {
        // if |x| < 0.3
        ONE - (0.5 * z - (z * r - x * y))
    } else {
        let qx = if ix > 0x3fe90000 {
            // x > 0.78125
            0.28125
        } else {
            from_words(ix - 0x00200000, 0) // x/4
        };
        let hz = 0.5 * z - qx;
        let a = ONE - qx;
        a - (hz - (z * r - x * y))
    }
}

/// k_tan.c: tan on [-pi/4, pi/4] (`iy` = 1), or -1/tan (`iy` = -1).
fn kernel_tan(mut x: f64, mut y: f64, iy: i32) -> f64 {
    const T: [f64; 13] = [
        f64::from_bits(0x3FD55555_55555563), // 3.33333333333334091986e-01
        f64::from_bits(0x3FC11111_1110FE7A), // 1.33333333333201242699e-01
        f64::from_bits(0x3FABA1BA_1BB341FE), // 5.39682539762260521377e-02
        f64::from_bits(0x3F9664F4_8406D637), // 2.18694882948595424599e-02
        f64::from_bits(0x3F8226E3_E96E8493), // 8.86323982359930005737e-03
        f64::from_bits(0x3F6D6D22_C9560328), // 3.59207910759131235356e-03
        f64::from_bits(0x3F57DBC8_FEE08315), // 1.45620945432529025516e-03
        f64::from_bits(0x3F4344D8_F2F26501), // 5.88041240820264096874e-04
        f64::from_bits(0x3F3026F7_1A8D1068), // 2.46463134818469906812e-04
        f64::from_bits(0x3F147E88_A03792A6), // 7.81794442939557092300e-05
        f64::from_bits(0x3F12B80F_32F0A7E9), // 7.14072491382608190305e-05
        f64::from_bits(0xBEF375CB_DB605373), // -1.85586374855275456654e-05
        f64::from_bits(0x3EFB2A70_74BF7AD4), // 2.59073051863633712884e-05
    ];
    const ONE: f64 = f64::from_bits(0x3FF00000_00000000); // 1.00000000000000000000e+00
    const PIO4: f64 = f64::from_bits(0x3FE921FB_54442D18); // 7.85398163397448278999e-01
    const PIO4LO: f64 = f64::from_bits(0x3C81A626_33145C07); // 3.06161699786838301793e-17

    let (mut z, mut r, mut v, mut w, mut s);
    let hx = hi(x); // high word of x
    let ix = hx & 0x7fffffff; // high word of |x|
    if ix < 0x3e300000 {
        // x < 2**-28
        if (x as i32) == 0 {
            // generate inexact
            if ((ix as u32 | lo(x)) | (iy + 1) as u32) == 0 {
                return ONE / fabs(x);
            } else if iy == 1 {
                return x;
            } else {
                // compute -1 / (x+y) carefully
                w = x + y;
                z = with_lo(w, 0);
                v = y - (z - x);
                let a = -ONE / w;
                let t = with_lo(a, 0);
                s = ONE + t * z;
                return t + a * (s + t * v);
            }
        }
    }
    if ix >= 0x3FE59428 {
        // |x| >= 0.6744
        if hx < 0 {
            x = -x;
            y = -y;
        }
        z = PIO4 - x;
        w = PIO4LO - y;
        x = z + w;
        y = 0.0;
    }
    z = x * x;
    w = z * z;
    // Break x^5*(T[1]+x^2*T[2]+...) into
    // x^5(T[1]+x^4*T[3]+...+x^20*T[11]) +
    // x^5(x^2*(T[2]+x^4*T[4]+...+x^22*[T12]))
    r = T[1] + w * (T[3] + w * (T[5] + w * (T[7] + w * (T[9] + w * T[11]))));
    v = z * (T[2] + w * (T[4] + w * (T[6] + w * (T[8] + w * (T[10] + w * T[12])))));
    s = z * x;
    r = y + z * (s * (r + v) + y);
    r += T[0] * s;
    w = x + r;
    if ix >= 0x3FE59428 {
        v = iy as f64;
        return (1 - ((hx >> 30) & 2)) as f64 * (v - 2.0 * (x - (w * w / (w + v) - r)));
    }
    if iy == 1 {
        w
    } else {
        // if allow error up to 2 ulp, simply return -1.0 / (x+r) here;
        // compute -1.0 / (x+r) accurately
        z = with_lo(w, 0);
        v = r - (z - x); // z+v = r+x
        let a = -1.0 / w; // a = -1.0/w
        let t = with_lo(a, 0);
        s = 1.0 + t * z;
        t + a * (s + t * v)
    }
}

/// Table of constants for 2/pi, 396 Hex digits (476 decimal) of 2/pi.
const TWO_OVER_PI: [i32; 66] = [
    0xA2F983, 0x6E4E44, 0x1529FC, 0x2757D1, 0xF534DD, 0xC0DB62, 0x95993C, 0x439041, 0xFE5163, 0xABDEBB, 0xC561B7,
    0x246E3A, 0x424DD2, 0xE00649, 0x2EEA09, 0xD1921C, 0xFE1DEB, 0x1CB129, 0xA73EE8, 0x8235F5, 0x2EBB44, 0x84E99C,
    0x7026B4, 0x5F7E41, 0x3991D6, 0x398353, 0x39F49C, 0x845F8B, 0xBDF928, 0x3B1FF8, 0x97FFDE, 0x05980F, 0xEF2F11,
    0x8B5A0A, 0x6D1F6D, 0x367ECF, 0x27CB09, 0xB74F46, 0x3F669E, 0x5FEA2D, 0x7527BA, 0xC7EBE5, 0xF17B3D, 0x0739F7,
    0x8A5292, 0xEA6BFB, 0x5FB11F, 0x8D5D08, 0x560330, 0x46FC7B, 0x6BABF0, 0xCFBC20, 0x9AF436, 0x1DA9E3, 0x91615E,
    0xE61B08, 0x659985, 0x5F14A0, 0x68408D, 0xFFD880, 0x4D7327, 0x310606, 0x1556CA, 0x73A8C9, 0x60E27B, 0xC08C6B,
];

const NPIO2_HW: [i32; 32] = [
    0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB, 0x401F6A7A, 0x4022D97C, 0x4025FDBB, 0x402921FB, 0x402C463A,
    0x402F6A7A, 0x4031475C, 0x4032D97C, 0x40346B9C, 0x4035FDBB, 0x40378FDB, 0x403921FB, 0x403AB41B, 0x403C463A,
    0x403DD85A, 0x403F6A7A, 0x40407E4C, 0x4041475C, 0x4042106C, 0x4042D97C, 0x4043A28C, 0x40446B9C, 0x404534AC,
    0x4045FDBB, 0x4046C6CB, 0x40478FDB, 0x404858EB, 0x404921FB,
];

/// e_rem_pio2.c: `x - n*pi/2` as `y[0] + y[1]`; returns `n` (its low
/// bits are what the callers need).
fn rem_pio2(x: f64, y: &mut [f64; 2]) -> i32 {
    const HALF: f64 = f64::from_bits(0x3FE00000_00000000); // 5.00000000000000000000e-01
    const TWO24: f64 = f64::from_bits(0x41700000_00000000); // 1.67772160000000000000e+07
    const INVPIO2: f64 = f64::from_bits(0x3FE45F30_6DC9C883); // 6.36619772367581382433e-01: 53 bits of 2/pi
    const PIO2_1: f64 = f64::from_bits(0x3FF921FB_54400000); // 1.57079632673412561417e+00: first 33 bit of pi/2
    const PIO2_1T: f64 = f64::from_bits(0x3DD0B461_1A626331); // 6.07710050650619224932e-11: pi/2 - PIO2_1
    const PIO2_2: f64 = f64::from_bits(0x3DD0B461_1A600000); // 6.07710050630396597660e-11: second 33 bit of pi/2
    const PIO2_2T: f64 = f64::from_bits(0x3BA3198A_2E037073); // 2.02226624879595063154e-21: pi/2 - (PIO2_1+PIO2_2)
    const PIO2_3: f64 = f64::from_bits(0x3BA3198A_2E000000); // 2.02226624871116645580e-21: third 33 bit of pi/2
    const PIO2_3T: f64 = f64::from_bits(0x397B839A_252049C1); // 8.47842766036889956997e-32: pi/2 - (PIO2_1+PIO2_2+PIO2_3)

    let hx = hi(x); // high word of x
    let ix = hx & 0x7fffffff;
    if ix <= 0x3fe921fb {
        // |x| ~<= pi/4 , no need for reduction
        y[0] = x;
        y[1] = 0.0;
        return 0;
    }
    if ix < 0x4002d97c {
        // |x| < 3pi/4, special case with n=+-1
        if hx > 0 {
            let mut z = x - PIO2_1;
            if ix != 0x3ff921fb {
                // 33+53 bit pi is good enough
                y[0] = z - PIO2_1T;
                y[1] = (z - y[0]) - PIO2_1T;
            } else {
                // near pi/2, use 33+33+53 bit pi
                z -= PIO2_2;
                y[0] = z - PIO2_2T;
                y[1] = (z - y[0]) - PIO2_2T;
            }
            return 1;
        } else {
            // negative x
            let mut z = x + PIO2_1;
            if ix != 0x3ff921fb {
                y[0] = z + PIO2_1T;
                y[1] = (z - y[0]) + PIO2_1T;
            } else {
                z += PIO2_2;
                y[0] = z + PIO2_2T;
                y[1] = (z - y[0]) + PIO2_2T;
            }
            return -1;
        }
    }
    if ix <= 0x413921fb {
        // |x| ~<= 2^19*(pi/2), medium size
        let t = fabs(x);
        let n = (t * INVPIO2 + HALF) as i32;
        let fnn = n as f64;
        let mut r = t - fnn * PIO2_1;
        let mut w = fnn * PIO2_1T; // 1st round good to 85 bit
        if n < 32 && ix != NPIO2_HW[(n - 1) as usize] {
            y[0] = r - w; // quick check no cancellation
        } else {
            let j = ix >> 20;
            y[0] = r - w;
            let mut i = j - ((hi(y[0]) >> 20) & 0x7ff);
            if i > 16 {
                // 2nd iteration needed, good to 118
                let t = r;
                w = fnn * PIO2_2;
                r = t - w;
                w = fnn * PIO2_2T - ((t - r) - w);
                y[0] = r - w;
                i = j - ((hi(y[0]) >> 20) & 0x7ff);
                if i > 49 {
                    // 3rd iteration need, 151 bits acc
                    let t = r; // will cover all possible cases
                    w = fnn * PIO2_3;
                    r = t - w;
                    w = fnn * PIO2_3T - ((t - r) - w);
                    y[0] = r - w;
                }
            }
        }
        y[1] = (r - y[0]) - w;
        if hx < 0 {
            y[0] = -y[0];
            y[1] = -y[1];
            return -n;
        } else {
            return n;
        }
    }
    // all other (large) arguments
    if ix >= 0x7ff00000 {
        // x is inf or NaN
        y[0] = x - x;
        y[1] = y[0];
        return 0;
    }
    // set z = scalbn(|x|,ilogb(x)-23)
    let e0 = (ix >> 20) - 1046; // e0 = ilogb(z)-23;
    let mut z = from_words(ix - (e0 << 20), lo(x));
    let mut tx = [0.0f64; 3];
    for t in tx.iter_mut().take(2) {
        *t = (z as i32) as f64;
        z = (z - *t) * TWO24;
    }
    tx[2] = z;
    let mut nx = 3;
    while tx[nx - 1] == 0.0 {
        nx -= 1; // skip zero term
    }
    let n = kernel_rem_pio2(&tx[..nx], y, e0);
    if hx < 0 {
        y[0] = -y[0];
        y[1] = -y[1];
        return -n;
    }
    n
}

/// k_rem_pio2.c for `prec` = 2 (53-bit input, result in two doubles, the
/// only precision e_rem_pio2.c uses): `x * 2**e0 * 2/pi` modulo 8, the
/// fraction (times pi/2) in `y[0] + y[1]`; returns the integer part & 7.
/// `x` holds the input in 24-bit chunks, `x.len()` is C's `nx`.
fn kernel_rem_pio2(x: &[f64], y: &mut [f64; 2], e0: i32) -> i32 {
    const INIT_JK: [usize; 4] = [2, 3, 4, 6]; // initial value for jk
    const PREC: usize = 2;
    const PIO2: [f64; 8] = [
        f64::from_bits(0x3FF921FB_40000000), // 1.57079625129699707031e+00
        f64::from_bits(0x3E74442D_00000000), // 7.54978941586159635335e-08
        f64::from_bits(0x3CF84698_80000000), // 5.39030252995776476554e-15
        f64::from_bits(0x3B78CC51_60000000), // 3.28200341580791294123e-22
        f64::from_bits(0x39F01B83_80000000), // 1.27065575308067607349e-29
        f64::from_bits(0x387A2520_40000000), // 1.22933308981111328932e-36
        f64::from_bits(0x36E38222_80000000), // 2.73370053816464559624e-44
        f64::from_bits(0x3569F31D_00000000), // 2.16741683877804819444e-51
    ];
    const ONE: f64 = 1.0;
    const TWO24: f64 = f64::from_bits(0x41700000_00000000); // 1.67772160000000000000e+07
    const TWON24: f64 = f64::from_bits(0x3E700000_00000000); // 5.96046447753906250000e-08
    let ipio2 = &TWO_OVER_PI;

    let mut iq = [0i32; 20];
    let mut f = [0.0f64; 20];
    let mut fq = [0.0f64; 20];
    let mut q = [0.0f64; 20];

    // initialize jk
    let jk = INIT_JK[PREC];
    let jp = jk;

    // determine jx,jv,q0, note that 3>q0
    let jx = x.len() - 1;
    let mut jv = (e0 - 3) / 24;
    if jv < 0 {
        jv = 0;
    }
    let mut q0 = e0 - 24 * (jv + 1);
    let jv = jv as usize;

    // set up f[0] to f[jx+jk] where f[jx+jk] = ipio2[jv+jk]
    let mut j = jv as isize - jx as isize;
    let m = jx + jk;
    for fi in f.iter_mut().take(m + 1) {
        *fi = if j < 0 { 0.0 } else { ipio2[j as usize] as f64 };
        j += 1;
    }

    // compute q[0],q[1],...q[jk]
    for i in 0..=jk {
        let mut fw = 0.0;
        for j in 0..=jx {
            fw += x[j] * f[jx + i - j];
        }
        q[i] = fw;
    }

    let mut jz = jk;
    let mut z;
    let mut n;
    let mut ih;
    loop {
        // recompute:
        // distill q[] into iq[] reversingly
        z = q[jz];
        let mut i = 0;
        let mut j = jz;
        while j > 0 {
            let fw = ((TWON24 * z) as i32) as f64;
            iq[i] = (z - TWO24 * fw) as i32;
            z = q[j - 1] + fw;
            i += 1;
            j -= 1;
        }

        // compute n
        z = scalbn(z, q0); // actual value of z
        z -= 8.0 * floor(z * 0.125); // trim off integer >= 8
        n = z as i32;
        z -= n as f64;
        ih = 0;
        if q0 > 0 {
            // need iq[jz-1] to determine n
            let i = iq[jz - 1] >> (24 - q0);
            n += i;
            iq[jz - 1] -= i << (24 - q0);
            ih = iq[jz - 1] >> (23 - q0);
        } else if q0 == 0 {
            ih = iq[jz - 1] >> 23;
        } else if z >= 0.5 {
            ih = 2;
        }

        if ih > 0 {
            // q > 0.5
            n += 1;
            let mut carry = 0;
            for iqi in iq.iter_mut().take(jz) {
                // compute 1-q
                let j = *iqi;
                if carry == 0 {
                    if j != 0 {
                        carry = 1;
                        *iqi = 0x1000000 - j;
                    }
                } else {
                    *iqi = 0xffffff - j;
                }
            }
            if q0 > 0 {
                // rare case: chance is 1 in 12
                match q0 {
                    1 => iq[jz - 1] &= 0x7fffff,
                    2 => iq[jz - 1] &= 0x3fffff,
                    _ => {}
                }
            }
            if ih == 2 {
                z = ONE - z;
                if carry != 0 {
                    z -= scalbn(ONE, q0);
                }
            }
        }

        // check if recomputation is needed
        if z == 0.0 {
            let mut j = 0;
            for i in (jk..jz).rev() {
                j |= iq[i];
            }
            if j == 0 {
                // need recomputation
                let mut k = 1;
                while iq[jk - k] == 0 {
                    k += 1; // k = no. of terms needed
                }
                for i in jz + 1..=jz + k {
                    // add q[jz+1] to q[jz+k]
                    f[jx + i] = ipio2[jv + i] as f64;
                    let mut fw = 0.0;
                    for j in 0..=jx {
                        fw += x[j] * f[jx + i - j];
                    }
                    q[i] = fw;
                }
                jz += k;
                continue;
            }
        }
        break;
    }

    // chop off zero terms
    if z == 0.0 {
        jz -= 1;
        q0 -= 24;
        while iq[jz] == 0 {
            jz -= 1;
            q0 -= 24;
        }
    } else {
        // break z into 24-bit if necessary
        z = scalbn(z, -q0);
        if z >= TWO24 {
            let fw = ((TWON24 * z) as i32) as f64;
            iq[jz] = (z - TWO24 * fw) as i32;
            jz += 1;
            q0 += 24;
            iq[jz] = fw as i32;
        } else {
            iq[jz] = z as i32;
        }
    }

    // convert integer "bit" chunk to floating-point value
    let mut fw = scalbn(ONE, q0);
    for i in (0..=jz).rev() {
        q[i] = fw * (iq[i] as f64);
        fw *= TWON24;
    }

    // compute PIo2[0,...,jp]*q[jz,...,0]
    for i in (0..=jz).rev() {
        let mut fw = 0.0;
        let mut k = 0;
        while k <= jp && k <= jz - i {
            fw += PIO2[k] * q[i + k];
            k += 1;
        }
        fq[jz - i] = fw;
    }

    // compress fq[] into y[] (case prec 1 or 2)
    let mut fw = 0.0;
    for i in (0..=jz).rev() {
        fw += fq[i];
    }
    y[0] = if ih == 0 { fw } else { -fw };
    fw = fq[0] - fw;
    for fqi in fq.iter().take(jz + 1).skip(1) {
        fw += *fqi;
    }
    y[1] = if ih == 0 { fw } else { -fw };
    n & 7
}
