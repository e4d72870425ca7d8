package java.lang;

/** Stub: the VM's StrictMath natives (pd-jvm/src/runtime/math.rs). */
public final class StrictMath {
    private StrictMath() {}
    public static native double sin(double a);
    public static native double cos(double a);
    public static native double tan(double a);
    public static native double asin(double a);
    public static native double acos(double a);
    public static native double atan(double a);
    public static native double exp(double a);
    public static native double log(double a);
    public static native double log10(double a);
    public static native double sqrt(double a);
    public static native double cbrt(double a);
    public static native double sinh(double a);
    public static native double cosh(double a);
    public static native double tanh(double a);
    public static native double expm1(double a);
    public static native double log1p(double a);
    public static native double atan2(double y, double x);
    public static native double hypot(double x, double y);
    public static native double pow(double a, double b);
}
