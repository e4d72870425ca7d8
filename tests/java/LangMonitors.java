public class LangMonitors {
    private int counter;
    synchronized void inc() { counter++; }
    static synchronized String stat() { return "static sync"; }
    public static void main(String[] args) {
        LangMonitors m = new LangMonitors();
        Object lock = new Object();
        for (int i = 0; i < 1000; i++) {
            synchronized (lock) {
                synchronized (lock) { m.inc(); }
            }
        }
        System.out.println(m.counter + " " + stat());
        try {
            synchronized (m) { throw new RuntimeException("inside"); }
        } catch (RuntimeException e) {
            System.out.println("released after " + e.getMessage());
        }
        synchronized (m) { System.out.println("re-enter ok"); }
        try {
            lock.notify();
        } catch (IllegalMonitorStateException e) {
            System.out.println("notify without monitor: IllegalMonitorStateException");
        }
        System.out.println(Thread.currentThread().getName());
    }
}
