package java.lang;

import java.io.PrintStream;

public class Throwable implements java.io.Serializable {
    private String detailMessage;
    private Throwable cause = this;
    private StackTraceElement[] stackTrace;
    private Throwable[] suppressed = new Throwable[0];

    public Throwable() { fillInStackTrace(); }
    public Throwable(String message) { fillInStackTrace(); detailMessage = message; }
    public Throwable(String message, Throwable cause) { fillInStackTrace(); detailMessage = message; this.cause = cause; }
    public Throwable(Throwable cause) {
        fillInStackTrace();
        detailMessage = (cause == null ? null : cause.toString());
        this.cause = cause;
    }
    public String getMessage() { return detailMessage; }
    public String getLocalizedMessage() { return getMessage(); }
    public synchronized Throwable getCause() { return (cause == this ? null : cause); }
    public synchronized Throwable initCause(Throwable cause) { this.cause = cause; return this; }
    public String toString() {
        String s = getClass().getName();
        String message = getLocalizedMessage();
        return (message != null) ? new StringBuilder(s).append(": ").append(message).toString() : s;
    }
    public native Throwable fillInStackTrace();
    native int getStackTraceDepth();
    native StackTraceElement getStackTraceElement(int index);
    public StackTraceElement[] getStackTrace() {
        if (stackTrace == null) {
            int n = getStackTraceDepth();
            StackTraceElement[] t = new StackTraceElement[n];
            for (int i = 0; i < n; i++) t[i] = getStackTraceElement(i);
            stackTrace = t;
        }
        return stackTrace;
    }
    public final synchronized void addSuppressed(Throwable exception) {
        if (exception == this) throw new IllegalArgumentException("Self-suppression not permitted", exception);
        if (exception == null) throw new NullPointerException("Cannot suppress a null exception.");
        Throwable[] n = new Throwable[suppressed.length + 1];
        System.arraycopy(suppressed, 0, n, 0, suppressed.length);
        n[suppressed.length] = exception;
        suppressed = n;
    }
    public final synchronized Throwable[] getSuppressed() { return suppressed.clone(); }
    public void printStackTrace() { printStackTrace(System.err); }
    public void printStackTrace(PrintStream s) {
        s.println(this);
        StackTraceElement[] trace = getStackTrace();
        for (StackTraceElement e : trace) s.println(new StringBuilder("\tat ").append(e).toString());
        for (Throwable se : suppressed) se.printEnclosed(s, trace, "Suppressed: ", "\t");
        Throwable c = getCause();
        if (c != null) c.printEnclosed(s, trace, "Caused by: ", "");
    }
    private void printEnclosed(PrintStream s, StackTraceElement[] enclosing, String caption, String prefix) {
        StackTraceElement[] trace = getStackTrace();
        int m = trace.length - 1, n = enclosing.length - 1;
        while (m >= 0 && n >= 0 && trace[m].equals(enclosing[n])) { m--; n--; }
        int common = trace.length - 1 - m;
        s.println(new StringBuilder(prefix).append(caption).append(this).toString());
        for (int i = 0; i <= m; i++) s.println(new StringBuilder(prefix).append("\tat ").append(trace[i]).toString());
        if (common != 0) s.println(new StringBuilder(prefix).append("\t... ").append(common).append(" more").toString());
        for (Throwable se : suppressed) se.printEnclosed(s, trace, "Suppressed: ", prefix + "\t");
        Throwable c = getCause();
        if (c != null) c.printEnclosed(s, trace, "Caused by: ", prefix);
    }
}
