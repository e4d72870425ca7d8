package capuchin.internal;

/**
 * Encoders and decoders for the charsets we support: UTF-8, ISO-8859-1, US-ASCII and
 * UTF-16/UTF-16BE/UTF-16LE, with the JDK's replacements (checked against it by the shadow
 * CharsetTest). Encoding: a char the charset cannot map becomes '?' (a surrogate pair one
 * '?'), an unpaired surrogate '?' in UTF-8 and U+FFFD in UTF-16. Decoding: malformed UTF-8
 * becomes one U+FFFD per maximal ill-formed subsequence, except encoded surrogates
 * (ED A0..BF ..), replaced as the JDK's UTF_8 decoder does.
 */
public final class Charsets {
    private Charsets() {
    }

    public static final int UTF_8 = 0;
    public static final int ISO_8859_1 = 1;
    public static final int US_ASCII = 2;
    public static final int UTF_16 = 3;
    public static final int UTF_16BE = 4;
    public static final int UTF_16LE = 5;

    private static final String[] CANONICAL = {"UTF-8", "ISO-8859-1", "US-ASCII", "UTF-16", "UTF-16BE", "UTF-16LE"};

    public static String canonicalName(int id) {
        return CANONICAL[id];
    }

    /** Charset id for a name or alias (case-insensitive), or -1. */
    public static int lookup(String name) {
        String n = name.toUpperCase();
        switch (n) {
            case "UTF-8": case "UTF8": case "UNICODE-1-1-UTF-8":
                return UTF_8;
            case "ISO-8859-1": case "ISO8859-1": case "ISO8859_1": case "ISO_8859_1": case "ISO_8859-1": case "LATIN1":
            case "L1": case "8859_1": case "CP819": case "IBM819": case "ISO-IR-100": case "CSISOLATIN1": case "819":
            case "IBM-819": case "ISO_8859-1:1987":
                return ISO_8859_1;
            case "US-ASCII": case "ASCII": case "US": case "ISO646-US": case "CP367": case "IBM367": case "646":
            case "ANSI_X3.4-1968": case "ANSI_X3.4-1986": case "ISO_646.IRV:1991": case "ISO-IR-6": case "CSASCII":
            case "DEFAULT": case "ASCII7": case "ISO_646.IRV:1983":
                return US_ASCII;
            case "UTF-16": case "UTF_16": case "UTF16": case "UNICODE":
                return UTF_16;
            case "UTF-16BE": case "UTF_16BE": case "ISO-10646-UCS-2": case "X-UTF-16BE": case "UNICODEBIGUNMARKED":
                return UTF_16BE;
            case "UTF-16LE": case "UTF_16LE": case "X-UTF-16LE": case "UNICODELITTLEUNMARKED":
                return UTF_16LE;
            default:
                return -1;
        }
    }

    public static byte[] encode(int id, char[] s, int off, int len) {
        switch (id) {
            case UTF_8:
                return encodeUtf8(s, off, len);
            case ISO_8859_1:
                return encodeSingleByte(s, off, len, 0xFF);
            case US_ASCII:
                return encodeSingleByte(s, off, len, 0x7F);
            default:
                return encodeUtf16(s, off, len, id);
        }
    }

    private static byte[] encodeSingleByte(char[] s, int off, int len, int max) {
        byte[] out = new byte[len];
        int n = 0;
        int end = off + len;
        for (int i = off; i < end; i++) {
            char c = s[i];
            if (c <= max) {
                out[n++] = (byte) c;
            } else {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s[i + 1])) {
                    i++;
                }
                out[n++] = '?';
            }
        }
        return n == len ? out : copy(out, n);
    }

    private static byte[] copy(byte[] b, int n) {
        byte[] r = new byte[n];
        System.arraycopy(b, 0, r, 0, n);
        return r;
    }

    public static byte[] encodeUtf8(char[] s, int off, int len) {
        int end = off + len;
        int n = 0;
        for (int i = off; i < end; i++) {
            char c = s[i];
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s[i + 1])) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        byte[] out = new byte[n];
        int p = 0;
        for (int i = off; i < end; i++) {
            char c = s[i];
            if (c < 0x80) {
                out[p++] = (byte) c;
            } else if (c < 0x800) {
                out[p++] = (byte) (0xC0 | (c >> 6));
                out[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s[i + 1])) {
                int cp = Character.toCodePoint(c, s[++i]);
                out[p++] = (byte) (0xF0 | (cp >> 18));
                out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out[p++] = '?';
            } else {
                out[p++] = (byte) (0xE0 | (c >> 12));
                out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return out;
    }

    /** UTF-16: a BOM (FE FF) for "UTF-16" unless there is nothing to encode; unpaired surrogates become U+FFFD. */
    private static byte[] encodeUtf16(char[] s, int off, int len, int id) {
        boolean bom = id == UTF_16 && len > 0;
        boolean little = id == UTF_16LE;
        byte[] out = new byte[len * 2 + (bom ? 2 : 0)];
        int p = 0;
        if (bom) {
            out[p++] = (byte) 0xFE;
            out[p++] = (byte) 0xFF;
        }
        int end = off + len;
        for (int i = off; i < end; i++) {
            char c = s[i];
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < end && Character.isLowSurrogate(s[i + 1])) {
                    p = put16(out, p, c, little);
                    c = s[++i];
                } else {
                    c = '\uFFFD';
                }
            } else if (Character.isLowSurrogate(c)) {
                c = '\uFFFD';
            }
            p = put16(out, p, c, little);
        }
        return out;
    }

    private static int put16(byte[] out, int p, char c, boolean little) {
        if (little) {
            out[p++] = (byte) c;
            out[p++] = (byte) (c >> 8);
        } else {
            out[p++] = (byte) (c >> 8);
            out[p++] = (byte) c;
        }
        return p;
    }

    /** Decodes to a char array, trimmed to its length. */
    public static char[] decode(int id, byte[] b, int off, int len) {
        switch (id) {
            case UTF_8:
                return decodeUtf8(b, off, len);
            case ISO_8859_1: {
                char[] out = new char[len];
                for (int i = 0; i < len; i++) {
                    out[i] = (char) (b[off + i] & 0xFF);
                }
                return out;
            }
            case US_ASCII: {
                char[] out = new char[len];
                for (int i = 0; i < len; i++) {
                    int v = b[off + i];
                    out[i] = v >= 0 ? (char) v : '\uFFFD';
                }
                return out;
            }
            default:
                return decodeUtf16(b, off, len, id);
        }
    }

    /**
     * UTF-16 as the JDK's UnicodeDecoder: a BOM selects the byte order for "UTF-16"; a high
     * surrogate not followed by a low one replaces both units by one U+FFFD, a lone low
     * surrogate or trailing bytes by one U+FFFD each.
     */
    private static char[] decodeUtf16(byte[] b, int off, int len, int id) {
        boolean little = id == UTF_16LE;
        int p = off;
        int end = off + len;
        if (id == UTF_16 && len >= 2) {
            int b0 = b[p] & 0xFF;
            int b1 = b[p + 1] & 0xFF;
            if (b0 == 0xFE && b1 == 0xFF) {
                p += 2;
            } else if (b0 == 0xFF && b1 == 0xFE) {
                p += 2;
                little = true;
            }
        }
        char[] out = new char[(end - p + 1) / 2];
        int n = 0;
        while (p + 1 < end) {
            char c = get16(b, p, little);
            p += 2;
            if (Character.isHighSurrogate(c)) {
                if (p + 1 >= end) {
                    out[n++] = '\uFFFD';
                    p = end;
                    break;
                }
                char c2 = get16(b, p, little);
                p += 2;
                if (Character.isLowSurrogate(c2)) {
                    out[n++] = c;
                    out[n++] = c2;
                } else {
                    out[n++] = '\uFFFD';
                }
            } else if (Character.isLowSurrogate(c)) {
                out[n++] = '\uFFFD';
            } else {
                out[n++] = c;
            }
        }
        if (p < end) {
            out[n++] = '\uFFFD';
        }
        return trim(out, n);
    }

    private static char get16(byte[] b, int p, boolean little) {
        int hi = b[p] & 0xFF;
        int lo = b[p + 1] & 0xFF;
        return little ? (char) ((lo << 8) | hi) : (char) ((hi << 8) | lo);
    }

    private static char[] trim(char[] c, int n) {
        if (n == c.length) {
            return c;
        }
        char[] r = new char[n];
        System.arraycopy(c, 0, r, 0, n);
        return r;
    }

    private static boolean isCont(int b) {
        return (b & 0xC0) == 0x80;
    }

    public static char[] decodeUtf8(byte[] b, int off, int len) {
        char[] out = new char[len];
        int n = 0;
        int i = off;
        int end = off + len;
        while (i < end) {
            int b1 = b[i];
            if (b1 >= 0) {
                out[n++] = (char) b1;
                i++;
                continue;
            }
            b1 &= 0xFF;
            if (b1 >= 0xC2 && b1 <= 0xDF) {
                if (i + 1 < end && isCont(b[i + 1])) {
                    out[n++] = (char) (((b1 & 0x1F) << 6) | (b[i + 1] & 0x3F));
                    i += 2;
                } else {
                    out[n++] = '\uFFFD';
                    i++;
                }
            } else if (b1 == 0xED && i + 1 < end && (b[i + 1] & 0xE0) == 0xA0) {
                // an encoded surrogate: the JDK's decoder replaces ED and its continuation
                // bytes (two, or three when the third is one) by a single U+FFFD
                i += (i + 2 < end && isCont(b[i + 2])) ? 3 : 2;
                out[n++] = '\uFFFD';
            } else if (b1 >= 0xE0 && b1 <= 0xEF) {
                // second byte range depends on the lead (no overlongs)
                int lo = b1 == 0xE0 ? 0xA0 : 0x80;
                int hi = b1 == 0xED ? 0x9F : 0xBF;
                if (i + 1 < end && (b[i + 1] & 0xFF) >= lo && (b[i + 1] & 0xFF) <= hi) {
                    if (i + 2 < end && isCont(b[i + 2])) {
                        out[n++] = (char) (((b1 & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
                        i += 3;
                    } else {
                        out[n++] = '\uFFFD';
                        i += 2;
                    }
                } else {
                    out[n++] = '\uFFFD';
                    i++;
                }
            } else if (b1 >= 0xF0 && b1 <= 0xF4) {
                int lo = b1 == 0xF0 ? 0x90 : 0x80;
                int hi = b1 == 0xF4 ? 0x8F : 0xBF;
                if (i + 1 < end && (b[i + 1] & 0xFF) >= lo && (b[i + 1] & 0xFF) <= hi) {
                    if (i + 2 < end && isCont(b[i + 2])) {
                        if (i + 3 < end && isCont(b[i + 3])) {
                            int cp = ((b1 & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6)
                                    | (b[i + 3] & 0x3F);
                            if (n + 2 > out.length) {
                                char[] bigger = new char[out.length + 2];
                                System.arraycopy(out, 0, bigger, 0, n);
                                out = bigger;
                            }
                            out[n++] = Character.highSurrogate(cp);
                            out[n++] = Character.lowSurrogate(cp);
                            i += 4;
                        } else {
                            out[n++] = '\uFFFD';
                            i += 3;
                        }
                    } else {
                        out[n++] = '\uFFFD';
                        i += 2;
                    }
                } else {
                    out[n++] = '\uFFFD';
                    i++;
                }
            } else {
                out[n++] = '\uFFFD';
                i++;
            }
        }
        return trim(out, n);
    }
}
