// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package capuchin.internal;

/** Array growth for the library's buffers. */
public final class ArraysSupport {
    private ArraysSupport() {
    }

    /** Arrays stay a little below Integer.MAX_VALUE elements unless more is required. */
    public static final int SOFT_MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /**
     * The new length for an array of oldLength that must grow by at least minGrowth and
     * would like to grow by prefGrowth: old + max(min, pref) while that stays below the soft
     * maximum; else the soft maximum, or exactly the minimum when even that is above it.
     */
    public static int newLength(int oldLength, int minGrowth, int prefGrowth) {
        long preferred = (long) oldLength + Math.max(minGrowth, prefGrowth);
        if (preferred <= SOFT_MAX_ARRAY_LENGTH) {
            return (int) preferred;
        }
        long minimum = (long) oldLength + minGrowth;
        if (minimum > Integer.MAX_VALUE) {
            throw new OutOfMemoryError("Required array length " + oldLength + " + " + minGrowth + " is too large");
        }
        return (int) Math.max(minimum, SOFT_MAX_ARRAY_LENGTH);
    }
}
