// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

/**
 * The 48-bit linear congruential generator of the Random specification: the seed is
 * scrambled with 0x5DEECE66D, next(bits) takes the high bits of each new seed, and
 * nextInt, nextInt(bound), nextLong, nextBoolean, nextFloat, nextDouble, nextGaussian and
 * nextBytes are computed from next() exactly as the specification describes them.
 *
 * <p>The bounded methods inherited by JDK 17's Random from RandomGenerator (nextInt(origin,
 * bound), nextLong(bound), nextLong(origin, bound), nextFloat(bound), nextDouble(bound),
 * nextDouble(origin, bound), nextFloat(origin, bound)) follow the RandomGenerator
 * documentation, with the rejection rule of nextInt(bound) applied to a full 32- or 64-bit
 * draw shifted right by one (checked against JDK 17's sequences). Streams are not provided.
 */
public class Random implements java.io.Serializable {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long INCREMENT = 0xBL;
    private static final long MASK = (1L << 48) - 1;

    private long seed;
    private double nextNextGaussian;
    private boolean haveNextNextGaussian;

    private static long seedCounter = 0x2545F4914F6CDD1DL;

    public Random() {
        this(freshSeed());
    }

    /** Distinct seeds for unseeded generators: a counter mixed with the clock. */
    private static synchronized long freshSeed() {
        seedCounter += 0x9E3779B97F4A7C15L;
        long z = seedCounter ^ System.nanoTime();
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        return z ^ (z >>> 29);
    }

    public Random(long seed) {
        if (getClass() == Random.class) {
            this.seed = (seed ^ MULTIPLIER) & MASK;
        } else {
            setSeed(seed); // a subclass may override setSeed
        }
    }

    public synchronized void setSeed(long seed) {
        this.seed = (seed ^ MULTIPLIER) & MASK;
        haveNextNextGaussian = false;
    }

    /** seed = (seed * 0x5DEECE66D + 0xB) mod 2^48; the top `bits` bits of the new seed. */
    protected int next(int bits) {
        seed = (seed * MULTIPLIER + INCREMENT) & MASK;
        return (int) (seed >>> (48 - bits));
    }

    /** Bytes from successive nextInt() values, least significant byte first. */
    public void nextBytes(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int rnd = nextInt();
            for (int k = 0; k < 4 && i < bytes.length; k++) {
                bytes[i++] = (byte) rnd;
                rnd >>= 8;
            }
        }
    }

    public int nextInt() {
        return next(32);
    }

    /**
     * As specified: a power of two takes the high bits of next(31); otherwise next(31) values
     * from the incomplete last block of bound values are rejected.
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        if ((bound & -bound) == bound) {
            return (int) ((bound * (long) next(31)) >> 31);
        }
        int bits;
        int val;
        do {
            bits = next(31);
            val = bits % bound;
        } while (bits - val + (bound - 1) < 0);
        return val;
    }

    public int nextInt(int origin, int bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("bound must be greater than origin");
        }
        int span = bound - origin; // may overflow to a negative number
        int r = nextInt();
        if ((span & (span - 1)) == 0) {
            // a power of two (including 2^31, whose int is MIN_VALUE): mask the low bits
            return (r & (span - 1)) + origin;
        }
        if (span > 0) {
            int u = r >>> 1;
            while (true) {
                int val = u % span;
                if (u - val + (span - 1) >= 0) {
                    return val + origin;
                }
                u = nextInt() >>> 1;
            }
        }
        // the range is wider than an int's half: draw until inside
        while (r < origin || r >= bound) {
            r = nextInt();
        }
        return r;
    }

    /** As specified: two next(32) values, the first as the high half. */
    public long nextLong() {
        return ((long) next(32) << 32) + next(32);
    }

    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        long r = nextLong();
        if ((bound & (bound - 1)) == 0) {
            return r & (bound - 1);
        }
        long u = r >>> 1;
        while (true) {
            long val = u % bound;
            if (u - val + (bound - 1) >= 0) {
                return val;
            }
            u = nextLong() >>> 1;
        }
    }

    public long nextLong(long origin, long bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("bound must be greater than origin");
        }
        long span = bound - origin;
        long r = nextLong();
        if ((span & (span - 1)) == 0) {
            return (r & (span - 1)) + origin;
        }
        if (span > 0) {
            long u = r >>> 1;
            while (true) {
                long val = u % span;
                if (u - val + (span - 1) >= 0) {
                    return val + origin;
                }
                u = nextLong() >>> 1;
            }
        }
        while (r < origin || r >= bound) {
            r = nextLong();
        }
        return r;
    }

    public boolean nextBoolean() {
        return next(1) != 0;
    }

    /** next(24) / 2^24. */
    public float nextFloat() {
        return next(24) / ((float) (1 << 24));
    }

    public float nextFloat(float bound) {
        if (!(bound > 0.0f && bound < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("bound must be finite and positive");
        }
        float r = nextFloat() * bound;
        // rounding can reach the bound: use the float just below it
        return (r < bound) ? r : Math.nextDown(bound);
    }

    public float nextFloat(float origin, float bound) {
        if (!(origin < bound && (bound - origin) < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("bound must be greater than origin");
        }
        float r = nextFloat() * (bound - origin) + origin;
        return (r < bound) ? r : Math.nextDown(bound);
    }

    /** (next(26) * 2^27 + next(27)) / 2^53. */
    public double nextDouble() {
        return (((long) next(26) << 27) + next(27)) * 0x1.0p-53;
    }

    public double nextDouble(double bound) {
        if (!(bound > 0.0 && bound < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("bound must be finite and positive");
        }
        double r = nextDouble() * bound;
        return (r < bound) ? r : Math.nextDown(bound);
    }

    public double nextDouble(double origin, double bound) {
        if (!(origin < bound && (bound - origin) < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("bound must be greater than origin");
        }
        double r = nextDouble() * (bound - origin) + origin;
        return (r < bound) ? r : Math.nextDown(bound);
    }

    /**
     * The polar method as specified: pairs (v1, v2) uniform in the square until inside the
     * unit circle; both scaled by sqrt(-2 log(s) / s), the second kept for the next call.
     */
    public synchronized double nextGaussian() {
        if (haveNextNextGaussian) {
            haveNextNextGaussian = false;
            return nextNextGaussian;
        }
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * nextDouble() - 1;
            v2 = 2 * nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        double scale = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        nextNextGaussian = v2 * scale;
        haveNextNextGaussian = true;
        return v1 * scale;
    }
}
