public class ExcStackTrace {
    static void a() { b(); }
    static void b() { c(); }
    static void c() { throw new UnsupportedOperationException("deep"); }
    public static void main(String[] args) {
        try {
            a();
        } catch (UnsupportedOperationException e) {
            StackTraceElement[] st = e.getStackTrace();
            for (int i = 0; i < 4; i++) {
                System.out.println(st[i].getClassName() + "." + st[i].getMethodName() + ":" + st[i].getLineNumber());
            }
        }
        Throwable t = new Throwable("manual");
        System.out.println(t.getStackTrace()[0].getMethodName() + " " + t);
        Exception s = new Exception("primary");
        s.addSuppressed(new RuntimeException("secondary"));
        System.out.println(s.getSuppressed().length + " " + s.getSuppressed()[0].getMessage());
        System.out.println(new RuntimeException().getMessage() + " " + new RuntimeException(new Error("cause")).getMessage());
    }
}
