package shadowtest;

import java.util.SplittableRandom;

/** String.format: our java.util.Formatter against the JDK's, on many specifiers and values. */
public class FormatTest {
    static final String[] INT_FORMATS = {
        "%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%,d", "%(d", "%+,010d", "%x", "%X", "%#x", "%08X", "%o", "%#o",
        "%-8x|", "%s", "%10s|", "%-10s|", "%.2s", "%b", "%h", "%c", "%,15d", "%(,d", "%3$d", "%1$d %1$x", "%<d"
    };
    static final String[] FLOAT_FORMATS = {
        "%f", "%.0f", "%.1f", "%.2f", "%.3f", "%.10f", "%.20f", "%10.3f|", "%-10.3f|", "%010.3f", "%+.2f", "% .2f",
        "%,.2f", "%(.2f", "%e", "%.0e", "%.3e", "%E", "%12.4e|", "%g", "%.3g", "%G", "%.0g", "%a", "%.3a", "%A",
        "%s", "%#.0f", "%#.0e", "%,f", "%15.6g|", "%.15g", "%.17g", "%-+15.3e|", "%.30f",
        "%.1a", "%.0a", "%.12a", "%.14a", "%010a", "%-15A|", "%+a", "% a", "%(,.2f", "%010.2f", "%(g", "%010g", "%,g"
    };
    static final String[] MISC = {
        "%%", "%n", "%5%", "%-5%|", "a%sb%sc", "%s %s %s", "%2$s %1$s", "%S", "%B", "%H", "%C", "%10c|", "%-3c|",
        "%q", "%", "%5", "%-d", "%05s", "%#d", "%,x", "%.2d", "%--5d", "%0-5d", "%+ d", "%c", "%d", "%.f", "%1$", "%0$d",
        "%tY", "%#b", "%-b", "%08.3s", "%.3c", "%,o", "%(x", "%999999999999d", "%1$s %<s %<S",
        "%d%", "%Tb", "%T", "%tq", "%2$-5s", "%(,+d", "%0,(+-#5d", "%<-5s", "% (,0#+-<5d", "%2$#-(10.3S", "%007d",
        "%-#o", "%.2147483648f", "%99999999999$d", "%2$<s", "%.-1f", "%5.s", "%5$", "%+s", "%#c", "%#x", "%-#10x|",
        "%+x", "%0x", "%08x", "%,(d", "%.5%", "%-%", "%--", "%-", "%1$5t", "%t5", "%ty", "%#s", "%10h|", "%.2b", "%5n"
    };

    public static void main(String[] args) {
        Check c = new Check("Formatter");
        SplittableRandom rnd = new SplittableRandom(99);
        Object[] ints = {0, 1, -1, 42, -42, 255, Integer.MAX_VALUE, Integer.MIN_VALUE, 1234567, (byte) -5, (short) -300,
            Long.MAX_VALUE, Long.MIN_VALUE, -9876543210L, 'x', null, "str", true};
        for (String f : INT_FORMATS) {
            for (Object v : ints) {
                same(c, f, v, 7, 9);
            }
        }
        double[] specials = {0.0, -0.0, 1.0, -1.0, 0.5, 0.05, 0.15, 0.25, 0.35, 1.005, 2.675, 1e-5, 1e-4, 1e-3, 123.456, 1e7,
            1e16, 1e17, 1e21, 1e22, 9.999999999999999e22, 1.0e23, Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Math.PI, Math.E, 0.1 + 0.2, 999.9995, 0.0005,
            9.5, 10.5, 0.125, 5e-324, 12345.678901234567};
        for (String f : FLOAT_FORMATS) {
            for (double d : specials) {
                same(c, f, d);
                same(c, f, (float) d);
            }
            int n = Check.n(3000);
            for (int i = 0; i < n; i++) {
                double d = i % 2 == 0 ? Double.longBitsToDouble(rnd.nextLong())
                        : (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(-12, 12));
                same(c, f, d);
                if (i % 4 == 1) {
                    same(c, f, (float) d);
                }
            }
        }
        for (String f : MISC) {
            same(c, f, "a", 'b', 3);
            same(c, f, 65);
            same(c, f);
        }
        c.done();
    }

    static void same(Check c, String f, Object... args) {
        c.eq("format(\"" + f + "\", " + java.util.Arrays.toString(args) + ")",
                Check.outcome(() -> String.format(f, args)),
                Check.outcome(() -> new shadow.java.util.Formatter().format(f, args).toString()));
    }
}
