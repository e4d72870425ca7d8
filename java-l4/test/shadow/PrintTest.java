package shadowtest;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * PrintStream (bytes written for every print/println/printf variant and charset) and
 * Throwable's stack trace printing (causes, suppressed, "... n more", circular references)
 * and StackTraceElement's format: ours (natives stubbed by the test script) against the JDK's.
 */
public class PrintTest {
    public static void main(String[] args) throws Exception {
        Check c = new Check("Print");
        SplittableRandom rnd = new SplittableRandom(11);
        String[] charsets = {"UTF-8", "ISO-8859-1", "US-ASCII", "UTF-16"};
        Object[] objects = {null, "text", "h\u00e9\u20ac\uD83D\uDE00", "\uD800", 42, -1.5, 1e-7f, 'c', true, Long.MIN_VALUE,
            new int[0].length, List0.of()};
        int n = Check.n(2000);
        for (int round = 0; round < n; round++) {
            String cs = charsets[round % charsets.length];
            ByteArrayOutputStream bj = new ByteArrayOutputStream();
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            java.io.PrintStream pj = new java.io.PrintStream(bj, round % 2 == 0, cs);
            shadow.java.io.PrintStream po = new shadow.java.io.PrintStream(bo, round % 2 == 0, cs);
            int ops = 1 + rnd.nextInt(12);
            for (int k = 0; k < ops; k++) {
                Object o = objects[rnd.nextInt(objects.length)];
                switch (rnd.nextInt(16)) {
                    case 0: pj.print(o); po.print(o); break;
                    case 1: pj.println(o); po.println(o); break;
                    case 2: pj.print(String.valueOf(o)); po.print(String.valueOf(o)); break;
                    case 3: pj.println(String.valueOf(o)); po.println(String.valueOf(o)); break;
                    case 4: { int v = rnd.nextInt(); pj.print(v); po.print(v); break; }
                    case 5: { long v = rnd.nextLong(); pj.println(v); po.println(v); break; }
                    case 6: { double v = rnd.nextDouble() * 1e5; pj.print(v); po.print(v); break; }
                    case 7: { float v = (float) rnd.nextDouble(); pj.println(v); po.println(v); break; }
                    case 8: { char v = (char) rnd.nextInt(0xD7FF); pj.print(v); po.print(v); break; }
                    case 9: { char[] v = {'a', '\u00ff', '\uD83D'}; pj.println(v); po.println(v); break; }
                    case 10: pj.println(); po.println(); break;
                    case 11: pj.printf("%5.2f|%s|%x%n", 3.14159, o, 255); po.printf("%5.2f|%s|%x%n", 3.14159, o, 255); break;
                    case 12: pj.append("ab", 0, 1).append('z'); po.append("ab", 0, 1).append('z'); break;
                    case 13: pj.write(65); po.write(65); pj.write(new byte[] {1, 2}, 0, 2); po.write(new byte[] {1, 2}, 0, 2); break;
                    case 14: pj.print(false); po.print(false); break;
                    default: pj.format("%-6s|%n", "q"); po.format("%-6s|%n", "q");
                }
            }
            pj.flush();
            po.flush();
            c.eq("print round " + round + " " + cs, Arrays.toString(bj.toByteArray()), Arrays.toString(bo.toByteArray()));
        }

        // StackTraceElement formats
        String[][] frames = {
            {null, null, null, "Foo", "bar", "Foo.java", "12"},
            {null, "java.base", null, "java.lang.Integer", "parseInt", "Integer.java", "652"},
            {"app", null, null, "a.B", "m", null, "-1"},
            {"custom", "mod", "1.0", "a.B", "m", "B.java", "-2"},
            {null, "java.base", "17", "x.Y", "<init>", "Y.java", "-1"},
            {null, "my.mod", "2.1", "x.Y", "<clinit>", null, "5"},
        };
        for (String[] f : frames) {
            StackTraceElement j = new StackTraceElement(f[0], f[1], f[2], f[3], f[4], f[5], Integer.parseInt(f[6]));
            shadow.java.lang.StackTraceElement o =
                    new shadow.java.lang.StackTraceElement(f[0], f[1], f[2], f[3], f[4], f[5], Integer.parseInt(f[6]));
            c.eq("StackTraceElement " + Arrays.toString(f), j.toString(), o.toString());
            c.eq("StackTraceElement hashCode " + Arrays.toString(f), j.hashCode(), o.hashCode());
        }

        // Throwable printing: the same stack traces set on both
        for (int round = 0; round < Check.n(300); round++) {
            StackTraceElement[][] traces = new StackTraceElement[4][];
            shadow.java.lang.StackTraceElement[][] straces = new shadow.java.lang.StackTraceElement[4][];
            for (int t = 0; t < 4; t++) {
                int depth = rnd.nextInt(6);
                int common = rnd.nextInt(4);
                traces[t] = new StackTraceElement[depth + common];
                straces[t] = new shadow.java.lang.StackTraceElement[depth + common];
                for (int d = 0; d < depth + common; d++) {
                    boolean shared = d >= depth;
                    String cls = shared ? "Main" : "C" + t;
                    String m = shared ? "main" + (d - depth) : "m" + d;
                    int line = shared ? 100 + d - depth : rnd.nextInt(50);
                    traces[t][d] = new StackTraceElement(cls, m, cls + ".java", line);
                    straces[t][d] = new shadow.java.lang.StackTraceElement(cls, m, cls + ".java", line);
                }
            }
            Throwable[] j = new Throwable[4];
            shadow.java.lang.Throwable[] o = new shadow.java.lang.Throwable[4];
            for (int t = 0; t < 4; t++) {
                String msg = rnd.nextBoolean() ? null : "msg" + t;
                j[t] = new Throwable(msg);
                o[t] = new shadow.java.lang.Throwable(msg);
                j[t].setStackTrace(traces[t]);
                o[t].setStackTrace(straces[t]);
            }
            for (int t = 1; t < 4; t++) {
                int kind = rnd.nextInt(3);
                int target = rnd.nextInt(t);
                if (kind == 0) {
                    j[target].addSuppressed(j[t]);
                    o[target].addSuppressed(o[t]);
                } else if (kind == 1) {
                    int tt = t;
                    c.eq("initCause", Check.outcome(() -> j[target].initCause(j[tt]) != null),
                            Check.outcome(() -> o[target].initCause(o[tt]) != null).replace("shadow.java.lang.", "java.lang."));
                }
            }
            if (rnd.nextInt(10) == 0) {
                // a cycle through the cause chain
                Check.outcome(() -> j[3].initCause(j[0]));
                Check.outcome(() -> o[3].initCause(o[0]));
            }
            ByteArrayOutputStream bj = new ByteArrayOutputStream();
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            j[0].printStackTrace(new java.io.PrintStream(bj, true, "UTF-8"));
            o[0].printStackTrace(new java.io.PrintStream(bo, true, "UTF-8"));
            String expected = bj.toString("UTF-8");
            String ours = bo.toString("UTF-8").replace("shadow.java.lang.", "java.lang.");
            c.eq("printStackTrace round " + round, expected, ours);
        }
        c.eq("Throwable(cause) message", new Throwable(new RuntimeException("x")).getMessage(),
                new shadow.java.lang.Throwable(new shadow.java.lang.Throwable("x")).getMessage().replace("shadow.java.lang.Throwable", "java.lang.RuntimeException"));
        c.eq("self-suppression", Check.outcome(() -> { Throwable t = new Throwable(); t.addSuppressed(t); return 0; }),
                Check.outcome(() -> { shadow.java.lang.Throwable t = new shadow.java.lang.Throwable(); t.addSuppressed(t); return 0; }));
        c.eq("self-causation", Check.outcome(() -> { Throwable t = new Throwable(); t.initCause(t); return 0; }),
                Check.outcome(() -> { shadow.java.lang.Throwable t = new shadow.java.lang.Throwable(); t.initCause(t); return 0; }).replace("shadow.java.lang.", "java.lang."));
        c.done();
    }

    /** A value whose toString is "[]", as an empty List.of(). */
    static final class List0 {
        static Object of() {
            return java.util.List.of();
        }
    }
}
