public class ArithIntOverflow {
    public static void main(String[] args) {
        int max = Integer.MAX_VALUE, min = Integer.MIN_VALUE;
        System.out.println(max + 1);
        System.out.println(min - 1);
        System.out.println(max * 2);
        System.out.println(min / -1);
        System.out.println(min % -1);
        System.out.println(-7 / 2 + " " + -7 % 2 + " " + 7 / -2 + " " + 7 % -2);
        System.out.println((1 << 33) + " " + (1 << -1) + " " + (-16 >> 2) + " " + (-16 >>> 28));
        System.out.println((byte) 200 + " " + (short) 70000 + " " + (char) 65 + " " + (int) 'z');
        System.out.println(Integer.MIN_VALUE == -Integer.MIN_VALUE);
        System.out.println(Math.abs(Integer.MIN_VALUE));
        int x = 5;
        x += 3.7;
        System.out.println(x);
        x = 10;
        x >>>= 33;
        System.out.println(x);
        System.out.println(Integer.toHexString(-1) + " " + Integer.toBinaryString(10) + " " + Integer.toOctalString(64));
    }
}
