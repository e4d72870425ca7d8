public class StaticFinalConsts {
    static final String A = "con" + "cat";
    static final int N = 3 * 7;
    static final long BIG = 1L << 40;
    static final double D = 1.0 / 4;
    static final char C = 'x' + 1;
    static String nonConst = "con";
    public static void main(String[] args) {
        String b = "concat";
        System.out.println((A == b) + " " + ((nonConst + "cat") == b) + " " + (nonConst + "cat").equals(b) + " " + ((nonConst + "cat").intern() == b));
        System.out.println(N + " " + BIG + " " + D + " " + C);
        final int local = 10;
        switch (21) { case N: System.out.println("case uses constant"); break; default: System.out.println("no"); }
        System.out.println(Integer.MAX_VALUE + Integer.MIN_VALUE + " " + Long.MAX_VALUE / local + " " + Byte.MIN_VALUE + " " + Short.MAX_VALUE + " " + (int) Character.MAX_VALUE);
        System.out.println(Float.MAX_VALUE + " " + Float.MIN_NORMAL + " " + Double.MAX_EXPONENT + " " + Float.SIZE + " " + Long.BYTES);
    }
}
