public class InitOrder {
    static StringBuilder log = new StringBuilder();
    static class A {
        static { log.append("A "); }
        static int a = mark("a");
        int inst = markInst("A.inst");
        A() { log.append("A() "); hook(); }
        void hook() { log.append("A.hook "); }
    }
    static class B extends A {
        static { log.append("B "); }
        static final int CONST = 42;
        int x = 7;
        B() { super(); log.append("B() x=" + x + " "); }
        @Override
        void hook() { log.append("B.hook x=" + x + " "); }
    }
    static class C {
        static { log.append("C "); }
        static void touch() {}
    }
    static int mark(String s) { log.append(s).append(' '); return 1; }
    static int markInst(String s) { log.append(s).append(' '); return 2; }
    public static void main(String[] args) {
        int c = B.CONST;
        log.append("const=" + c + " ");
        new B();
        log.append("| ");
        new B();
        C.touch();
        Object[] arr = new C[3];
        System.out.println(log);
    }
}
