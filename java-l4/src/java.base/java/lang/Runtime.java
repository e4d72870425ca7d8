package java.lang;

import capuchin.internal.VM;
import java.util.ArrayList;

/** Runtime: exit with shutdown hooks (run in registration order, on this thread), one processor. */
public class Runtime {
    private static final Runtime currentRuntime = new Runtime();
    private final ArrayList<Thread> hooks = new ArrayList<>();
    private boolean exiting;

    private Runtime() {
    }

    public static Runtime getRuntime() {
        return currentRuntime;
    }

    /**
     * Runs the shutdown hooks once, then ends the VM. A PD cannot start threads, so each
     * hook's run() is called directly (the JDK starts them concurrently).
     */
    public void exit(int status) {
        if (!exiting) {
            exiting = true;
            runShutdownHooks();
        }
        VM.exit(status);
    }

    /** Also for the VM to call when main returns normally. */
    static void runShutdownHooks() {
        Runtime r = currentRuntime;
        ArrayList<Thread> list = new ArrayList<>(r.hooks);
        r.hooks.clear();
        for (Thread t : list) {
            try {
                t.run();
            } catch (Throwable e) {
                // as the JDK: an exception in a hook is reported and the others still run
                Thread.dispatchUncaughtException(t, e);
            }
        }
    }

    public void halt(int status) {
        VM.exit(status);
    }

    public void addShutdownHook(Thread hook) {
        if (hook == null) {
            throw new NullPointerException();
        }
        if (exiting) {
            throw new IllegalStateException("Shutdown in progress");
        }
        if (hooks.contains(hook)) {
            throw new IllegalArgumentException("Hook previously registered");
        }
        hooks.add(hook);
    }

    public boolean removeShutdownHook(Thread hook) {
        if (hook == null) {
            throw new NullPointerException();
        }
        if (exiting) {
            throw new IllegalStateException("Shutdown in progress");
        }
        return hooks.remove(hook);
    }

    public int availableProcessors() {
        return 1;
    }

    /** Collection happens when the heap needs it; there is no native to force one. */
    public void gc() {
    }

    public void runFinalization() {
    }
}
