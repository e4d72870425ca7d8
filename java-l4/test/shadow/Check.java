package shadowtest;

import java.util.Objects;

/** Counts comparisons of our (shadow) results with the JDK's; prints the first failures. */
final class Check {
    private final String name;
    private long passed;
    private long failed;

    Check(String name) {
        this.name = name;
    }

    /** Iteration counts scale with SHADOW_SCALE (default 1). */
    static int n(int base) {
        String s = System.getenv("SHADOW_SCALE");
        double scale = s == null ? 1.0 : Double.parseDouble(s);
        return Math.max(1, (int) (base * scale));
    }

    boolean eq(String what, Object expected, Object actual) {
        if (Objects.equals(expected, actual)) {
            passed++;
            return true;
        }
        failed++;
        if (failed <= 20) {
            System.out.println("  MISMATCH " + name + " " + what + ": jdk=" + show(expected) + " ours=" + show(actual));
        }
        return false;
    }

    private static String show(Object o) {
        return o instanceof String ? "\"" + o + "\"" : String.valueOf(o);
    }

    /** Result of running an action: its value's string, or the exception's class simple name and message. */
    static String outcome(java.util.concurrent.Callable<?> action) {
        try {
            return "=" + action.call();
        } catch (NullPointerException e) {
            // HotSpot's helpful messages name locals, which depends on debug info, not on us
            return "!NullPointerException";
        } catch (Throwable t) {
            return "!" + t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }

    void done() {
        System.out.println(name + ": " + passed + " passed, " + failed + " failed");
        if (failed != 0) {
            System.exit(1);
        }
    }
}
