//! StrictMath's natives against the machine's JDK 17 `StrictMath`, which
//! is fdlibm 5.3 bit for bit: our natives are a port of the same C
//! (pd-jvm/src/runtime/fdlibm), so every result must be bit-identical
//! (any NaN counts as one value: Java has one NaN).
//!
//! Two tests:
//! * `fdlibm_port_is_bit_exact_with_the_jdk`: every function on a large
//!   input set generated here (special values; every power of two and its
//!   neighbours; the boundaries the C code tests; huge trig arguments and
//!   arguments next to multiples of pi/2; the over/underflow thresholds of
//!   exp, expm1, sinh, cosh and pow; pow's special-case table crossed with
//!   itself, negative bases with integral and non-integral exponents, bases
//!   next to 1 with huge exponents; and at least 100k random inputs per
//!   function: random bit patterns and random values in the interesting
//!   ranges). The inputs go to a small Java program run on the JDK through
//!   files; its results are compared with the port called directly.
//! * `strict_math_natives_against_the_jdk`: a Java program run on our VM
//!   and on the JDK prints the same, so the natives are wired to the right
//!   functions with their arguments in the right order.

use pd_jvm_test_support::*;

use pd_jvm::runtime::fdlibm;
use std::cell::Cell;
use std::path::PathBuf;
use std::process::Command;

// ---------------------------------------------------------------------
// The input set.

/// splitmix64: a small, fixed-seed generator (the inputs are the same on
/// every run).
struct Rng(Cell<u64>);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(Cell::new(seed))
    }
    fn next(&self) -> u64 {
        self.0.set(self.0.get().wrapping_add(0x9E3779B97F4A7C15));
        let mut z = self.0.get();
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&self, n: u64) -> u64 {
        self.next() % n
    }
    fn int(&self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn unit(&self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn uniform(&self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.unit()
    }
    fn sign(&self, x: f64) -> f64 {
        if self.next() & 1 == 0 {
            x
        } else {
            -x
        }
    }
    /// Any bit pattern (NaNs, infinities, subnormals included).
    fn bits(&self) -> f64 {
        f64::from_bits(self.next())
    }
    /// A random mantissa with a binary exponent uniform in `emin..=emax`
    /// (below -1022: subnormal), positive.
    fn log_uniform(&self, emin: i32, emax: i32) -> f64 {
        let e = self.int(emin as i64, emax as i64) as i32;
        let m = self.next() & 0x000F_FFFF_FFFF_FFFF;
        if e >= -1022 {
            f64::from_bits((((e + 1023) as u64) << 52) | m)
        } else {
            // 2^e * 1.m rounded into the subnormal range
            f64::from_bits(((1u64 << 52) | m) >> (-1022 - e).min(63))
        }
    }
    /// `x` moved by up to `n` ulps either way (bit-pattern neighbours).
    fn near(&self, x: f64, n: u64) -> f64 {
        let d = self.below(2 * n + 1) as i64 - n as i64;
        f64::from_bits((x.to_bits() as i64).wrapping_add(d) as u64)
    }
    /// A double whose high word is `hw` moved by up to `n` and whose low
    /// word is random: the boundaries fdlibm tests on high words.
    fn near_hw(&self, hw: u32, n: u32) -> f64 {
        let h = (hw as i64 + self.below(2 * n as u64 + 1) as i64 - n as i64) as u32;
        let lo = match self.below(4) {
            0 => 0,
            1 => 0xffff_ffff,
            _ => self.next() as u32,
        };
        f64::from_bits(((h as u64) << 32) | lo as u64)
    }
    fn pick<T: Copy>(&self, v: &[T]) -> T {
        v[self.below(v.len() as u64) as usize]
    }
}

fn pow2(e: i32) -> f64 {
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e + 1074))
    }
}

const PI: f64 = std::f64::consts::PI;

/// Special values for every function: zeros, infinities, NaNs, the
/// subnormal and normal extremes, small integers and fractions, common
/// constants, and every power of two with its neighbours, both signs.
fn specials() -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        f64::from_bits(0x7ff0_0000_0000_0001), // signalling NaN
        f64::from_bits(0x7ff7_ffff_ffff_ffff),
        f64::MAX,
        -f64::MAX,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        1e300,
        -1e300,
        1e22,
        1e-300,
        1e308,
        PI,
        PI / 2.0,
        PI / 4.0,
        3.0 * PI / 4.0,
        2.0 * PI,
        std::f64::consts::E,
        std::f64::consts::LN_2,
        std::f64::consts::LN_10,
        6381956970095103.0 * pow2(797), // the hardest case for reduction by pi/2
        5.0e-324,
    ];
    for i in 0..=64 {
        v.push(i as f64);
        v.push(i as f64 + 0.5);
        v.push(1.0 / (i as f64 + 1.0));
    }
    for e in -1074..=1023 {
        let x = pow2(e);
        for y in [x, f64::from_bits(x.to_bits() + 1), f64::from_bits(x.to_bits() - 1)] {
            v.push(y);
        }
    }
    let n = v.len();
    for i in 0..n {
        v.push(-v[i]);
    }
    v
}

/// A smaller set for the binary functions, crossed with itself.
fn pair_specials() -> Vec<f64> {
    let mut v = vec![
        0.0,
        f64::INFINITY,
        f64::NAN,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        1.0,
        f64::from_bits(0x3ff0_0000_0000_0001), // 1 + ulp
        f64::from_bits(0x3fef_ffff_ffff_ffff), // 1 - ulp/2
        0.5,
        2.0,
        3.0,
        0.25,
        1.5,
        10.0,
        1e300,
        1e-300,
        PI,
        2f64.powi(31),
        2f64.powi(31) + 1.0,
        2f64.powi(52) + 1.0,
        2f64.powi(53),
        2f64.powi(53) + 2.0,
        2f64.powi(64),
        2f64.powi(64) * 3.0,
        4.503599627370497e15,
        1023.0,
        1024.0,
        1025.0,
        1074.0,
        1075.0,
        0.3333333333333333,
        7.0,
    ];
    let n = v.len();
    for i in 0..n {
        v.push(-v[i]);
    }
    v
}

/// Random inputs per function, on top of the specials.
const RANDOM: usize = 120_000;
const RANDOM_PAIRS: usize = 150_000;
const RANDOM_POW: usize = 300_000;

type Unary = fn(f64) -> f64;
type Binary = fn(f64, f64) -> f64;

/// Inputs in the ranges that matter for each unary function.
fn unary_inputs(name: &str, rng: &Rng) -> Vec<f64> {
    let mut v = specials();
    let o_threshold = f64::from_bits(0x40862E42_FEFA39EF);
    let u_threshold = f64::from_bits(0xC0874910_D52D3051);
    let sinh_max = f64::from_bits(0x408633CE_8FB9F87D);
    for _ in 0..RANDOM {
        let r = rng.below(100);
        let x = if r < 20 {
            rng.bits()
        } else {
            match name {
                "sin" | "cos" | "tan" => match r {
                    20..=34 => rng.uniform(-10.0, 10.0),
                    35..=49 => rng.sign(rng.log_uniform(-40, 1023)),
                    50..=69 => {
                        // next to a multiple of pi/2, up to huge multiples
                        let k = match rng.below(3) {
                            0 => rng.int(1, 64) as f64,
                            1 => rng.int(1, 1 << 20) as f64,
                            _ => rng.log_uniform(20, 1000).round(),
                        };
                        let x = k * (PI / 2.0);
                        rng.sign(rng.near(x, 4))
                    }
                    70..=84 => {
                        let hw = rng.pick(&[
                            0x3e400000, 0x3e300000, 0x3FD33333, 0x3fe90000, 0x3FE59428, 0x3fe921fb, 0x3ff921fb,
                            0x4002d97c, 0x400921fb, 0x4012D97C, 0x401921fb, 0x404921fb, 0x413921fb, 0x41400000,
                        ]);
                        rng.sign(rng.near_hw(hw, 2))
                    }
                    _ => rng.sign(rng.log_uniform(19, 1023)),
                },
                "asin" | "acos" => match r {
                    20..=59 => rng.uniform(-1.0, 1.0),
                    60..=69 => rng.sign(1.0 - rng.log_uniform(-60, -1)),
                    70..=79 => {
                        let hw = rng.pick(&[0x3fe00000, 0x3FEF3333, 0x3e400000, 0x3c600000, 0x3ff00000]);
                        rng.sign(rng.near_hw(hw, 2))
                    }
                    _ => rng.sign(rng.log_uniform(-70, 0)),
                },
                "atan" => match r {
                    20..=59 => rng.sign(rng.log_uniform(-40, 70)),
                    60..=79 => rng.uniform(-3.0, 3.0),
                    _ => {
                        let hw = rng.pick(&[0x3e200000, 0x3fdc0000, 0x3fe60000, 0x3ff30000, 0x40038000, 0x44100000]);
                        rng.sign(rng.near_hw(hw, 2))
                    }
                },
                "exp" => match r {
                    20..=49 => rng.uniform(-750.0, 712.0),
                    50..=59 => rng.uniform(-2.0, 2.0),
                    60..=69 => rng.sign(rng.log_uniform(-70, 0)),
                    70..=79 => rng.uniform(-745.2, -707.0), // subnormal results
                    80..=89 => {
                        let t = rng.pick(&[o_threshold, u_threshold, -1021.0 * std::f64::consts::LN_2]);
                        rng.near(t, 2000)
                    }
                    _ => {
                        let hw = rng.pick(&[0x3e300000, 0x3fd62e42, 0x3FF0A2B2, 0x40862E42]);
                        rng.sign(rng.near_hw(hw, 2))
                    }
                },
                "log" | "log10" => match r {
                    20..=54 => f64::from_bits(rng.next() >> 1),
                    55..=74 => rng.sign(rng.log_uniform(-60, -1)) + 1.0,
                    75..=84 => rng.uniform(0.0, 10.0),
                    85..=89 => rng.near(10f64.powi(rng.int(-300, 300) as i32), 3),
                    _ => rng.near(1.0, 1000),
                },
                "sqrt" => f64::from_bits(rng.next() >> 1),
                "cbrt" => match r {
                    20..=59 => rng.uniform(-100.0, 100.0),
                    60..=79 => rng.sign(rng.log_uniform(-1074, -1023)),
                    _ => rng.sign(rng.log_uniform(-1074, 1023)),
                },
                "sinh" | "cosh" => match r {
                    20..=49 => rng.uniform(-715.0, 715.0),
                    50..=64 => rng.uniform(-23.0, 23.0),
                    65..=74 => rng.sign(rng.log_uniform(-70, 0)),
                    75..=84 => rng.sign(rng.near(rng.pick(&[o_threshold, sinh_max, 22.0]), 2000)),
                    _ => {
                        let hw = rng.pick(&[
                            0x3c800000, 0x3e300000, 0x3fd62e43, 0x3ff00000, 0x40360000, 0x40862E42, 0x408633CE,
                        ]);
                        rng.sign(rng.near_hw(hw, 2))
                    }
                },
                "tanh" => match r {
                    20..=49 => rng.uniform(-25.0, 25.0),
                    50..=74 => rng.sign(rng.log_uniform(-60, 5)),
                    _ => {
                        let hw = rng.pick(&[0x3c800000, 0x3ff00000, 0x40360000]);
                        rng.sign(rng.near_hw(hw, 2))
                    }
                },
                "expm1" => match r {
                    20..=44 => rng.uniform(-50.0, 712.0),
                    45..=59 => rng.uniform(-2.0, 2.0),
                    60..=79 => rng.sign(rng.log_uniform(-70, 0)),
                    80..=89 => rng.near(rng.pick(&[o_threshold, -56.0 * std::f64::consts::LN_2]), 2000),
                    _ => {
                        let hw = rng.pick(&[0x3c900000, 0x3fd62e42, 0x3FF0A2B2, 0x4043687A, 0x40862E42]);
                        rng.sign(rng.near_hw(hw, 2))
                    }
                },
                "log1p" => match r {
                    20..=39 => rng.uniform(-1.0, 1.0),
                    40..=49 => -1.0 + rng.log_uniform(-60, -1),
                    50..=64 => rng.log_uniform(-70, 1023),
                    65..=79 => rng.sign(rng.log_uniform(-70, -1)),
                    _ => {
                        let hw = rng.pick(&[
                            0x3FDA827A, 0xbfd2bec3, 0x3e200000, 0x3c900000, 0x43400000, 0xbfefffff, 0x3fe6a09e,
                        ]);
                        rng.near_hw(hw, 2)
                    }
                },
                _ => unreachable!("{name}"),
            }
        };
        v.push(x);
    }
    v
}

/// Inputs for the binary functions: the specials crossed with themselves,
/// then random pairs.
fn binary_inputs(name: &str, rng: &Rng) -> Vec<(f64, f64)> {
    let ps = pair_specials();
    let mut v: Vec<(f64, f64)> = ps.iter().flat_map(|&a| ps.iter().map(move |&b| (a, b))).collect();
    let n = if name == "pow" { RANDOM_POW } else { RANDOM_PAIRS };
    for _ in 0..n {
        let r = rng.below(100);
        let p = if r < 15 {
            (rng.bits(), rng.bits())
        } else {
            match name {
                "atan2" => match r {
                    15..=49 => (rng.sign(rng.log_uniform(-1074, 1023)), rng.sign(rng.log_uniform(-1074, 1023))),
                    50..=69 => (rng.uniform(-10.0, 10.0), rng.uniform(-10.0, 10.0)),
                    70..=84 => {
                        // |y/x| next to 2^60 either way
                        let x = rng.sign(rng.log_uniform(-400, 400));
                        let e = rng.sign(rng.int(55, 65) as f64) as i32;
                        (rng.sign(rng.near(x.abs() * pow2(e), 1 << 30)), x)
                    }
                    85..=89 => (rng.sign(rng.log_uniform(-40, 40)), 1.0),
                    _ => (rng.pick(&ps), rng.sign(rng.log_uniform(-1074, 1023))),
                },
                "hypot" => match r {
                    15..=49 => (rng.sign(rng.log_uniform(-1074, 1023)), rng.sign(rng.log_uniform(-1074, 1023))),
                    50..=64 => {
                        let x = rng.sign(rng.log_uniform(-1074, 1023));
                        (x, rng.sign(x * rng.uniform(0.5, 2.0)))
                    }
                    65..=74 => {
                        // around 2^500 / 2^-500 and the 2^60 ratio
                        let e = rng.pick(&[500, -500, 600, -600, 1000, -1000, -1022]);
                        let x = rng.sign(rng.log_uniform(e - 3, e + 3));
                        let d = rng.int(-64, 0) as i32;
                        (x, rng.sign(x * pow2(d) * rng.uniform(0.5, 2.0)))
                    }
                    75..=84 => (rng.uniform(-100.0, 100.0), rng.uniform(-100.0, 100.0)),
                    85..=89 => (rng.int(-10000, 10000) as f64, rng.int(-10000, 10000) as f64),
                    _ => (rng.pick(&ps), rng.sign(rng.log_uniform(-1074, 1023))),
                },
                "pow" => pow_pair(r, rng, &ps),
                _ => unreachable!("{name}"),
            }
        };
        v.push(p);
    }
    v
}

fn pow_pair(r: u64, rng: &Rng, ps: &[f64]) -> (f64, f64) {
    match r {
        15..=29 => (rng.log_uniform(-20, 20), rng.uniform(-50.0, 50.0)),
        30..=39 => (rng.uniform(0.0, 2.0), rng.uniform(-2000.0, 2000.0)),
        40..=54 => {
            // results next to the overflow and underflow thresholds
            let x = rng.log_uniform(-1074, 1023);
            let l = x.log2();
            if l == 0.0 {
                return (x, 1e6);
            }
            let t = rng.pick(&[1024.0, -1022.0, -1074.0, -1075.0, -1076.0]);
            let y = t / l;
            let y = if rng.below(2) == 0 { rng.near(y, 64) } else { y * (1.0 + rng.uniform(-1e-9, 1e-9)) };
            (rng.sign(x), y)
        }
        55..=64 => {
            // bases next to 1 (and -1) with huge exponents
            let x = rng.near(1.0, 1 << 21);
            let y = rng.sign(rng.log_uniform(20, 70));
            let y = if rng.below(2) == 0 { y.round() } else { y };
            (rng.sign(x), y)
        }
        65..=74 => {
            // negative bases: integral exponents odd and even, non-integral
            let x = -rng.log_uniform(-30, 30);
            let y = match rng.below(4) {
                0 => rng.int(-1100, 1100) as f64,
                1 => rng.int(-40, 40) as f64,
                2 => rng.log_uniform(0, 60).round(),
                _ => rng.uniform(-100.0, 100.0),
            };
            (x, y)
        }
        75..=79 => (rng.sign(rng.int(1, 100) as f64), rng.int(-60, 60) as f64),
        80..=84 => (rng.sign(rng.log_uniform(-1074, -1023)), rng.uniform(-2.0, 2.0)),
        85..=89 => (rng.sign(rng.log_uniform(-1074, 1023)), rng.pick(&[0.5, 2.0, -1.0, 1.0, -0.5, 3.0, -2.0])),
        90..=94 => (rng.pick(ps), rng.pick(ps) * rng.pick(&[1.0, -1.0, 0.5, 3.0])),
        _ => {
            // x next to -1 with y near 2^52 (fdlibm 5.3's pow fix)
            let x = rng.sign(rng.near(1.0, 4));
            (x, rng.near(4.503599627370497e15, 1 << 20))
        }
    }
}

const UNARY: [(&str, Unary); 16] = [
    ("sin", fdlibm::sin),
    ("cos", fdlibm::cos),
    ("tan", fdlibm::tan),
    ("asin", fdlibm::asin),
    ("acos", fdlibm::acos),
    ("atan", fdlibm::atan),
    ("exp", fdlibm::exp),
    ("log", fdlibm::log),
    ("log10", fdlibm::log10),
    ("sqrt", fdlibm::sqrt),
    ("cbrt", fdlibm::cbrt),
    ("sinh", fdlibm::sinh),
    ("cosh", fdlibm::cosh),
    ("tanh", fdlibm::tanh),
    ("expm1", fdlibm::expm1),
    ("log1p", fdlibm::log1p),
];

const BINARY: [(&str, Binary); 3] = [("atan2", fdlibm::atan2), ("hypot", fdlibm::hypot), ("pow", fdlibm::pow)];

/// Evaluates `StrictMath.<name>` on the doubles (one or two per input) of
/// `<dir>/<name>.in` into `<dir>/<name>.out`, little-endian raw bits.
const PROBE: &str = r#"
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

public class StrictProbe {
    static DoubleUnaryOperator unary(String n) {
        switch (n) {
            case "sin": return StrictMath::sin;
            case "cos": return StrictMath::cos;
            case "tan": return StrictMath::tan;
            case "asin": return StrictMath::asin;
            case "acos": return StrictMath::acos;
            case "atan": return StrictMath::atan;
            case "exp": return StrictMath::exp;
            case "log": return StrictMath::log;
            case "log10": return StrictMath::log10;
            case "sqrt": return StrictMath::sqrt;
            case "cbrt": return StrictMath::cbrt;
            case "sinh": return StrictMath::sinh;
            case "cosh": return StrictMath::cosh;
            case "tanh": return StrictMath::tanh;
            case "expm1": return StrictMath::expm1;
            case "log1p": return StrictMath::log1p;
            default: return null;
        }
    }
    static DoubleBinaryOperator binary(String n) {
        switch (n) {
            case "atan2": return StrictMath::atan2;
            case "hypot": return StrictMath::hypot;
            case "pow": return StrictMath::pow;
            default: throw new IllegalArgumentException(n);
        }
    }
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (int a = 1; a < args.length; a++) {
            String name = args[a];
            LongBuffer in = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name + ".in")))
                .order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            DoubleUnaryOperator u = unary(name);
            int n = u != null ? in.remaining() : in.remaining() / 2;
            ByteBuffer out = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
            if (u != null) {
                for (int i = 0; i < n; i++) {
                    out.putLong(Double.doubleToRawLongBits(u.applyAsDouble(Double.longBitsToDouble(in.get(i)))));
                }
            } else {
                DoubleBinaryOperator b = binary(name);
                for (int i = 0; i < n; i++) {
                    double x = Double.longBitsToDouble(in.get(2 * i));
                    double y = Double.longBitsToDouble(in.get(2 * i + 1));
                    out.putLong(Double.doubleToRawLongBits(b.applyAsDouble(x, y)));
                }
            }
            Files.write(dir.resolve(name + ".out"), out.array());
        }
    }
}
"#;

fn same(a: u64, b: u64) -> bool {
    a == b || (f64::from_bits(a).is_nan() && f64::from_bits(b).is_nan())
}

#[test]
fn fdlibm_port_is_bit_exact_with_the_jdk() {
    require_javac();
    assert!(have_java(), "java (JDK 17) is needed: the JDK's results are the reference");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("fdlibm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("StrictProbe.java"), PROBE).unwrap();
    let javac = Command::new("javac")
        .args(["--release", "17", "-d"])
        .arg(&dir)
        .arg(dir.join("StrictProbe.java"))
        .output()
        .expect("javac runs");
    assert!(javac.status.success(), "{}", String::from_utf8_lossy(&javac.stderr));

    // Inputs, written for the JDK; each function has its own seed so the
    // set of one does not depend on the others.
    let mut unary_in = Vec::new();
    for (i, (name, _)) in UNARY.iter().enumerate() {
        let xs = unary_inputs(name, &Rng::new(0x5EED_0000 + i as u64));
        let bytes: Vec<u8> = xs.iter().flat_map(|x| x.to_bits().to_le_bytes()).collect();
        std::fs::write(dir.join(format!("{name}.in")), bytes).unwrap();
        unary_in.push(xs);
    }
    let mut binary_in = Vec::new();
    for (i, (name, _)) in BINARY.iter().enumerate() {
        let ps = binary_inputs(name, &Rng::new(0xB1_0000 + i as u64));
        let bytes: Vec<u8> = ps
            .iter()
            .flat_map(|(x, y)| x.to_bits().to_le_bytes().into_iter().chain(y.to_bits().to_le_bytes()))
            .collect();
        std::fs::write(dir.join(format!("{name}.in")), bytes).unwrap();
        binary_in.push(ps);
    }

    let java = Command::new("java")
        .arg("-cp")
        .arg(&dir)
        .arg("StrictProbe")
        .arg(&dir)
        .args(UNARY.iter().map(|(n, _)| *n).chain(BINARY.iter().map(|(n, _)| *n)))
        .output()
        .expect("java runs");
    assert!(java.status.success(), "{}", String::from_utf8_lossy(&java.stderr));
    let read_out = |name: &str| -> Vec<u64> {
        let b = std::fs::read(dir.join(format!("{name}.out"))).unwrap();
        b.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect()
    };

    let mut mismatches: Vec<String> = Vec::new();
    let mut total_bad = 0usize;
    let mut report = Vec::new();
    let mut total = 0usize;
    for ((name, f), xs) in UNARY.iter().zip(&unary_in) {
        let want = read_out(name);
        assert_eq!(want.len(), xs.len(), "{name}: JDK output length");
        let mut bad = 0;
        for (&x, &w) in xs.iter().zip(&want) {
            let got = f(x).to_bits();
            if !same(got, w) {
                bad += 1;
                if mismatches.len() < 40 {
                    mismatches.push(format!(
                        "{name}({:#018x} = {x:e}): JDK {w:#018x} ({:e}), ours {got:#018x} ({:e})",
                        x.to_bits(),
                        f64::from_bits(w),
                        f64::from_bits(got)
                    ));
                }
            }
        }
        report.push(format!("{name} {} inputs, {bad} differ", xs.len()));
        total += xs.len();
        total_bad += bad;
    }
    for ((name, f), ps) in BINARY.iter().zip(&binary_in) {
        let want = read_out(name);
        assert_eq!(want.len(), ps.len(), "{name}: JDK output length");
        let mut bad = 0;
        for (&(x, y), &w) in ps.iter().zip(&want) {
            let got = f(x, y).to_bits();
            if !same(got, w) {
                bad += 1;
                if mismatches.len() < 40 {
                    mismatches.push(format!(
                        "{name}({:#018x}, {:#018x} = {x:e}, {y:e}): JDK {w:#018x} ({:e}), ours {got:#018x} ({:e})",
                        x.to_bits(),
                        y.to_bits(),
                        f64::from_bits(w),
                        f64::from_bits(got)
                    ));
                }
            }
        }
        report.push(format!("{name} {} inputs, {bad} differ", ps.len()));
        total += ps.len();
        total_bad += bad;
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("fdlibm port vs JDK StrictMath, {total} inputs: {}", report.join("; "));
    assert!(
        total_bad == 0,
        "{total_bad} of {total} results differ from the JDK's StrictMath; first ones:\n{}",
        mismatches.join("\n")
    );
}

// ---------------------------------------------------------------------
// The natives on our VM.

const PROGRAM: &str = r#"
public class MathProbe {
    static long seed = 42;
    static double next() {
        seed = seed * 6364136223846793005L + 1442695040888963407L;
        long bits = seed >>> 12;
        // Mix magnitudes: small, moderate and large arguments.
        double unit = (bits & 0xFFFFFFFFFFFL) / (double) 0x100000000000L;
        int scale = (int) ((seed >>> 3) % 5);
        double[] scales = {1e-6, 0.5, 3.0, 100.0, 1e6};
        return (unit * 2 - 1) * scales[scale];
    }
    static void out(double v) {
        System.out.print(v != v ? 0x7ff8000000000000L : Double.doubleToRawLongBits(v));
        System.out.print(' ');
    }
    static void row(double x, double y) {
        double ax = Math.abs(x) > 1 ? 1 / x : x;
        out(StrictMath.sqrt(Math.abs(x)));
        out(StrictMath.sin(x)); out(StrictMath.cos(x)); out(StrictMath.tan(x));
        out(StrictMath.asin(ax)); out(StrictMath.acos(ax)); out(StrictMath.atan(x));
        out(StrictMath.exp(x / 1e4)); out(StrictMath.log(Math.abs(x))); out(StrictMath.log10(Math.abs(x)));
        out(StrictMath.cbrt(x)); out(StrictMath.sinh(x / 1e4)); out(StrictMath.cosh(x / 1e4)); out(StrictMath.tanh(x));
        out(StrictMath.expm1(x / 1e4)); out(StrictMath.log1p(Math.abs(x)));
        out(StrictMath.atan2(y, x)); out(StrictMath.hypot(x, y)); out(StrictMath.pow(Math.abs(x), y / 1e5));
        // Argument order: these differ when the operands are swapped.
        out(StrictMath.atan2(x, y)); out(StrictMath.pow(x, 3.0)); out(StrictMath.pow(2.0, y / 1e5));
        System.out.println();
    }
    public static void main(String[] args) {
        double[] special = {0.0, -0.0, 1.0, -1.0, 0.5, -2.0, 1e300, -1e-300, 4.9e-324,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        for (double x : special) for (double y : special) row(x, y);
        for (int i = 0; i < 2000; i++) {
            double x = next(), y = next();
            row(x, y);
        }
    }
}
"#;

const NAMES: [&str; 22] = [
    "sqrt",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "exp",
    "log",
    "log10",
    "cbrt",
    "sinh",
    "cosh",
    "tanh",
    "expm1",
    "log1p",
    "atan2",
    "hypot",
    "pow",
    "atan2(x,y)",
    "pow(x,3)",
    "pow(2,y)",
];

#[test]
fn strict_math_natives_against_the_jdk() {
    require_javac();
    assert!(have_java(), "java (JDK 17) is needed: the JDK's results are the reference");
    let ours = run_java(&[("MathProbe.java", PROGRAM)], "MathProbe");
    assert!(ours.result.is_ok(), "{:?}\n{}", ours.result, ours.stderr);
    // The JDK compiles the same source against its own library.
    let (theirs, err, status) = run_real_java(&[("MathProbe.java", PROGRAM)], "MathProbe").expect("java runs");
    assert_eq!(status, 0, "{err}");
    let parse = |s: &str| -> Vec<Vec<i64>> {
        s.lines().map(|l| l.split_whitespace().map(|v| v.parse().unwrap()).collect()).collect()
    };
    let (o, t) = (parse(&ours.stdout), parse(&theirs));
    assert_eq!(o.len(), t.len());
    for (row, (ol, tl)) in o.iter().zip(&t).enumerate() {
        assert_eq!(ol.len(), NAMES.len());
        for (f, (&a, &b)) in ol.iter().zip(tl).enumerate() {
            assert!(
                a == b,
                "row {row}, {}: ours {:#018x} ({:e}), JDK {:#018x} ({:e})",
                NAMES[f],
                a,
                f64::from_bits(a as u64),
                b,
                f64::from_bits(b as u64)
            );
        }
    }
    println!("{} rows of {} StrictMath calls identical on our VM and the JDK", o.len(), NAMES.len());
}
