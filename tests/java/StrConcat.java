public class StrConcat {
    record P(int x, int y) {}
    public static void main(String[] args) {
        int i = 7;
        long l = -3L;
        char c = 'q';
        float f = 1.25f;
        double d = 1e-7;
        boolean b = false;
        Object o = null;
        String s = "s";
        P p = new P(1, 2);
        System.out.println("i=" + i + " l=" + l + " c=" + c + " f=" + f + " d=" + d + " b=" + b + " o=" + o + " s=" + s + " p=" + p);
        System.out.println(i + l + "|" + c + i + "|" + (c + i) + "|" + 1 + 2 + "|" + (1 + 2));
        String acc = "";
        for (int k = 0; k < 5; k++) {
            acc += k;
        }
        System.out.println(acc + '!' + 'x' + 3.0 + Double.NaN + Float.NEGATIVE_INFINITY);
        char[] arr = {'a', 'b'};
        System.out.println("arr is " + arr.length + " chars: " + arr[0] + arr[1]);
        System.out.println("\u0001 tag \u0002 constants kept" + i);
    }
}
