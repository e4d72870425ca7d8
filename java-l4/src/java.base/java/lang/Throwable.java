package java.lang;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Throwable with the JDK's message, cause, suppression and printing behaviour.
 *
 * <p>VM contract (docs/jvm.md): {@code fillInStackTrace()} is native, records the current
 * Java stack (without the frames of the throwable's own constructors and fillInStackTrace)
 * and returns {@code this}; the VM may keep what it recorded in {@link #backtrace}.
 * {@code getStackTraceDepth()} and {@code getStackTraceElement(int)} decode that record,
 * element 0 being the innermost frame.
 */
public class Throwable implements Serializable {
    private static final StackTraceElement[] EMPTY_TRACE = new StackTraceElement[0];

    /** VM-private record of the stack, written by the native fillInStackTrace. */
    private transient Object backtrace;

    private String detailMessage;

    /** {@code this} means "not yet initialized", as in the JDK, so initCause works once. */
    private Throwable cause = this;

    /** Decoded trace; null for an immutable (non-writable) trace. */
    private StackTraceElement[] stackTrace = EMPTY_TRACE;

    /** The backtrace {@link #stackTrace} was decoded from; a refill invalidates the cache. */
    private transient Object decodedFrom;

    private boolean traceDecoded;

    /** Shared "none yet" list, as the JDK's SUPPRESSED_SENTINEL: no allocation per throwable. */
    private static final List<Throwable> SUPPRESSED_SENTINEL = new ArrayList<>(0);

    /** null when suppression is disabled. */
    private List<Throwable> suppressedExceptions = SUPPRESSED_SENTINEL;

    public Throwable() {
        fillInStackTrace();
    }

    public Throwable(String message) {
        fillInStackTrace();
        detailMessage = message;
    }

    public Throwable(String message, Throwable cause) {
        fillInStackTrace();
        detailMessage = message;
        this.cause = cause;
    }

    public Throwable(Throwable cause) {
        fillInStackTrace();
        detailMessage = (cause == null ? null : cause.toString());
        this.cause = cause;
    }

    protected Throwable(String message, Throwable cause, boolean enableSuppression, boolean writableStackTrace) {
        if (writableStackTrace) {
            fillInStackTrace();
        } else {
            stackTrace = null;
        }
        detailMessage = message;
        this.cause = cause;
        if (!enableSuppression) {
            suppressedExceptions = null;
        }
    }

    public String getMessage() {
        return detailMessage;
    }

    public String getLocalizedMessage() {
        return getMessage();
    }

    public synchronized Throwable getCause() {
        return (cause == this ? null : cause);
    }

    public synchronized Throwable initCause(Throwable cause) {
        if (this.cause != this) {
            throw new IllegalStateException("Can't overwrite cause with " + Objects.toString(cause, "a null"), this);
        }
        if (cause == this) {
            throw new IllegalArgumentException("Self-causation not permitted", this);
        }
        this.cause = cause;
        return this;
    }

    public String toString() {
        String s = getClass().getName();
        String message = getLocalizedMessage();
        return (message != null) ? (s + ": " + message) : s;
    }

    public void printStackTrace() {
        printStackTrace(System.err);
    }

    public void printStackTrace(PrintStream s) {
        printStackTrace(new Sink(s, null));
    }

    public void printStackTrace(java.io.PrintWriter s) {
        printStackTrace(new Sink(null, s));
    }

    /** Either kind of destination, as the JDK's PrintStreamOrWriter. */
    private static final class Sink {
        private final PrintStream stream;
        private final java.io.PrintWriter writer;

        Sink(PrintStream stream, java.io.PrintWriter writer) {
            this.stream = stream;
            this.writer = writer;
        }

        void println(Object o) {
            if (stream != null) {
                stream.println(o);
            } else {
                writer.println(o);
            }
        }
    }

    /**
     * The format of the printStackTrace specification: this throwable and its frames, then
     * each suppressed exception (indented by a tab) and the cause, each with its frames minus
     * those it shares at the bottom with the trace it is printed inside ("... n more").
     * A throwable met again prints as [CIRCULAR REFERENCE: ...].
     */
    private void printStackTrace(Sink s) {
        printTrace(s, null, "", "", new ArrayList<>());
    }

    private void printTrace(Sink s, StackTraceElement[] outer, String caption, String prefix, List<Throwable> seen) {
        for (Throwable t : seen) {
            if (t == this) {
                s.println(prefix + caption + "[CIRCULAR REFERENCE: " + this + "]");
                return;
            }
        }
        seen.add(this);
        StackTraceElement[] trace = getOurStackTrace();
        // how many frames at the bottom this trace shares with the enclosing one
        int shared = 0;
        if (outer != null) {
            while (shared < trace.length && shared < outer.length
                    && trace[trace.length - 1 - shared].equals(outer[outer.length - 1 - shared])) {
                shared++;
            }
        }
        s.println(prefix + caption + this);
        for (int i = 0; i < trace.length - shared; i++) {
            s.println(prefix + "\tat " + trace[i]);
        }
        if (shared != 0) {
            s.println(prefix + "\t... " + shared + " more");
        }
        for (Throwable suppressed : getSuppressed()) {
            suppressed.printTrace(s, trace, "Suppressed: ", prefix + "\t", seen);
        }
        Throwable cause = getCause();
        if (cause != null) {
            cause.printTrace(s, trace, "Caused by: ", prefix, seen);
        }
    }

    /** Records the current stack (VM native); returns this. */
    public synchronized native Throwable fillInStackTrace();

    private native int getStackTraceDepth();

    private native StackTraceElement getStackTraceElement(int index);

    public StackTraceElement[] getStackTrace() {
        return getOurStackTrace().clone();
    }

    private synchronized StackTraceElement[] getOurStackTrace() {
        if (stackTrace == null) {
            return EMPTY_TRACE;
        }
        if (!traceDecoded || decodedFrom != backtrace) {
            int depth = getStackTraceDepth();
            StackTraceElement[] t = new StackTraceElement[depth];
            for (int i = 0; i < depth; i++) {
                t[i] = getStackTraceElement(i);
            }
            stackTrace = t;
            decodedFrom = backtrace;
            traceDecoded = true;
        }
        return stackTrace;
    }

    public void setStackTrace(StackTraceElement[] stackTrace) {
        StackTraceElement[] defensiveCopy = stackTrace.clone();
        for (int i = 0; i < defensiveCopy.length; i++) {
            if (defensiveCopy[i] == null) {
                throw new NullPointerException("stackTrace[" + i + "]");
            }
        }
        synchronized (this) {
            if (this.stackTrace == null) {
                return; // immutable trace
            }
            this.stackTrace = defensiveCopy;
            decodedFrom = backtrace;
            traceDecoded = true;
        }
    }

    public final synchronized void addSuppressed(Throwable exception) {
        if (exception == this) {
            throw new IllegalArgumentException("Self-suppression not permitted", exception);
        }
        Objects.requireNonNull(exception, "Cannot suppress a null exception.");
        if (suppressedExceptions == null) {
            return;
        }
        if (suppressedExceptions == SUPPRESSED_SENTINEL) {
            suppressedExceptions = new ArrayList<>(1);
        }
        suppressedExceptions.add(exception);
    }

    private static final Throwable[] EMPTY_THROWABLE_ARRAY = new Throwable[0];

    public final synchronized Throwable[] getSuppressed() {
        if (suppressedExceptions == null || suppressedExceptions.isEmpty()) {
            return EMPTY_THROWABLE_ARRAY;
        }
        return suppressedExceptions.toArray(EMPTY_THROWABLE_ARRAY);
    }
}
