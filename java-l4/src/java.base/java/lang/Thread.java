package java.lang;

/**
 * A protection domain runs one Java thread. The VM makes that thread's object with
 * {@code new Thread("main")} and returns it from currentThread(); other Thread objects can
 * exist (and be run() directly, as shutdown hooks are) but start() refuses.
 */
public class Thread implements Runnable {
    public static final int MIN_PRIORITY = 1;
    public static final int NORM_PRIORITY = 5;
    public static final int MAX_PRIORITY = 10;

    private static int threadInitNumber;
    private static long threadSeqNumber = 1;
    private static volatile UncaughtExceptionHandler defaultUncaughtExceptionHandler;

    private volatile String name;
    private final Runnable target;
    private final long tid;
    private int priority = NORM_PRIORITY;
    private boolean daemon;
    private boolean interrupted;
    private volatile UncaughtExceptionHandler uncaughtExceptionHandler;

    public enum State {
        NEW, RUNNABLE, BLOCKED, WAITING, TIMED_WAITING, TERMINATED
    }

    @FunctionalInterface
    public interface UncaughtExceptionHandler {
        void uncaughtException(Thread t, Throwable e);
    }

    private static synchronized String genThreadName() {
        return "Thread-" + threadInitNumber++;
    }

    public Thread() {
        this(null, genThreadName());
    }

    public Thread(Runnable task) {
        this(task, genThreadName());
    }

    public Thread(String name) {
        this(null, name);
    }

    public Thread(Runnable task, String name) {
        if (name == null) {
            throw new NullPointerException("'name' is null");
        }
        this.target = task;
        this.name = name;
        this.tid = threadSeqNumber++;
    }

    public static native Thread currentThread();

    public static void yield() {
    }

    public static void onSpinWait() {
    }

    /** Busy-waits: there is no other thread to run meanwhile. */
    public static void sleep(long millis) throws InterruptedException {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout value is negative");
        }
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() - end < 0) {
            // nothing else can run
        }
    }

    public static void sleep(long millis, int nanos) throws InterruptedException {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout value is negative");
        }
        if (nanos < 0 || nanos > 999999) {
            throw new IllegalArgumentException("nanosecond timeout value out of range");
        }
        if (nanos > 0 && millis < Long.MAX_VALUE) {
            millis++;
        }
        sleep(millis);
    }

    public void start() {
        throw new UnsupportedOperationException("threads are not supported in a protection domain");
    }

    @Override
    public void run() {
        if (target != null) {
            target.run();
        }
    }

    public void interrupt() {
        interrupted = true;
    }

    public static boolean interrupted() {
        Thread t = currentThread();
        boolean was = t.interrupted;
        t.interrupted = false;
        return was;
    }

    public boolean isInterrupted() {
        return interrupted;
    }

    public final boolean isAlive() {
        return this == currentThread();
    }

    public final void setPriority(int newPriority) {
        if (newPriority > MAX_PRIORITY || newPriority < MIN_PRIORITY) {
            throw new IllegalArgumentException();
        }
        priority = newPriority;
    }

    public final int getPriority() {
        return priority;
    }

    public final synchronized void setName(String name) {
        if (name == null) {
            throw new NullPointerException("name cannot be null");
        }
        this.name = name;
    }

    public final String getName() {
        return name;
    }

    /** Threads other than the current one never run, so joining them returns at once. */
    public final void join() throws InterruptedException {
    }

    public final void join(long millis) throws InterruptedException {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout value is negative");
        }
    }

    public final void setDaemon(boolean on) {
        daemon = on;
    }

    public final boolean isDaemon() {
        return daemon;
    }

    public long getId() {
        return tid;
    }

    public State getState() {
        return this == currentThread() ? State.RUNNABLE : State.NEW;
    }

    public StackTraceElement[] getStackTrace() {
        return new Throwable().getStackTrace();
    }

    public static boolean holdsLock(Object obj) {
        if (obj == null) {
            throw new NullPointerException();
        }
        return false;
    }

    public static void dumpStack() {
        new Exception("Stack trace").printStackTrace();
    }

    /** As JDK 17: "Thread[name,priority,group]"; every thread is in group "main". */
    public String toString() {
        return "Thread[" + getName() + "," + getPriority() + "," + "main" + "]";
    }

    public static void setDefaultUncaughtExceptionHandler(UncaughtExceptionHandler eh) {
        defaultUncaughtExceptionHandler = eh;
    }

    public static UncaughtExceptionHandler getDefaultUncaughtExceptionHandler() {
        return defaultUncaughtExceptionHandler;
    }

    public UncaughtExceptionHandler getUncaughtExceptionHandler() {
        return uncaughtExceptionHandler;
    }

    public void setUncaughtExceptionHandler(UncaughtExceptionHandler eh) {
        uncaughtExceptionHandler = eh;
    }

    /**
     * For the VM when main throws: the thread's handler, else the default handler, else the
     * JDK's ThreadGroup format: {@code Exception in thread "main" } and the stack trace.
     */
    private void dispatchUncaughtException(Throwable e) {
        dispatchUncaughtException(this, e);
    }

    static void dispatchUncaughtException(Thread t, Throwable e) {
        UncaughtExceptionHandler h = t.uncaughtExceptionHandler;
        if (h == null) {
            h = defaultUncaughtExceptionHandler;
        }
        if (h != null) {
            h.uncaughtException(t, e);
        } else {
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace(System.err);
        }
    }
}
