package shadowtest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import shadow.capuchin.internal.Charsets;

/** String <-> bytes in UTF-8, ISO-8859-1, US-ASCII and UTF-16*: ours against the JDK's String. */
public class CharsetTest {
    static final Charset[] JDK = {StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, StandardCharsets.US_ASCII,
        StandardCharsets.UTF_16, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE};
    static final int[] OURS = {Charsets.UTF_8, Charsets.ISO_8859_1, Charsets.US_ASCII, Charsets.UTF_16, Charsets.UTF_16BE,
        Charsets.UTF_16LE};

    public static void main(String[] args) {
        Check c = new Check("Charsets");
        SplittableRandom rnd = new SplittableRandom(3);
        int n = Check.n(50_000);
        for (int i = 0; i < n; i++) {
            // strings with ASCII, Latin-1, BMP, surrogate pairs and unpaired surrogates
            int len = rnd.nextInt(12);
            char[] s = new char[len];
            for (int k = 0; k < len; k++) {
                switch (rnd.nextInt(6)) {
                    case 0: s[k] = (char) rnd.nextInt(0x80); break;
                    case 1: s[k] = (char) rnd.nextInt(0x100); break;
                    case 2: s[k] = (char) rnd.nextInt(0x10000); break;
                    case 3: s[k] = (char) (0xD800 + rnd.nextInt(0x800)); break;
                    default: {
                        int cp = 0x10000 + rnd.nextInt(0x100000);
                        s[k] = Character.highSurrogate(cp);
                        if (k + 1 < len) {
                            s[++k] = Character.lowSurrogate(cp);
                        }
                    }
                }
            }
            String str = new String(s);
            for (int cs = 0; cs < JDK.length; cs++) {
                c.eq("encode " + JDK[cs] + " " + hex(str), java.util.Arrays.toString(str.getBytes(JDK[cs])),
                        java.util.Arrays.toString(Charsets.encode(OURS[cs], s, 0, s.length)));
            }
            // random bytes, often near-valid UTF-8
            byte[] b = new byte[rnd.nextInt(10)];
            for (int k = 0; k < b.length; k++) {
                int kind = rnd.nextInt(4);
                b[k] = (byte) (kind == 0 ? rnd.nextInt(0x80) : kind == 1 ? 0x80 + rnd.nextInt(0x40)
                        : kind == 2 ? 0xC0 + rnd.nextInt(0x40) : rnd.nextInt(256));
            }
            for (int cs = 0; cs < JDK.length; cs++) {
                c.eq("decode " + JDK[cs] + " " + java.util.Arrays.toString(b), hex(new String(b, JDK[cs])),
                        hex(new String(Charsets.decode(OURS[cs], b, 0, b.length))));
            }
        }
        c.done();
    }

    static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            sb.append(Integer.toHexString(s.charAt(i))).append(' ');
        }
        return sb.toString();
    }
}
