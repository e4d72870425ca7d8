// Capuchin class library: written from the Java SE API specification; behaviour checked against JDK 17 by java-l4/test.
package capuchin.internal;

/**
 * Double.parseDouble and Float.parseFloat: the grammar of Double.valueOf(String) (leading
 * and trailing characters up to ' ' ignored, optional sign, "NaN", "Infinity", decimal
 * literals with optional exponent and f/F/d/D suffix, hexadecimal literals with a binary
 * exponent), correctly rounded to nearest-even from the exact value. Long digit strings
 * keep 800 significant digits plus a sticky digit, which cannot change the rounding.
 */
public final class FloatParser {
    private FloatParser() {
    }

    private static final int MAX_DIGITS = 800;

    private static final double[] TENS = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    private static final float[] FLOAT_TENS = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

    public static double parseDouble(String s) {
        return Double.longBitsToDouble(parse(s, false));
    }

    public static float parseFloat(String s) {
        return Float.intBitsToFloat((int) parse(s, true));
    }

    /** The bits of the double, or of the float in the low 32 bits. */
    private static long parse(String in, boolean isFloat) {
        String s = in.trim();
        int len = s.length();
        if (len == 0) {
            throw new NumberFormatException("empty String");
        }
        int i = 0;
        boolean negative = false;
        char c = s.charAt(0);
        if (c == '+' || c == '-') {
            negative = c == '-';
            i++;
        }
        if (s.startsWith("NaN", i) && i + 3 == len) {
            return isFloat ? Float.floatToRawIntBits(Float.NaN) & 0xffffffffL : Double.doubleToRawLongBits(Double.NaN);
        }
        if (s.startsWith("Infinity", i) && i + 8 == len) {
            return isFloat ? Float.floatToRawIntBits(negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY) & 0xffffffffL
                    : Double.doubleToRawLongBits(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (i + 1 < len && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            return parseHex(s, i + 2, negative, isFloat);
        }
        // decimal: digits [. digits] [e[+-]digits] [fFdD]
        char[] digits = new char[MAX_DIGITS + 1];
        int nd = 0;
        boolean sticky = false;
        long decExp = 0; // value = 0.digits... adjusted: value = digits * 10^(decExp - nd)
        int intDigits = 0; // significant digits before the point (incl. zeros after the first nonzero)
        boolean seenDigit = false;
        boolean seenNonZero = false;
        long pointShift = 0; // digits after the point, counted once significant digits start or not
        // integer part
        while (i < len && isDigit(s.charAt(i))) {
            seenDigit = true;
            char d = s.charAt(i++);
            if (d != '0' || seenNonZero) {
                seenNonZero = true;
                if (nd < MAX_DIGITS) {
                    digits[nd++] = d;
                } else if (d != '0') {
                    sticky = true;
                }
                intDigits++;
            }
        }
        if (i < len && s.charAt(i) == '.') {
            i++;
            while (i < len && isDigit(s.charAt(i))) {
                seenDigit = true;
                char d = s.charAt(i++);
                if (d != '0' || seenNonZero) {
                    seenNonZero = true;
                    if (nd < MAX_DIGITS) {
                        digits[nd++] = d;
                    } else if (d != '0') {
                        sticky = true;
                    }
                } else {
                    pointShift++; // a leading zero after the point
                }
            }
        }
        if (!seenDigit) {
            throw formatError(s);
        }
        long exp = 0;
        if (i < len && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            boolean expNegative = false;
            if (i < len && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                expNegative = s.charAt(i) == '-';
                i++;
            }
            int start = i;
            while (i < len && isDigit(s.charAt(i))) {
                if (exp < 1_000_000_000L) {
                    exp = exp * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            if (i == start) {
                throw formatError(s);
            }
            if (expNegative) {
                exp = -exp;
            }
        }
        if (i < len && (i + 1 == len) && isSuffix(s.charAt(i))) {
            i++;
        }
        if (i != len) {
            throw formatError(s);
        }
        if (nd == 0) {
            return zero(negative, isFloat);
        }
        // value = 0.d1 d2 ... * 10^decExp
        decExp = intDigits - pointShift + exp;
        if (sticky) {
            digits[nd++] = '1';
        }
        if (decExp > 310) {
            return infinity(negative, isFloat);
        }
        if (decExp < -326) {
            return zero(negative, isFloat);
        }
        int e10 = (int) decExp - nd; // value = D * 10^e10
        // fast paths: both operands exact, one correctly rounded operation
        if (!isFloat && nd <= 15 && e10 >= -22 && e10 <= 22) {
            double v = smallValue(digits, nd);
            v = e10 >= 0 ? v * TENS[e10] : v / TENS[-e10];
            return Double.doubleToRawLongBits(negative ? -v : v);
        }
        if (isFloat && nd <= 7 && e10 >= -10 && e10 <= 10) {
            float v = (float) smallValue(digits, nd);
            v = e10 >= 0 ? v * FLOAT_TENS[e10] : v / FLOAT_TENS[-e10];
            return Float.floatToRawIntBits(negative ? -v : v) & 0xffffffffL;
        }
        BigNat d = BigNat.ZERO;
        int k = 0;
        while (k < nd) {
            // nine digits at a time
            int chunk = Math.min(9, nd - k);
            int part = 0;
            int scale = 1;
            for (int j = 0; j < chunk; j++) {
                part = part * 10 + (digits[k + j] - '0');
                scale *= 10;
            }
            d = d.mulAdd(scale, part);
            k += chunk;
        }
        if (e10 >= 0) {
            return round(d.mulPow10(e10), 0, false, negative, isFloat);
        }
        BigNat divisor = BigNat.pow5(-e10); // D / 10^n = (D / 5^n) * 2^-n
        int precision = isFloat ? 24 : 53;
        // a quotient of precision + 3 or + 4 bits: scale the dividend or the divisor by 2^shift
        int shift = divisor.bitLength() - d.bitLength() + precision + 3;
        BigNat num = shift >= 0 ? d.shiftLeft(shift) : d;
        BigNat den = shift >= 0 ? divisor : divisor.shiftLeft(-shift);
        boolean[] inexact = new boolean[1];
        long q = num.divideToLong(den, inexact);
        return round(BigNat.valueOf(q), e10 - shift, inexact[0], negative, isFloat);
    }

    private static double smallValue(char[] digits, int nd) {
        long v = 0;
        for (int j = 0; j < nd; j++) {
            v = v * 10 + (digits[j] - '0');
        }
        return (double) v;
    }

    private static long parseHex(String s, int i, boolean negative, boolean isFloat) {
        int len = s.length();
        BigNat m = BigNat.ZERO;
        int sig = 0; // significant hex digits kept
        boolean sticky = false;
        long scale = 0; // value = m * 2^(scale + exponent)
        boolean seenDigit = false;
        boolean seenNonZero = false;
        while (i < len && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
            int h = Character.digit(s.charAt(i++), 16);
            seenDigit = true;
            if (h != 0 || seenNonZero) {
                seenNonZero = true;
                if (sig < 32) {
                    m = m.mulAdd(16, h);
                    sig++;
                } else {
                    scale += 4;
                    sticky |= h != 0;
                }
            }
        }
        if (i < len && s.charAt(i) == '.') {
            i++;
            while (i < len && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
                int h = Character.digit(s.charAt(i++), 16);
                seenDigit = true;
                if (h != 0 || seenNonZero) {
                    seenNonZero = true;
                    if (sig < 32) {
                        m = m.mulAdd(16, h);
                        sig++;
                        scale -= 4;
                    } else {
                        sticky |= h != 0;
                    }
                } else {
                    scale -= 4;
                }
            }
        }
        if (!seenDigit || i >= len || (s.charAt(i) != 'p' && s.charAt(i) != 'P')) {
            throw formatError(s);
        }
        i++;
        boolean expNegative = false;
        if (i < len && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            expNegative = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long exp = 0;
        while (i < len && isDigit(s.charAt(i))) {
            if (exp < 1_000_000_000L) {
                exp = exp * 10 + (s.charAt(i) - '0');
            }
            i++;
        }
        if (i == start) {
            throw formatError(s);
        }
        if (i < len && i + 1 == len && isSuffix(s.charAt(i))) {
            i++;
        }
        if (i != len) {
            throw formatError(s);
        }
        if (m.isZero()) {
            return zero(negative, isFloat);
        }
        long e2 = scale + (expNegative ? -exp : exp);
        if (e2 > 2000) {
            return infinity(negative, isFloat);
        }
        if (e2 < -2000 - 128) {
            return zero(negative, isFloat);
        }
        return round(m, (int) e2, sticky, negative, isFloat);
    }

    /**
     * Rounds n * 2^e2 (plus a positive amount below one unit of n's last bit if sticky) to
     * the nearest double or float, ties to even; returns its bits.
     */
    private static long round(BigNat n, int e2, boolean sticky, boolean negative, boolean isFloat) {
        int precision = isFloat ? 24 : 53;
        int minExp = isFloat ? -149 : -1074; // exponent of the smallest subnormal's unit
        int maxExp = isFloat ? 127 : 1023;
        int len = n.bitLength();
        int lead = len - 1 + e2;
        if (lead > maxExp) {
            return infinity(negative, isFloat);
        }
        // exponent of the unit in the last kept place
        int unit = Math.max(lead - precision + 1, minExp);
        int drop = unit - e2;
        long mant;
        if (drop <= 0) {
            mant = n.shiftLeft(-drop).longValue();
        } else if (drop > len + 1) {
            return zero(negative, isFloat); // below half the smallest subnormal
        } else {
            mant = n.shiftRight(drop).longValue();
            boolean half = n.testBit(drop - 1);
            boolean rest = sticky || n.lowBitsNonZero(drop - 1);
            if (half && (rest || (mant & 1) != 0)) {
                mant++;
            }
        }
        // mant * 2^unit; renormalize a carry out of the significand
        if (mant == (1L << precision)) {
            mant >>= 1;
            unit++;
        }
        if (mant == 0) {
            return zero(negative, isFloat);
        }
        long bits;
        if (isFloat) {
            int biased;
            if (mant < (1L << 23)) {
                biased = 0; // subnormal (unit == minExp)
            } else {
                biased = unit + 23 + 127;
            }
            if (biased >= 255) {
                return infinity(negative, isFloat);
            }
            bits = ((long) biased << 23) | (mant & 0x7fffff);
            if (negative) {
                bits |= 0x80000000L;
            }
            return bits;
        }
        int biased;
        if (mant < (1L << 52)) {
            biased = 0;
        } else {
            biased = unit + 52 + 1023;
        }
        if (biased >= 2047) {
            return infinity(negative, isFloat);
        }
        bits = ((long) biased << 52) | (mant & 0x000fffffffffffffL);
        return negative ? bits | 0x8000000000000000L : bits;
    }

    private static long zero(boolean negative, boolean isFloat) {
        if (isFloat) {
            return negative ? 0x80000000L : 0;
        }
        return negative ? 0x8000000000000000L : 0;
    }

    private static long infinity(boolean negative, boolean isFloat) {
        if (isFloat) {
            return negative ? 0xff800000L : 0x7f800000L;
        }
        return negative ? 0xfff0000000000000L : 0x7ff0000000000000L;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSuffix(char c) {
        return c == 'f' || c == 'F' || c == 'd' || c == 'D';
    }

    private static NumberFormatException formatError(String s) {
        return new NumberFormatException("For input string: \"" + s + "\"");
    }
}
