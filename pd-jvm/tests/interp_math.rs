//! StrictMath's natives against the JDK's StrictMath (fdlibm): sqrt must be
//! bit-exact; the others (the `libm` crate) must be close (16 ulps catches a
//! wrong argument or function, not fdlibm's last-bit choices), and the share
//! of bit-identical results and the largest distance are printed: that is
//! how far we are from a bit-exact StrictMath. NaNs compare as one value.

mod interp_support;
use interp_support::*;

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
        System.out.print(Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(v) && v != v ? 0x7ff8000000000000L : Double.doubleToRawLongBits(v));
        System.out.print(' ');
    }
    public static void main(String[] args) {
        for (int i = 0; i < 2000; i++) {
            double x = next(), y = next();
            double ax = Math.abs(x) > 1 ? 1 / x : x;
            out(StrictMath.sqrt(Math.abs(x)));
            out(StrictMath.sin(x)); out(StrictMath.cos(x)); out(StrictMath.tan(x));
            out(StrictMath.asin(ax)); out(StrictMath.acos(ax)); out(StrictMath.atan(x));
            out(StrictMath.exp(x / 1e4)); out(StrictMath.log(Math.abs(x))); out(StrictMath.log10(Math.abs(x)));
            out(StrictMath.cbrt(x)); out(StrictMath.sinh(x / 1e4)); out(StrictMath.cosh(x / 1e4)); out(StrictMath.tanh(x));
            out(StrictMath.expm1(x / 1e4)); out(StrictMath.log1p(Math.abs(x)));
            out(StrictMath.atan2(y, x)); out(StrictMath.hypot(x, y)); out(StrictMath.pow(Math.abs(x), y / 1e5));
            System.out.println();
        }
    }
}
"#;

const NAMES: [&str; 19] = [
    "sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "exp", "log", "log10", "cbrt", "sinh", "cosh", "tanh",
    "expm1", "log1p", "atan2", "hypot", "pow",
];

#[test]
fn strict_math_natives_against_the_jdk() {
    if !have_javac() || !have_java() {
        eprintln!("skipped: no JDK on PATH");
        return;
    }
    let ours = run_java(&[("MathProbe.java", PROGRAM)], "MathProbe");
    assert!(ours.result.is_ok(), "{}", ours.stderr);
    // The JDK compiles the same source against its own library.
    let (theirs, err, status) = run_real_java(&[("MathProbe.java", PROGRAM)], "MathProbe").expect("java runs");
    assert_eq!(status, 0, "{err}");
    let parse = |s: &str| -> Vec<Vec<i64>> {
        s.lines().map(|l| l.split_whitespace().map(|v| v.parse().unwrap()).collect()).collect()
    };
    let (o, t) = (parse(&ours.stdout), parse(&theirs));
    assert_eq!(o.len(), t.len());
    let mut exact = [0usize; 19];
    let mut worst = [0u64; 19];
    for (ol, tl) in o.iter().zip(&t) {
        for (f, (&a, &b)) in ol.iter().zip(tl).enumerate() {
            let ulps = (a - b).unsigned_abs();
            assert!(ulps <= 16, "{}: {:e} vs JDK {:e}", NAMES[f], f64::from_bits(a as u64), f64::from_bits(b as u64));
            exact[f] += (ulps == 0) as usize;
            worst[f] = worst[f].max(ulps);
        }
    }
    assert_eq!(exact[0], o.len(), "sqrt must be correctly rounded");
    let report: Vec<String> = (0..19)
        .map(|f| format!("{} {:.1}% (max {} ulp)", NAMES[f], 100.0 * exact[f] as f64 / o.len() as f64, worst[f]))
        .collect();
    println!("bit-identical to the JDK's StrictMath: {}", report.join(", "));
}
