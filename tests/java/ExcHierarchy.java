public class ExcHierarchy {
    static class AppException extends Exception {
        final int code;
        AppException(String m, int code) { super(m); this.code = code; }
    }
    static class NotFound extends AppException { NotFound(String what) { super(what + " not found", 404); } }
    static void find(String k) throws AppException {
        if (k.isEmpty()) throw new AppException("empty key", 400);
        if (!k.equals("x")) throw new NotFound(k);
    }
    public static void main(String[] args) {
        for (String k : new String[] {"x", "", "y"}) {
            try {
                find(k);
                System.out.println(k + ": found");
            } catch (NotFound e) {
                System.out.println("NotFound " + e.getMessage() + " " + e.code);
            } catch (AppException e) {
                System.out.println("App " + e.getMessage() + " " + e.code);
            }
        }
        try {
            try {
                throw new IllegalStateException("inner");
            } catch (IllegalArgumentException | NullPointerException e) {
                System.out.println("wrong handler");
            }
        } catch (RuntimeException e) {
            System.out.println("outer caught " + e.getClass().getName());
        }
        Throwable t = new Exception("top", new RuntimeException("mid", new Error("root")));
        while (t != null) { System.out.println(t.getClass().getName() + ": " + t.getMessage()); t = t.getCause(); }
        System.out.println(new Exception("m").toString() + " | " + new NullPointerException().toString() + " | " + new Throwable().getLocalizedMessage());
        RuntimeException r = new RuntimeException("x");
        r.initCause(new Error("c"));
        System.out.println(r.getCause().getMessage());
        try { r.initCause(new Error("again")); } catch (IllegalStateException e) { System.out.println("initCause twice rejected"); }
    }
}
