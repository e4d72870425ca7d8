public class NumStrictMath {
    public static void main(String[] args) {
        double[] xs = {0.0, -0.0, 0.5, 1.0, -1.0, 2.0, 3.0, 10.0, 100.0, 1e-10, 1e10, 0.7853981633974483, 1.5707963267948966, 3.141592653589793, -2.5, 1e300, 5e-324, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double x : xs) {
            System.out.println(x + ": sin=" + StrictMath.sin(x) + " cos=" + StrictMath.cos(x) + " tan=" + StrictMath.tan(x) + " atan=" + StrictMath.atan(x)
                + " exp=" + StrictMath.exp(x) + " log=" + StrictMath.log(x) + " log10=" + StrictMath.log10(x) + " sqrt=" + StrictMath.sqrt(x) + " cbrt=" + StrictMath.cbrt(x)
                + " sinh=" + StrictMath.sinh(x) + " cosh=" + StrictMath.cosh(x) + " tanh=" + StrictMath.tanh(x) + " expm1=" + StrictMath.expm1(x) + " log1p=" + StrictMath.log1p(x));
        }
        double[] ys = {-1.0, -0.5, 0.0, 0.5, 1.0, 1.1};
        for (double y : ys) System.out.println(y + ": asin=" + StrictMath.asin(y) + " acos=" + StrictMath.acos(y));
        System.out.println(StrictMath.atan2(1, 1) + " " + StrictMath.atan2(-1, -1) + " " + StrictMath.atan2(0.0, -0.0) + " " + StrictMath.hypot(3, 4) + " " + StrictMath.hypot(1e300, 1e300));
        System.out.println(StrictMath.pow(2, 0.5) + " " + StrictMath.pow(-8, 1.0 / 3) + " " + StrictMath.pow(10, -3) + " " + StrictMath.pow(0.0, -1) + " " + StrictMath.pow(-1, Double.POSITIVE_INFINITY) + " " + StrictMath.pow(1.0000001, 1e7));
        double acc = 0;
        for (int i = 1; i <= 2000; i++) acc += StrictMath.sin(i * 0.37) * StrictMath.log(i) + StrictMath.cbrt(i) - StrictMath.atan2(i, 7);
        System.out.println(acc);
        System.out.println(Math.abs(-0.0) + " " + Math.signum(-3.2) + " " + Math.floor(-1.5) + " " + Math.ceil(-1.5) + " " + Math.round(2.5) + " " + Math.round(-2.5) + " " + Math.rint(2.5) + " " + Math.round(0.49999999999999994));
        System.out.println(Math.sqrt(2) + " " + Math.toDegrees(1) + " " + Math.toRadians(180) + " " + Math.ulp(1.0) + " " + Math.copySign(3, -0.0) + " " + Math.getExponent(1000.0) + " " + Math.scalb(1.5, 4));
    }
}
