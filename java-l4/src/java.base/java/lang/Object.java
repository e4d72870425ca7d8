package java.lang;

/** The root class. identity hash, class and clone are VM natives (docs/jvm.md). */
public class Object {

    public Object() {
    }

    public final native Class<?> getClass();

    public native int hashCode();

    public boolean equals(Object obj) {
        return this == obj;
    }

    /** Arrays and Cloneable instances only; the VM throws CloneNotSupportedException otherwise. */
    protected native Object clone() throws CloneNotSupportedException;

    public String toString() {
        return getClass().getName() + "@" + Integer.toHexString(hashCode());
    }

    // A protection domain has exactly one thread, so nobody can ever be waiting to be
    // notified; the VM natives only make the JDK's ownership check
    // (IllegalMonitorStateException when the monitor is not held).
    public final native void notify();

    public final native void notifyAll();

    public final void wait() throws InterruptedException {
        wait(0L);
    }

    /**
     * With one thread no notify can ever arrive: wait(0) would block forever, which we
     * report instead of hanging; a timed wait simply lets the time pass.
     */
    public final void wait(long timeoutMillis) throws InterruptedException {
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeout value is negative");
        }
        if (timeoutMillis == 0) {
            throw new IllegalMonitorStateException("wait() without timeout would block forever: a protection domain has one thread");
        }
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() - end < 0) {
            // spin: there is nothing else to run
        }
    }

    public final void wait(long timeoutMillis, int nanos) throws InterruptedException {
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis value is negative");
        }
        if (nanos < 0 || nanos > 999999) {
            throw new IllegalArgumentException("nanosecond timeout value out of range");
        }
        if (nanos > 0 && timeoutMillis < Long.MAX_VALUE) {
            timeoutMillis++;
        }
        wait(timeoutMillis);
    }

    @Deprecated(since = "9")
    protected void finalize() throws Throwable {
    }
}
