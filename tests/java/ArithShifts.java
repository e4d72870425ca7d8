public class ArithShifts {
    public static void main(String[] args) {
        int v = 0x8000_0001;
        for (int s = -2; s <= 34; s += 3) {
            System.out.println(s + ": " + (v << s) + " " + (v >> s) + " " + (v >>> s));
        }
        long w = 0x8000_0000_0000_0001L;
        for (int s = -2; s <= 66; s += 7) {
            System.out.println(s + ": " + (w << s) + " " + (w >> s) + " " + (w >>> s));
        }
        System.out.println(Integer.bitCount(v) + " " + Integer.numberOfLeadingZeros(1) + " " + Integer.numberOfTrailingZeros(8));
        System.out.println(Integer.reverse(1) + " " + Integer.rotateLeft(v, 4) + " " + Long.highestOneBit(1000L));
        System.out.println((5 & 3) + " " + (5 | 3) + " " + (5 ^ 3) + " " + (~5));
    }
}
