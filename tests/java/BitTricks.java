public class BitTricks {
    public static void main(String[] args) {
        int x = 0b1011_0110;
        System.out.println(Integer.toBinaryString(x & (x - 1)) + " " + Integer.toBinaryString(x & -x) + " " + Integer.toBinaryString(x | (x + 1)) + " " + (x ^ (x >> 1)));
        int subsets = 0;
        for (int mask = x; mask != 0; mask = (mask - 1) & x) subsets++;
        System.out.println("subsets " + (subsets + 1));
        long gray = 0;
        for (int i = 0; i < 16; i++) gray = gray * 31 + (i ^ (i >>> 1));
        System.out.println(gray);
        int v = 0x12345678;
        int swapped = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
        System.out.println(Integer.toHexString(swapped) + " " + (swapped == Integer.reverseBytes(v)));
        byte b = (byte) 0xF0;
        System.out.println((b >> 2) + " " + (b >>> 2) + " " + ((b & 0xff) >>> 2) + " " + (byte) (b << 1));
        short s = (short) 0x8001;
        char c = (char) s;
        System.out.println(s + " " + (int) c + " " + (s >>> 1) + " " + (c >> 1));
        long bits = Double.doubleToLongBits(-2.5);
        System.out.println(Long.toHexString(bits) + " " + Integer.toHexString(Float.floatToIntBits(0.1f)) + " " + Double.longBitsToDouble(0x7ff0000000000000L) + " " + Float.intBitsToFloat(0x7fc00000));
        System.out.println(Double.doubleToLongBits(Double.NaN) == 0x7ff8000000000000L);
    }
}
