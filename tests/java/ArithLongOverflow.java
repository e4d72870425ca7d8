public class ArithLongOverflow {
    public static void main(String[] args) {
        long max = Long.MAX_VALUE, min = Long.MIN_VALUE;
        System.out.println(max + 1);
        System.out.println(min / -1L);
        System.out.println(min % -1L);
        System.out.println(max * max);
        System.out.println((1L << 65) + " " + (-1L >>> 60) + " " + (-256L >> 4));
        System.out.println((int) 0x1_0000_0001L + " " + (long) -1 + " " + (int) max);
        long acc = 1;
        for (int i = 1; i <= 25; i++) {
            acc *= i;
            System.out.println(i + "! = " + acc);
        }
        System.out.println(Long.toHexString(min) + " " + Long.toString(-255L, 16) + " " + Long.toBinaryString(5L));
    }
}
