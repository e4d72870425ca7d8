//! `java.lang.StrictMath`'s transcendental functions, as natives on
//! [`super::fdlibm`], our port of Sun's fdlibm 5.3: the library whose
//! results the `StrictMath` specification requires bit for bit, so these
//! agree with JDK 17's `StrictMath` on every input (tests/interp_math.rs
//! compares them on special values and millions of random inputs). `sqrt`
//! is fdlibm's bit-by-bit e_sqrt.c, correctly rounded as IEEE 754 requires.

use super::fdlibm;
use super::natives::{Args, NativeFn, NativeResult};
use super::{Value, Vm};

macro_rules! unary {
    ($($name:ident => $f:path),* $(,)?) => {$(
        fn $name(vm: &mut Vm, a: Args) -> NativeResult {
            Ok(Value::Double($f(a.double(vm, 0))))
        }
    )*};
}

// A `double` takes two argument slots, so the second operand is slot 2.
macro_rules! binary {
    ($($name:ident => $f:path),* $(,)?) => {$(
        fn $name(vm: &mut Vm, a: Args) -> NativeResult {
            Ok(Value::Double($f(a.double(vm, 0), a.double(vm, 2))))
        }
    )*};
}

unary! {
    sin => fdlibm::sin, cos => fdlibm::cos, tan => fdlibm::tan,
    asin => fdlibm::asin, acos => fdlibm::acos, atan => fdlibm::atan,
    exp => fdlibm::exp, log => fdlibm::log, log10 => fdlibm::log10,
    sqrt => fdlibm::sqrt, cbrt => fdlibm::cbrt,
    sinh => fdlibm::sinh, cosh => fdlibm::cosh, tanh => fdlibm::tanh,
    expm1 => fdlibm::expm1, log1p => fdlibm::log1p,
}

// StrictMath.atan2(y, x): slot 0 is y, as in fdlibm's atan2(y, x).
binary! { atan2 => fdlibm::atan2, hypot => fdlibm::hypot, pow => fdlibm::pow }

/// The same functions for compiled code to call directly, with no frame
/// ([`super::compiler::PureNative`]): `extern "C"` on the machine's
/// floating-point registers.
macro_rules! direct {
    ($($name:ident => $f:path : ($($a:ident),*)),* $(,)?) => {$(
        extern "C" fn $name($($a: f64),*) -> f64 {
            $f($($a),*)
        }
    )*};
}

direct! {
    c_sin => fdlibm::sin: (x), c_cos => fdlibm::cos: (x), c_tan => fdlibm::tan: (x),
    c_asin => fdlibm::asin: (x), c_acos => fdlibm::acos: (x), c_atan => fdlibm::atan: (x),
    c_exp => fdlibm::exp: (x), c_log => fdlibm::log: (x), c_log10 => fdlibm::log10: (x),
    c_cbrt => fdlibm::cbrt: (x), c_sinh => fdlibm::sinh: (x), c_cosh => fdlibm::cosh: (x),
    c_tanh => fdlibm::tanh: (x), c_expm1 => fdlibm::expm1: (x), c_log1p => fdlibm::log1p: (x),
    c_atan2 => fdlibm::atan2: (y, x), c_hypot => fdlibm::hypot: (x, y), c_pow => fdlibm::pow: (x, y),
}

/// What compiled code may do instead of calling the `StrictMath` native
/// `name` (when `f` is still ours): `sqrt` inline (IEEE 754's correctly
/// rounded square root, the bits fdlibm's e_sqrt.c gives), the others
/// through their `extern "C"` twins.
pub(crate) fn strict_math_direct(name: &[u8], f: NativeFn) -> Option<super::compiler::PureNative> {
    use super::compiler::PureNative;
    let (_, _, ours) = STRICT_MATH.iter().find(|(n, _, _)| n.as_bytes() == name)?;
    if *ours as usize != f as usize {
        return None;
    }
    let d1 = |g: extern "C" fn(f64) -> f64| Some(PureNative::D1(g as usize));
    let d2 = |g: extern "C" fn(f64, f64) -> f64| Some(PureNative::D2(g as usize));
    match name {
        b"sqrt" => Some(PureNative::Sqrt),
        b"sin" => d1(c_sin),
        b"cos" => d1(c_cos),
        b"tan" => d1(c_tan),
        b"asin" => d1(c_asin),
        b"acos" => d1(c_acos),
        b"atan" => d1(c_atan),
        b"exp" => d1(c_exp),
        b"log" => d1(c_log),
        b"log10" => d1(c_log10),
        b"cbrt" => d1(c_cbrt),
        b"sinh" => d1(c_sinh),
        b"cosh" => d1(c_cosh),
        b"tanh" => d1(c_tanh),
        b"expm1" => d1(c_expm1),
        b"log1p" => d1(c_log1p),
        b"atan2" => d2(c_atan2),
        b"hypot" => d2(c_hypot),
        b"pow" => d2(c_pow),
        _ => None,
    }
}

pub(crate) const STRICT_MATH: &[(&str, &str, NativeFn)] = &[
    ("sin", "(D)D", sin),
    ("cos", "(D)D", cos),
    ("tan", "(D)D", tan),
    ("asin", "(D)D", asin),
    ("acos", "(D)D", acos),
    ("atan", "(D)D", atan),
    ("exp", "(D)D", exp),
    ("log", "(D)D", log),
    ("log10", "(D)D", log10),
    ("sqrt", "(D)D", sqrt),
    ("cbrt", "(D)D", cbrt),
    ("sinh", "(D)D", sinh),
    ("cosh", "(D)D", cosh),
    ("tanh", "(D)D", tanh),
    ("expm1", "(D)D", expm1),
    ("log1p", "(D)D", log1p),
    ("atan2", "(DD)D", atan2),
    ("hypot", "(DD)D", hypot),
    ("pow", "(DD)D", pow),
];
