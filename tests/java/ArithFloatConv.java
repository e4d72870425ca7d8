public class ArithFloatConv {
    public static void main(String[] args) {
        double[] ds = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e20, -1e20, 3.99, -3.99, 2147483647.5, -2147483648.7, 0.0, -0.0};
        for (double d : ds) {
            System.out.println(d + " -> int " + (int) d + ", long " + (long) d + ", float " + (float) d);
        }
        float[] fs = {Float.NaN, Float.MAX_VALUE, -Float.MAX_VALUE, 1e10f, 16777217f, 0.1f};
        for (float f : fs) {
            System.out.println(f + " -> int " + (int) f + ", long " + (long) f + ", double " + (double) f);
        }
        System.out.println((long) 9.223372036854776E18 + " " + (int) Float.MIN_VALUE);
        System.out.println((char) 70000.0 + 0 + " " + (short) 1e10 + " " + (byte) -129.0);
    }
}
