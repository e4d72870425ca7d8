package java.lang;

public class Thread implements Runnable {
    private String name;
    private final Runnable target;
    public Thread() { this(null, "Thread-0"); }
    public Thread(Runnable target) { this(target, "Thread-0"); }
    public Thread(String name) { this(null, name); }
    public Thread(Runnable target, String name) { this.target = target; this.name = name; }
    public static native Thread currentThread();
    public void start() { start0(); }
    private native void start0();
    public void run() { if (target != null) target.run(); }
    public String getName() { return name; }
}
