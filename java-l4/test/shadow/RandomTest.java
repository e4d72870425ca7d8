package shadowtest;

/** java.util.Random sequences: ours against the JDK's for many seeds and every method. */
public class RandomTest {
    public static void main(String[] args) {
        Check c = new Check("Random");
        long[] seeds = {0, 1, -1, 42, 12345, Long.MIN_VALUE, Long.MAX_VALUE, 0x5DEECE66DL, 987654321987654321L};
        int n = Check.n(20_000);
        for (long seed : seeds) {
            java.util.Random jdk = new java.util.Random(seed);
            shadow.java.util.Random ours = new shadow.java.util.Random(seed);
            for (int i = 0; i < n; i++) {
                int op = i % 17;
                String what = "seed " + seed + " call " + i + " op " + op;
                switch (op) {
                    case 0: c.eq(what, jdk.nextInt(), ours.nextInt()); break;
                    case 1: c.eq(what, jdk.nextInt(1 + (i % 1000)), ours.nextInt(1 + (i % 1000))); break;
                    case 2: c.eq(what, jdk.nextInt(1 << (i % 31)), ours.nextInt(1 << (i % 31))); break;
                    case 3: c.eq(what, jdk.nextLong(), ours.nextLong()); break;
                    case 4: c.eq(what, jdk.nextDouble(), ours.nextDouble()); break;
                    case 5: c.eq(what, jdk.nextFloat(), ours.nextFloat()); break;
                    case 6: c.eq(what, jdk.nextBoolean(), ours.nextBoolean()); break;
                    case 7: c.eq(what, jdk.nextGaussian(), ours.nextGaussian()); break;
                    case 8: {
                        byte[] a = new byte[i % 11];
                        byte[] b = new byte[i % 11];
                        jdk.nextBytes(a);
                        ours.nextBytes(b);
                        c.eq(what, java.util.Arrays.toString(a), java.util.Arrays.toString(b));
                        break;
                    }
                    case 9: c.eq(what, jdk.nextInt(-500, 1 + i), ours.nextInt(-500, 1 + i)); break;
                    case 10: c.eq(what, jdk.nextInt(Integer.MIN_VALUE, Integer.MAX_VALUE), ours.nextInt(Integer.MIN_VALUE, Integer.MAX_VALUE)); break;
                    case 11: c.eq(what, jdk.nextLong(1L + i * 7919L), ours.nextLong(1L + i * 7919L)); break;
                    case 12: c.eq(what, jdk.nextLong(-i, 1L << (i % 63)), ours.nextLong(-i, 1L << (i % 63))); break;
                    case 13: c.eq(what, jdk.nextDouble(1.5 + i), ours.nextDouble(1.5 + i)); break;
                    case 14: c.eq(what, jdk.nextDouble(-2.0, 3.0), ours.nextDouble(-2.0, 3.0)); break;
                    case 15: c.eq(what, jdk.nextFloat(7.0f), ours.nextFloat(7.0f)); break;
                    default:
                        if (i % 1000 == 16) {
                            jdk.setSeed(seed + i);
                            ours.setSeed(seed + i);
                        }
                        c.eq(what, jdk.nextGaussian(), ours.nextGaussian());
                }
            }
        }
        c.eq("nextInt(0)", Check.outcome(() -> new java.util.Random(1).nextInt(0)),
                Check.outcome(() -> new shadow.java.util.Random(1).nextInt(0)));
        c.eq("nextInt(5,5)", Check.outcome(() -> new java.util.Random(1).nextInt(5, 5)),
                Check.outcome(() -> new shadow.java.util.Random(1).nextInt(5, 5)));
        c.eq("nextDouble(0)", Check.outcome(() -> new java.util.Random(1).nextDouble(0)),
                Check.outcome(() -> new shadow.java.util.Random(1).nextDouble(0)));
        c.done();
    }
}
