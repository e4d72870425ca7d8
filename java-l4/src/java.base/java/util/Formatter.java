// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package java.util;

import capuchin.internal.FloatText;

/**
 * printf-style formatting as the Formatter specification describes:
 * %[argument_index$][flags][width][.precision]conversion. Supported conversions: b B h H s S
 * c C d o x X e E f g G a A % n, and t/T (the argument is checked; date/time formatting
 * itself is not available here). Numbers are formatted as in Locale.US whatever the locale.
 *
 * <p>e, f and g round the digits of Double.toString (Float arguments are widened to double)
 * half up, as the specification says; a rounds the binary significand half-even.
 */
public final class Formatter implements java.io.Closeable, java.io.Flushable {
    private Appendable a;
    private final Locale l;
    private java.io.IOException lastException;

    public Formatter() {
        this(new StringBuilder(), Locale.US);
    }

    public Formatter(Appendable a) {
        this(a, Locale.US);
    }

    public Formatter(Locale l) {
        this(new StringBuilder(), l);
    }

    public Formatter(Appendable a, Locale l) {
        this.a = (a == null) ? new StringBuilder() : a;
        this.l = l;
    }

    public Formatter(java.io.PrintStream ps) {
        this(Objects.requireNonNull(ps), Locale.US);
    }

    public Formatter(java.io.OutputStream os) {
        this(new java.io.OutputStreamWriter(os), Locale.US);
    }

    private void ensureOpen() {
        if (a == null) {
            throw new FormatterClosedException();
        }
    }

    public Locale locale() {
        ensureOpen();
        return l;
    }

    public Appendable out() {
        ensureOpen();
        return a;
    }

    public String toString() {
        ensureOpen();
        return a.toString();
    }

    public void flush() {
        ensureOpen();
        if (a instanceof java.io.Flushable) {
            try {
                ((java.io.Flushable) a).flush();
            } catch (java.io.IOException ioe) {
                lastException = ioe;
            }
        }
    }

    public void close() {
        if (a == null) {
            return;
        }
        try {
            if (a instanceof java.io.Closeable) {
                ((java.io.Closeable) a).close();
            }
        } catch (java.io.IOException ioe) {
            lastException = ioe;
        } finally {
            a = null;
        }
    }

    public java.io.IOException ioException() {
        return lastException;
    }

    public Formatter format(String format, Object... args) {
        return format(l, format, args);
    }

    public Formatter format(Locale l, String format, Object... args) {
        ensureOpen();
        // the whole format string is parsed first: a bad specifier anywhere fails before output
        List<Object> parts = new ArrayList<>(); // literal Strings and Specs
        int len = format.length();
        int i = 0;
        while (i < len) {
            int pct = format.indexOf('%', i);
            if (pct < 0) {
                parts.add(format.substring(i));
                break;
            }
            if (pct > i) {
                parts.add(format.substring(i, pct));
            }
            Spec spec = new Spec(format, pct);
            parts.add(spec);
            i = spec.end;
        }
        int last = -1; // index of the last argument used (for '<')
        int ordinary = -1; // index of the last ordinary argument
        try {
            for (Object part : parts) {
                if (part instanceof String) {
                    a.append((String) part);
                    continue;
                }
                Spec spec = (Spec) part;
                switch (spec.conversion) {
                    case '%':
                        spec.print(this, "%");
                        break;
                    case 'n':
                        a.append(System.lineSeparator());
                        break;
                    default: {
                        int index;
                        if (spec.relative) {
                            index = last;
                        } else if (spec.index > 0) {
                            index = spec.index - 1;
                        } else {
                            index = ++ordinary;
                        }
                        last = index;
                        if (args == null && index == 0 && spec.index <= 0 && !spec.relative) {
                            spec.printArgument(this, null);
                            break;
                        }
                        if (index < 0 || args == null || index >= args.length) {
                            throw new MissingFormatArgumentException(spec.toString());
                        }
                        spec.printArgument(this, args[index]);
                    }
                }
            }
        } catch (java.io.IOException x) {
            lastException = x;
        }
        return this;
    }

    // ---- flags

    private static final int MINUS = 1;
    private static final int SHARP = 2;
    private static final int PLUS = 4;
    private static final int SPACE = 8;
    private static final int ZERO = 16;
    private static final int GROUP = 32;
    private static final int PAREN = 64;
    private static final int PREVIOUS = 128;
    private static final String FLAG_CHARS = "-#+ 0,(<";

    private static String flagString(int flags) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < FLAG_CHARS.length(); i++) {
            if ((flags & (1 << i)) != 0) {
                sb.append(FLAG_CHARS.charAt(i));
            }
        }
        return sb.toString();
    }

    /** One parsed format specifier. */
    private static final class Spec {
        int index = -1; // explicit 1-based argument index, -1 if none
        boolean relative;
        int flags;
        int width = -1;
        int precision = -1;
        boolean dateTime;
        boolean upper;
        char conversion;
        int end; // index after the specifier

        Spec(String s, int start) {
            int len = s.length();
            if (!matchesPattern(s, start)) {
                throw unknown(s, start);
            }
            int i = start + 1;
            // argument index: digits followed by '$'
            int j = i;
            while (j < len && isDigit(s.charAt(j))) {
                j++;
            }
            if (j > i && j < len && s.charAt(j) == '$') {
                index = parseNumber(s, i, j);
                if (index == Integer.MIN_VALUE) {
                    throw new IllegalFormatArgumentIndexException(Integer.MIN_VALUE);
                }
                if (index == 0) {
                    throw new IllegalFormatArgumentIndexException(0);
                }
                i = j + 1;
            }
            // flags
            while (i < len) {
                int f = FLAG_CHARS.indexOf(s.charAt(i));
                if (f < 0) {
                    break;
                }
                if ((flags & (1 << f)) != 0) {
                    throw new DuplicateFormatFlagsException(String.valueOf(s.charAt(i)));
                }
                flags |= 1 << f;
                i++;
            }
            if ((flags & PREVIOUS) != 0) {
                relative = true;
                index = -1;
            }
            // width
            j = i;
            while (j < len && isDigit(s.charAt(j))) {
                j++;
            }
            if (j > i) {
                width = parseNumber(s, i, j);
                if (width == Integer.MIN_VALUE) {
                    throw new IllegalFormatWidthException(Integer.MIN_VALUE);
                }
                i = j;
            }
            // precision
            if (i < len && s.charAt(i) == '.') {
                j = i + 1;
                while (j < len && isDigit(s.charAt(j))) {
                    j++;
                }
                if (j == i + 1) {
                    throw unknown(s, start);
                }
                precision = parseNumber(s, i + 1, j);
                if (precision == Integer.MIN_VALUE) {
                    throw new IllegalFormatPrecisionException(Integer.MIN_VALUE);
                }
                i = j;
            }
            if (i < len && (s.charAt(i) == 't' || s.charAt(i) == 'T')) {
                dateTime = true;
                upper = s.charAt(i) == 'T';
                if (i + 1 >= len || !isAsciiLetter(s.charAt(i + 1))) {
                    // the pattern takes the t itself as the conversion
                    throw new UnknownFormatConversionException(String.valueOf(s.charAt(i)));
                }
                char c = s.charAt(i + 1);
                if ("HIklMSLNpzZsQBbhAaCYyjmdeRTrDFc".indexOf(c) < 0) {
                    throw new UnknownFormatConversionException(String.valueOf(s.charAt(i)) + c);
                }
                conversion = c;
                end = i + 2;
                checkDateTime();
                return;
            }
            if (i >= len || !(isAsciiLetter(s.charAt(i)) || s.charAt(i) == '%')) {
                throw unknown(s, start);
            }
            char c = s.charAt(i);
            end = i + 1;
            if ("bhscdoxefgaBHSCXEGA%n".indexOf(c) < 0) {
                throw new UnknownFormatConversionException(String.valueOf(c));
            }
            if (Character.isUpperCase(c)) {
                upper = true;
                c = Character.toLowerCase(c);
            }
            conversion = c;
            check();
        }

        /**
         * Whether %[index$][flags][width][.precision][t|T]conversion matches at start (the
         * pattern alone; the parts are validated afterwards).
         */
        private static boolean matchesPattern(String s, int start) {
            int len = s.length();
            int i = start + 1;
            int j = i;
            while (j < len && isDigit(s.charAt(j))) {
                j++;
            }
            if (j > i && j < len && s.charAt(j) == '$') {
                i = j + 1;
            }
            while (i < len && FLAG_CHARS.indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            while (i < len && isDigit(s.charAt(i))) {
                i++;
            }
            if (i + 1 < len && s.charAt(i) == '.' && isDigit(s.charAt(i + 1))) {
                i += 2;
                while (i < len && isDigit(s.charAt(i))) {
                    i++;
                }
            }
            return i < len && (isAsciiLetter(s.charAt(i)) || s.charAt(i) == '%');
        }

        private static UnknownFormatConversionException unknown(String s, int start) {
            // the pattern does not match: the JDK names the character after '%'
            return new UnknownFormatConversionException(start + 1 < s.length() ? String.valueOf(s.charAt(start + 1)) : "%");
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isAsciiLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        /** The decimal number s[from, to), or Integer.MIN_VALUE if it does not fit in an int. */
        private static int parseNumber(String s, int from, int to) {
            long v = 0;
            for (int k = from; k < to; k++) {
                v = v * 10 + (s.charAt(k) - '0');
                if (v > Integer.MAX_VALUE) {
                    return Integer.MIN_VALUE;
                }
            }
            return (int) v;
        }

        private boolean has(int f) {
            return (flags & f) != 0;
        }

        private void failMismatch(int f) {
            throw new FormatFlagsConversionMismatchException(flagString(f), conversion);
        }

        /** Throws for the first of the given flags that is present. */
        private void disallow(int mask) {
            for (int k = 0; k < FLAG_CHARS.length(); k++) {
                int f = 1 << k;
                if ((mask & f) != 0 && has(f)) {
                    failMismatch(f);
                }
            }
        }

        private void requireWidthFor(int mask) {
            if (width == -1 && (flags & mask) != 0) {
                throw new MissingFormatWidthException(toString());
            }
        }

        private void check() {
            switch (conversion) {
                case 'b':
                case 'h':
                case 's':
                    requireWidthFor(MINUS);
                    disallow(conversion == 's' ? PLUS | SPACE | ZERO | GROUP | PAREN : SHARP | PLUS | SPACE | ZERO | GROUP | PAREN);
                    break;
                case 'c':
                    if (precision != -1) {
                        throw new IllegalFormatPrecisionException(precision);
                    }
                    requireWidthFor(MINUS);
                    disallow(SHARP | PLUS | SPACE | ZERO | GROUP | PAREN);
                    break;
                case 'd':
                case 'o':
                case 'x':
                    if (precision != -1) {
                        throw new IllegalFormatPrecisionException(precision);
                    }
                    checkNumeric();
                    if (conversion == 'd') {
                        disallow(SHARP);
                    } else {
                        disallow(GROUP);
                    }
                    break;
                case 'e':
                case 'f':
                case 'g':
                case 'a':
                    checkNumeric();
                    if (conversion == 'e') {
                        disallow(GROUP);
                    } else if (conversion == 'g') {
                        disallow(SHARP);
                    } else if (conversion == 'a') {
                        disallow(PAREN | GROUP);
                    }
                    break;
                case '%':
                    if (precision != -1) {
                        throw new IllegalFormatPrecisionException(precision);
                    }
                    requireWidthFor(MINUS);
                    disallow(SHARP | PLUS | SPACE | ZERO | GROUP | PAREN);
                    break;
                case 'n':
                    if (width != -1) {
                        throw new IllegalFormatWidthException(width);
                    }
                    if (precision != -1) {
                        throw new IllegalFormatPrecisionException(precision);
                    }
                    if (flags != 0) {
                        throw new IllegalFormatFlagsException(flagString(flags));
                    }
                    break;
                default:
                    break;
            }
        }

        private void checkNumeric() {
            requireWidthFor(MINUS | ZERO);
            if ((has(PLUS) && has(SPACE)) || (has(MINUS) && has(ZERO))) {
                throw new IllegalFormatFlagsException(flagString(flags));
            }
        }

        private void checkDateTime() {
            if (precision != -1) {
                throw new IllegalFormatPrecisionException(precision);
            }
            requireWidthFor(MINUS);
            disallow(SHARP | PLUS | SPACE | ZERO | GROUP | PAREN);
        }

        /** The specifier rebuilt: flags, index, width, precision, conversion. */
        public String toString() {
            StringBuilder sb = new StringBuilder("%");
            sb.append(flagString(flags));
            if (index > 0) {
                sb.append(index).append('$');
            }
            if (width != -1) {
                sb.append(width);
            }
            if (precision != -1) {
                sb.append('.').append(precision);
            }
            if (dateTime) {
                sb.append(upper ? 'T' : 't');
                sb.append(upper ? Character.toUpperCase(conversion) : conversion);
            } else {
                sb.append(upper ? Character.toUpperCase(conversion) : conversion);
            }
            return sb.toString();
        }

        // ---- printing

        void printArgument(Formatter fmt, Object arg) throws java.io.IOException {
            if (dateTime) {
                if (arg == null) {
                    print(fmt, "null");
                    return;
                }
                if (!(arg instanceof Long)) {
                    throw new IllegalFormatConversionException(conversion, arg.getClass());
                }
                throw new UnsupportedOperationException("date/time conversions are not supported");
            }
            switch (conversion) {
                case 'b':
                    print(fmt, precise(arg == null ? "false" : (arg instanceof Boolean) ? arg.toString() : "true"));
                    break;
                case 'h':
                    print(fmt, precise(arg == null ? "null" : Integer.toHexString(arg.hashCode())));
                    break;
                case 's':
                    if (arg instanceof Formattable) {
                        int f = 0;
                        if (has(MINUS)) {
                            f |= FormattableFlags.LEFT_JUSTIFY;
                        }
                        if (upper) {
                            f |= FormattableFlags.UPPERCASE;
                        }
                        if (has(SHARP)) {
                            f |= FormattableFlags.ALTERNATE;
                        }
                        ((Formattable) arg).formatTo(fmt, f, width, precision);
                    } else {
                        if (has(SHARP)) {
                            failMismatch(SHARP);
                        }
                        print(fmt, precise(String.valueOf(arg)));
                    }
                    break;
                case 'c':
                    printCharacter(fmt, arg);
                    break;
                case 'd':
                case 'o':
                case 'x':
                    printInteger(fmt, arg);
                    break;
                case 'e':
                case 'f':
                case 'g':
                case 'a':
                    printFloat(fmt, arg);
                    break;
                default:
                    throw new UnknownFormatConversionException(String.valueOf(conversion));
            }
        }

        private String precise(String s) {
            return (precision != -1 && precision < s.length()) ? s.substring(0, precision) : s;
        }

        /** Pads to the width (left or right), upper-casing for the upper-case conversions. */
        void print(Formatter fmt, String s) throws java.io.IOException {
            if (upper) {
                s = s.toUpperCase(Locale.ROOT);
            }
            Appendable out = fmt.a;
            int pad = width - s.length();
            if (pad > 0 && !has(MINUS)) {
                for (int k = 0; k < pad; k++) {
                    out.append(' ');
                }
            }
            out.append(s);
            if (pad > 0 && has(MINUS)) {
                for (int k = 0; k < pad; k++) {
                    out.append(' ');
                }
            }
        }

        private void printCharacter(Formatter fmt, Object arg) throws java.io.IOException {
            if (arg == null) {
                print(fmt, "null");
                return;
            }
            String s;
            if (arg instanceof Character) {
                s = arg.toString();
            } else if (arg instanceof Byte || arg instanceof Short || arg instanceof Integer) {
                int cp = ((Number) arg).intValue();
                if (!Character.isValidCodePoint(cp)) {
                    throw new IllegalFormatCodePointException(cp);
                }
                s = new String(Character.toChars(cp));
            } else {
                throw new IllegalFormatConversionException(conversion, arg.getClass());
            }
            print(fmt, s);
        }

        private void printInteger(Formatter fmt, Object arg) throws java.io.IOException {
            if (arg == null) {
                print(fmt, "null");
                return;
            }
            long v;
            int bits;
            if (arg instanceof Byte) {
                v = (Byte) arg;
                bits = 8;
            } else if (arg instanceof Short) {
                v = (Short) arg;
                bits = 16;
            } else if (arg instanceof Integer) {
                v = (Integer) arg;
                bits = 32;
            } else if (arg instanceof Long) {
                v = (Long) arg;
                bits = 64;
            } else {
                throw new IllegalFormatConversionException(conversion, arg.getClass());
            }
            if (conversion == 'd') {
                boolean negative = v < 0;
                String digits = Long.toString(v);
                if (negative) {
                    digits = digits.substring(1);
                }
                if (has(GROUP)) {
                    digits = group(digits);
                }
                printNumber(fmt, negative, digits, "");
                return;
            }
            // o and x: two's complement within the argument's own width
            disallow(PAREN | PLUS | SPACE);
            long u = (bits < 64 && v < 0) ? v + (1L << bits) : v;
            String digits = conversion == 'o' ? Long.toOctalString(u) : Long.toHexString(u);
            String prefix = "";
            if (has(SHARP)) {
                prefix = conversion == 'o' ? "0" : "0x";
            }
            printNumber(fmt, false, digits, prefix);
        }

        /** Sign or parentheses, prefix, zero padding, digits. */
        private void printNumber(Formatter fmt, boolean negative, String digits, String prefix) throws java.io.IOException {
            StringBuilder sb = new StringBuilder();
            if (negative) {
                sb.append(has(PAREN) ? '(' : '-');
            } else if (has(PLUS)) {
                sb.append('+');
            } else if (has(SPACE)) {
                sb.append(' ');
            }
            sb.append(prefix);
            String suffix = (negative && has(PAREN)) ? ")" : "";
            if (has(ZERO)) {
                int zeros = width - sb.length() - digits.length() - suffix.length();
                for (int k = 0; k < zeros; k++) {
                    sb.append('0');
                }
            }
            sb.append(digits).append(suffix);
            print(fmt, sb.toString());
        }

        private static String group(String digits) {
            int n = digits.length();
            if (n <= 3) {
                return digits;
            }
            StringBuilder sb = new StringBuilder(n + n / 3);
            int first = n % 3 == 0 ? 3 : n % 3;
            sb.append(digits, 0, first);
            for (int k = first; k < n; k += 3) {
                sb.append(',').append(digits, k, k + 3);
            }
            return sb.toString();
        }

        private void printFloat(Formatter fmt, Object arg) throws java.io.IOException {
            if (arg == null) {
                print(fmt, "null");
                return;
            }
            double value;
            if (arg instanceof Double) {
                value = (Double) arg;
            } else if (arg instanceof Float) {
                value = (Float) arg;
            } else {
                throw new IllegalFormatConversionException(conversion, arg.getClass());
            }
            boolean negative = Double.doubleToRawLongBits(value) < 0;
            if (value != value || Double.isInfinite(value)) {
                String s = (value != value) ? "NaN" : "Infinity";
                StringBuilder sb = new StringBuilder();
                if (value != value) {
                    sb.append(s);
                } else if (negative) {
                    sb.append(has(PAREN) ? "(" : "-").append(s).append(has(PAREN) ? ")" : "");
                } else {
                    if (has(PLUS)) {
                        sb.append('+');
                    } else if (has(SPACE)) {
                        sb.append(' ');
                    }
                    sb.append(s);
                }
                print(fmt, sb.toString());
                return;
            }
            if (conversion == 'a') {
                printNumber(fmt, negative, hexBody(Math.abs(value)), "0x");
                return;
            }
            // digits of Double.toString: value = 0.d1 d2 ... dn * 10^k (zero: one digit "0")
            char[] d;
            int n;
            int k;
            if (value == 0.0) {
                d = new char[] {'0'};
                n = 1;
                k = 1;
            } else {
                FloatText.Decimal dec = FloatText.decimal(value);
                d = dec.digits;
                n = dec.length;
                k = dec.exponent;
            }
            String body;
            switch (conversion) {
                case 'e':
                    body = scientific(d, n, k, precision == -1 ? 6 : precision, value == 0.0);
                    break;
                case 'f':
                    body = fixed(d, n, k, precision == -1 ? 6 : precision);
                    break;
                default: {
                    int p = precision == -1 ? 6 : (precision == 0 ? 1 : precision);
                    if (value == 0.0) {
                        body = fixed(d, n, k, p - 1);
                        break;
                    }
                    // round to p significant digits to decide the form
                    char[] r = new char[Math.max(n, p) + 1];
                    int rk = roundSignificant(d, n, k, p, r);
                    if (rk >= -3 && rk <= p) {
                        body = fixed(d, n, k, p - rk);
                    } else {
                        body = scientific(d, n, k, p - 1, false);
                    }
                    break;
                }
            }
            printNumber(fmt, negative, body, "");
        }

        /**
         * Rounds 0.d1..dn * 10^k half up to p significant digits into r; returns the decimal
         * exponent of the result (0.r1..rp * 10^result).
         */
        private static int roundSignificant(char[] d, int n, int k, int p, char[] r) {
            for (int i = 0; i < p; i++) {
                r[i] = i < n ? d[i] : '0';
            }
            if (p < n && d[p] >= '5') {
                int i = p - 1;
                while (i >= 0 && r[i] == '9') {
                    r[i] = '0';
                    i--;
                }
                if (i < 0) {
                    r[0] = '1';
                    return k + 1;
                }
                r[i]++;
            }
            return k;
        }

        /** d.ddd(p digits)e+xx, rounded half up. */
        private String scientific(char[] d, int n, int k, int p, boolean zero) {
            char[] r = new char[p + 2];
            int rk = zero ? 1 : roundSignificant(d, n, k, p + 1, r);
            if (zero) {
                for (int i = 0; i <= p; i++) {
                    r[i] = '0';
                }
            }
            StringBuilder sb = new StringBuilder(p + 8);
            sb.append(r[0]);
            if (p > 0 || has(SHARP)) {
                sb.append('.');
            }
            sb.append(r, 1, p);
            int e = zero ? 0 : rk - 1;
            sb.append('e').append(e < 0 ? '-' : '+');
            int ae = Math.abs(e);
            if (ae < 10) {
                sb.append('0');
            }
            sb.append(ae);
            return sb.toString();
        }

        /** Integer part, '.', p fraction digits, rounded half up; grouped with ',' when asked. */
        private String fixed(char[] d, int n, int k, int p) {
            // the digit at position j: j < k is in the integer part; digit index i = j
            // value digits laid out as positions 0 .. k + p - 1 (integer digits then fraction)
            int total = k + p; // digits kept, counted from the first significant position
            char[] kept;
            int intDigits;
            if (total < 0) {
                kept = new char[0];
                intDigits = k;
            } else {
                kept = new char[total + 1];
                for (int i = 0; i < total; i++) {
                    kept[i] = i < n ? d[i] : '0';
                }
                intDigits = k;
                if (total < n && d[total] >= '5') {
                    int i = total - 1;
                    while (i >= 0 && kept[i] == '9') {
                        kept[i] = '0';
                        i--;
                    }
                    if (i < 0) {
                        // carry out: one more leading digit
                        System.arraycopy(kept, 0, kept, 1, total);
                        kept[0] = '1';
                        total++;
                        intDigits++;
                    } else {
                        kept[i]++;
                    }
                }
            }
            StringBuilder sb = new StringBuilder();
            // integer part
            StringBuilder ip = new StringBuilder();
            if (intDigits <= 0) {
                ip.append('0');
            } else {
                for (int i = 0; i < intDigits; i++) {
                    ip.append(i < total ? kept[i] : '0');
                }
            }
            String ints = ip.toString();
            if (has(GROUP)) {
                ints = group(ints);
            }
            sb.append(ints);
            if (p > 0 || has(SHARP)) {
                sb.append('.');
            }
            for (int j = 0; j < p; j++) {
                int i = intDigits + j; // index into kept
                sb.append(i >= 0 && i < total ? kept[i] : '0');
            }
            return sb.toString();
        }

        /** "1.hhhp<exp>" (the "0x" and sign added by the caller), rounded to the precision. */
        private String hexBody(double v) {
            if (precision == -1 || precision >= 13) {
                // no rounding: Double.toHexString's form (subnormals stay 0x0.), zero-padded
                String s = Double.toHexString(v).substring(2); // after "0x"
                if (precision == -1) {
                    return s;
                }
                int dot = s.indexOf('.');
                int p = s.indexOf('p');
                StringBuilder sb = new StringBuilder(s.substring(0, p));
                for (int k = p - dot - 1; k < precision; k++) {
                    sb.append('0');
                }
                return sb.append(s, p, s.length()).toString();
            }
            if (v == 0.0) {
                StringBuilder sb = new StringBuilder("0.");
                for (int i = 0; i < Math.max(precision, 1); i++) {
                    sb.append('0');
                }
                return sb.append("p0").toString();
            }
            long bits = Double.doubleToRawLongBits(v);
            int biased = (int) ((bits >>> 52) & 0x7ff);
            long frac = bits & 0x000fffffffffffffL;
            int exp;
            if (biased == 0) {
                // normalize a subnormal: the leading one becomes the implicit bit
                int shift = Long.numberOfLeadingZeros(frac) - 11;
                frac = (frac << shift) & 0x000fffffffffffffL;
                exp = -1022 - shift;
            } else {
                exp = biased - 1023;
            }
            int p = Math.max(precision, 1); // 1 to 12: round the 52 fraction bits to 4p, ties to even
            int drop = 52 - 4 * p;
            long kept = frac >>> drop;
            long rest = frac & ((1L << drop) - 1);
            long half = 1L << (drop - 1);
            if (rest > half || (rest == half && (kept & 1) != 0)) {
                kept++;
            }
            if (kept == (1L << (4 * p))) {
                kept = 0;
                exp++;
            }
            String h = Long.toHexString(kept);
            StringBuilder sb = new StringBuilder();
            for (int i = h.length(); i < p; i++) {
                sb.append('0');
            }
            String digits = sb.append(h).toString();
            return "1." + digits + "p" + exp;
        }
    }
}
