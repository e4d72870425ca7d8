public class NumDoubleToString {
    public static void main(String[] args) {
        double[] ds = {0.0, -0.0, 1.0, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 100.0, 1e7, 1e-3, 9.999999e6, 1.0E7 - 1, 1e-4, 123456789.123,
            Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL, 2e-323, 1.7976931348623157e308, Math.PI, Math.E, 5e-324, 0.001,
            1.0E21, 1.0E22, 1.0E23, 2.0E23, 4.35, 0.3 * 3, 1e16, 1.2345678901234567e-8, 9007199254740993.0, 4.9e-324, 2.2250738585072014E-308,
            1.0E-5, 0.00001234, 1234567.0, 12345678.0, 0.1 + 0.7, 1.1 * 1.1, 100.0 / 3, 5e-5, 2.5e-3, 7.0E-10};
        for (double d : ds) System.out.println(d + " " + (float) d);
        float[] fs = {0.1f, 1.0f / 3, 16777216f, 3.4028235e38f, 1.4e-45f, 1.17549435E-38f, 0.3f, 1e7f, 9999999f, 1.0E-3f, 123.456f, 2.7182817f, 0.33333334f, 8.5E-6f};
        for (float f : fs) System.out.println(f);
        long bits = 0x3FB999999999999AL;
        for (int i = 0; i < 40; i++) {
            double d = Double.longBitsToDouble(bits + i * 0x0001_0000_0001_0001L);
            System.out.print(d + " ");
        }
        System.out.println();
        int fb = 0x3DCCCCCD;
        for (int i = 0; i < 40; i++) System.out.print(Float.intBitsToFloat(fb + i * 0x00010011) + " ");
        System.out.println();
    }
}
