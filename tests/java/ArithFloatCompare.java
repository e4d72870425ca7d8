public class ArithFloatCompare {
    static String cmp(double a, double b) {
        return (a < b) + " " + (a > b) + " " + (a == b) + " " + (a <= b) + " " + (a >= b) + " " + (a != b);
    }
    static String cmpf(float a, float b) {
        return (a < b) + " " + (a > b) + " " + (a == b) + " " + (a <= b) + " " + (a >= b) + " " + (a != b);
    }
    public static void main(String[] args) {
        System.out.println(cmp(Double.NaN, 1.0));
        System.out.println(cmp(1.0, Double.NaN));
        System.out.println(cmp(Double.NaN, Double.NaN));
        System.out.println(cmp(0.0, -0.0));
        System.out.println(cmpf(Float.NaN, 0f));
        System.out.println(cmpf(-0f, 0f));
        System.out.println(Double.compare(0.0, -0.0) + " " + Double.compare(Double.NaN, Double.POSITIVE_INFINITY));
        System.out.println(Float.compare(Float.NaN, Float.NaN) + " " + Double.valueOf(Double.NaN).equals(Double.NaN));
        System.out.println(Math.min(0.0, -0.0) + " " + Math.max(-0.0, 0.0) + " " + Math.min(Double.NaN, 1.0));
        System.out.println(0.1 + 0.2);
        System.out.println(0.1f + 0.2f);
        System.out.println(1.0 / 3.0 * 3.0);
        System.out.println((float) (1.0 / 3.0));
        double x = 1e308;
        System.out.println(x * 10 + " " + -x * 10 + " " + x * 10 * 0);
        System.out.println(Double.MIN_VALUE / 2 + " " + Double.MIN_NORMAL);
    }
}
