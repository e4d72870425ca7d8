package shadowtest;

import java.util.SplittableRandom;

/** Integer and Long formatting, parsing and bit operations: ours against the JDK's. */
public class IntegerTest {
    static final String[] PARSE = {
        "0", "-0", "+0", "123", "-123", "+123", "2147483647", "2147483648", "-2147483648", "-2147483649", "", "-", "+",
        "12a", " 1", "1 ", "0x10", "#10", "010", "-0x80000000", "0X7fffffff", "99999999999", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "18446744073709551615", "18446744073709551616", "zz", "ZZ",
        "\u0661\u0662", "\uff11\uff12", "1_000", null,
        "1844674407370955161z", "zzzzzzzzzzzzz", "ffffffffffffffff", "+18446744073709551615", "4294967296", "0x-1", "#-1",
        "08", "0xx1", "-0x80000000", "0x80000000", "9999999999999999999x", "x999999999999999999", "92233720368547758070",
        "1zzzzzzzzzzzz", "+-1", "-#1", "#", "0x", "00", "-0", "10000000000000000", "-9223372036854775809"
    };

    public static void main(String[] args) {
        Check c = new Check("Integer/Long");
        SplittableRandom rnd = new SplittableRandom(7);
        int n = Check.n(200_000);
        for (int k = 0; k < n; k++) {
            int i = k < 64 ? (1 << k) - (k & 1) : (k % 3 == 0 ? rnd.nextInt() : rnd.nextInt(-2000, 2000));
            long l = k % 2 == 0 ? rnd.nextLong() : i * 3_000_000_019L;
            int radix = 2 + k % 35;
            c.eq("toString " + i, Integer.toString(i), shadow.java.lang.Integer.toString(i));
            c.eq("toString radix " + i, Integer.toString(i, radix), shadow.java.lang.Integer.toString(i, radix));
            c.eq("toHexString " + i, Integer.toHexString(i), shadow.java.lang.Integer.toHexString(i));
            c.eq("toOctalString " + i, Integer.toOctalString(i), shadow.java.lang.Integer.toOctalString(i));
            c.eq("toBinaryString " + i, Integer.toBinaryString(i), shadow.java.lang.Integer.toBinaryString(i));
            c.eq("toUnsignedString " + i, Integer.toUnsignedString(i, radix), shadow.java.lang.Integer.toUnsignedString(i, radix));
            c.eq("bitCount " + i, Integer.bitCount(i), shadow.java.lang.Integer.bitCount(i));
            c.eq("reverse " + i, Integer.reverse(i), shadow.java.lang.Integer.reverse(i));
            c.eq("reverseBytes " + i, Integer.reverseBytes(i), shadow.java.lang.Integer.reverseBytes(i));
            c.eq("highestOneBit " + i, Integer.highestOneBit(i), shadow.java.lang.Integer.highestOneBit(i));
            c.eq("lowestOneBit " + i, Integer.lowestOneBit(i), shadow.java.lang.Integer.lowestOneBit(i));
            c.eq("nlz " + i, Integer.numberOfLeadingZeros(i), shadow.java.lang.Integer.numberOfLeadingZeros(i));
            c.eq("ntz " + i, Integer.numberOfTrailingZeros(i), shadow.java.lang.Integer.numberOfTrailingZeros(i));
            c.eq("rotateLeft " + i, Integer.rotateLeft(i, k), shadow.java.lang.Integer.rotateLeft(i, k));
            c.eq("signum " + i, Integer.signum(i), shadow.java.lang.Integer.signum(i));
            c.eq("hashCode " + i, Integer.hashCode(i), shadow.java.lang.Integer.hashCode(i));
            c.eq("divideUnsigned " + i, Check.outcome(() -> Integer.divideUnsigned(i, radix - 5)),
                    Check.outcome(() -> shadow.java.lang.Integer.divideUnsigned(i, radix - 5)));
            c.eq("remainderUnsigned " + i, Check.outcome(() -> Integer.remainderUnsigned(i, radix - 5)),
                    Check.outcome(() -> shadow.java.lang.Integer.remainderUnsigned(i, radix - 5)));
            c.eq("compareUnsigned " + i, Integer.compareUnsigned(i, k), shadow.java.lang.Integer.compareUnsigned(i, k));
            String s = Integer.toString(i, radix);
            c.eq("parseInt " + s, Integer.parseInt(s, radix), shadow.java.lang.Integer.parseInt(s, radix));
            c.eq("Long.toString " + l, Long.toString(l), shadow.java.lang.Long.toString(l));
            c.eq("Long.toString radix " + l, Long.toString(l, radix), shadow.java.lang.Long.toString(l, radix));
            c.eq("Long.toHexString " + l, Long.toHexString(l), shadow.java.lang.Long.toHexString(l));
            c.eq("Long.toOctalString " + l, Long.toOctalString(l), shadow.java.lang.Long.toOctalString(l));
            c.eq("Long.toBinaryString " + l, Long.toBinaryString(l), shadow.java.lang.Long.toBinaryString(l));
            c.eq("Long.toUnsignedString " + l, Long.toUnsignedString(l, radix), shadow.java.lang.Long.toUnsignedString(l, radix));
            c.eq("Long.toUnsignedString10 " + l, Long.toUnsignedString(l), shadow.java.lang.Long.toUnsignedString(l));
            c.eq("Long.bitCount " + l, Long.bitCount(l), shadow.java.lang.Long.bitCount(l));
            c.eq("Long.reverse " + l, Long.reverse(l), shadow.java.lang.Long.reverse(l));
            c.eq("Long.reverseBytes " + l, Long.reverseBytes(l), shadow.java.lang.Long.reverseBytes(l));
            c.eq("Long.highestOneBit " + l, Long.highestOneBit(l), shadow.java.lang.Long.highestOneBit(l));
            c.eq("Long.nlz " + l, Long.numberOfLeadingZeros(l), shadow.java.lang.Long.numberOfLeadingZeros(l));
            c.eq("Long.ntz " + l, Long.numberOfTrailingZeros(l), shadow.java.lang.Long.numberOfTrailingZeros(l));
            c.eq("Long.hashCode " + l, Long.hashCode(l), shadow.java.lang.Long.hashCode(l));
            long d = (k % 5 == 0) ? rnd.nextLong() : 1 + rnd.nextInt(100);
            c.eq("Long.divideUnsigned " + l + "/" + d, Long.divideUnsigned(l, d), shadow.java.lang.Long.divideUnsigned(l, d));
            c.eq("Long.remainderUnsigned " + l + "%" + d, Long.remainderUnsigned(l, d), shadow.java.lang.Long.remainderUnsigned(l, d));
            String ls = Long.toUnsignedString(l, radix);
            c.eq("parseUnsignedLong " + ls, Check.outcome(() -> Long.parseUnsignedLong(ls, radix)),
                    Check.outcome(() -> shadow.java.lang.Long.parseUnsignedLong(ls, radix)));
            String ls2 = Long.toString(l, radix);
            c.eq("parseLong " + ls2, Long.parseLong(ls2, radix), shadow.java.lang.Long.parseLong(ls2, radix));
        }
        for (String s : PARSE) {
            for (int radix : new int[] {10, 16, 8, 2, 36, 1, 37}) {
                c.eq("parseInt(" + s + "," + radix + ")", Check.outcome(() -> Integer.parseInt(s, radix)),
                        Check.outcome(() -> shadow.java.lang.Integer.parseInt(s, radix)));
                c.eq("parseLong(" + s + "," + radix + ")", Check.outcome(() -> Long.parseLong(s, radix)),
                        Check.outcome(() -> shadow.java.lang.Long.parseLong(s, radix)));
                c.eq("parseUnsignedInt(" + s + "," + radix + ")", Check.outcome(() -> Integer.parseUnsignedInt(s, radix)),
                        Check.outcome(() -> shadow.java.lang.Integer.parseUnsignedInt(s, radix)));
                c.eq("parseUnsignedLong(" + s + "," + radix + ")", Check.outcome(() -> Long.parseUnsignedLong(s, radix)),
                        Check.outcome(() -> shadow.java.lang.Long.parseUnsignedLong(s, radix)));
            }
            c.eq("decode(" + s + ")", Check.outcome(() -> Integer.decode(s)), Check.outcome(() -> shadow.java.lang.Integer.decode(s)));
            c.eq("Long.decode(" + s + ")", Check.outcome(() -> Long.decode(s)), Check.outcome(() -> shadow.java.lang.Long.decode(s)));
            if (s != null) {
                c.eq("parseInt(cs " + s + ")", Check.outcome(() -> Integer.parseInt(s, 0, s.length(), 10)),
                        Check.outcome(() -> shadow.java.lang.Integer.parseInt(s, 0, s.length(), 10)));
                c.eq("parseLong(cs " + s + ")", Check.outcome(() -> Long.parseLong(s, 0, s.length(), 10)),
                        Check.outcome(() -> shadow.java.lang.Long.parseLong(s, 0, s.length(), 10)));
                String w = "ab" + s + "cd";
                int e = 2 + s.length();
                for (int radix : new int[] {10, 16, 36, 1}) {
                    c.eq("parseInt(cs " + w + ")", Check.outcome(() -> Integer.parseInt(w, 2, e, radix)),
                            Check.outcome(() -> shadow.java.lang.Integer.parseInt(w, 2, e, radix)));
                    c.eq("parseLong(cs " + w + ")", Check.outcome(() -> Long.parseLong(w, 2, e, radix)),
                            Check.outcome(() -> shadow.java.lang.Long.parseLong(w, 2, e, radix)));
                    c.eq("parseUnsignedInt(cs " + w + ")", Check.outcome(() -> Integer.parseUnsignedInt(w, 2, e, radix)),
                            Check.outcome(() -> shadow.java.lang.Integer.parseUnsignedInt(w, 2, e, radix)));
                    c.eq("parseUnsignedLong(cs " + w + ")", Check.outcome(() -> Long.parseUnsignedLong(w, 2, e, radix)),
                            Check.outcome(() -> shadow.java.lang.Long.parseUnsignedLong(w, 2, e, radix)));
                }
            }
        }
        // the boxing caches: valueOf returns the same object exactly for -128..127
        for (int i = -200; i <= 200; i++) {
            c.eq("Integer cache " + i, Integer.valueOf(i) == Integer.valueOf(i),
                    shadow.java.lang.Integer.valueOf(i) == shadow.java.lang.Integer.valueOf(i));
            c.eq("Long cache " + i, Long.valueOf(i) == Long.valueOf(i),
                    shadow.java.lang.Long.valueOf(i) == shadow.java.lang.Long.valueOf(i));
        }
        c.done();
    }
}
