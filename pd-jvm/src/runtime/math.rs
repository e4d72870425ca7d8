//! `java.lang.StrictMath`'s transcendental functions, as natives on the
//! `libm` crate (a `no_std` port of musl's libm, which descends from
//! FreeBSD's msun and Sun's fdlibm). JDK 17's `StrictMath` is fdlibm 5.3
//! itself; the two agree on most inputs but not all, so `StrictMath` here is
//! not yet bit-exact with the JDK (docs/jvm.md tracks the fdlibm port).
//! `sqrt` is exact in both (IEEE 754 requires correct rounding).

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
    sin => libm::sin, cos => libm::cos, tan => libm::tan,
    asin => libm::asin, acos => libm::acos, atan => libm::atan,
    exp => libm::exp, log => libm::log, log10 => libm::log10,
    sqrt => libm::sqrt, cbrt => libm::cbrt,
    sinh => libm::sinh, cosh => libm::cosh, tanh => libm::tanh,
    expm1 => libm::expm1, log1p => libm::log1p,
}

binary! { atan2 => libm::atan2, hypot => libm::hypot, pow => libm::pow }

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
