public class InstanceInit {
    static StringBuilder log = new StringBuilder();
    int a = step("field a");
    { step("init block 1"); }
    int b;
    InstanceInit() { this(5); step("no-arg ctor"); }
    InstanceInit(int b) { super(); this.b = b; step("int ctor b=" + b); }
    { step("init block 2 a=" + a); }
    static int step(String s) { log.append(s).append("; "); return 1; }
    static class Sub extends InstanceInit {
        final String tag = "tag";
        Sub() { step("Sub ctor " + tag); }
    }
    public static void main(String[] args) {
        new InstanceInit();
        System.out.println(log);
        log.setLength(0);
        new Sub();
        System.out.println(log);
    }
}
