package capuchin.internal;

/**
 * Unicode properties for java.lang.Character, decoded from the run-length tables that
 * tools/GenCharacterData.java extracts from JDK 17 (so answers equal the JDK's for every
 * code point). Latin-1 is answered from a direct table.
 */
public final class CharacterData {
    private CharacterData() {
    }

    public static final int UPPER = 1 << 5;
    public static final int LOWER = 2 << 5;
    public static final int ALPHABETIC = 4 << 5;
    public static final int IDEOGRAPHIC = 8 << 5;
    public static final int MIRRORED = 16 << 5;
    public static final int JAVA_START = 32 << 5;
    public static final int JAVA_PART = 64 << 5;
    public static final int IGNORABLE = 128 << 5;
    public static final int WHITESPACE = 256 << 5;
    public static final int UNICODE_START = 512 << 5;
    public static final int UNICODE_PART = 1024 << 5;
    public static final int SPACE_CHAR = 2048 << 5;

    private static final int[] KEYS;
    private static final int[] RUN_START;
    private static final char[] RUN_KEY;
    private static final int[][] MAPS = new int[5][]; // upper, lower, title, digit, numeric
    private static final int[] LATIN1 = new int[256];
    private static final int[] UPPER_EX_CP;
    private static final char[][] UPPER_EX;

    static {
        StringBuilder sb = new StringBuilder();
        for (String s : CharacterDataTables.DATA) {
            sb.append(s);
        }
        String d = sb.toString();
        int p = 0;
        int nkeys = d.charAt(p++);
        KEYS = new int[nkeys];
        for (int i = 0; i < nkeys; i++, p += 2) {
            KEYS[i] = getInt(d, p);
        }
        int nruns = getInt(d, p);
        p += 2;
        RUN_START = new int[nruns];
        RUN_KEY = new char[nruns];
        for (int i = 0; i < nruns; i++) {
            RUN_START[i] = getInt(d, p);
            RUN_KEY[i] = d.charAt(p + 2);
            p += 3;
        }
        for (int m = 0; m < 5; m++) {
            int n = d.charAt(p++) * 4;
            int[] t = new int[n];
            for (int i = 0; i < n; i++, p += 2) {
                t[i] = getInt(d, p);
            }
            MAPS[m] = t;
        }
        int nex = d.charAt(p++);
        UPPER_EX_CP = new int[nex];
        UPPER_EX = new char[nex][];
        for (int i = 0; i < nex; i++) {
            int cp = d.codePointAt(p);
            p += Character.charCount(cp);
            int len = d.charAt(p++);
            UPPER_EX_CP[i] = cp;
            UPPER_EX[i] = d.substring(p, p + len).toCharArray();
            p += len;
        }
        for (int c = 0; c < 256; c++) {
            LATIN1[c] = lookup(c);
        }
    }

    private static int getInt(String d, int p) {
        return (d.charAt(p) << 16) | d.charAt(p + 1);
    }

    private static int lookup(int cp) {
        int lo = 0;
        int hi = RUN_START.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (RUN_START[mid] <= cp) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return KEYS[RUN_KEY[lo]];
    }

    /** The general category in the low 5 bits and the property flags above. */
    public static int info(int cp) {
        if (cp >= 0 && cp < 256) {
            return LATIN1[cp];
        }
        if (cp < 0 || cp > Character.MAX_CODE_POINT) {
            return 0; // UNASSIGNED, no properties
        }
        return lookup(cp);
    }

    public static int getType(int cp) {
        return info(cp) & 31;
    }

    public static boolean has(int cp, int flag) {
        return (info(cp) & flag) != 0;
    }

    private static int map(int[] t, int cp) {
        // Runs are sorted and disjoint: (start, end, step, delta); step 2 maps every other one.
        int lo = 0;
        int hi = t.length / 4 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int start = t[mid * 4];
            if (cp < start) {
                hi = mid - 1;
            } else if (cp > t[mid * 4 + 1]) {
                lo = mid + 1;
            } else {
                int step = t[mid * 4 + 2];
                if (step == 2 && ((cp - start) & 1) != 0) {
                    return cp;
                }
                return cp + t[mid * 4 + 3];
            }
        }
        return cp;
    }

    private static int value(int[] t, int cp) {
        int lo = 0;
        int hi = t.length / 4 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int start = t[mid * 4];
            if (cp < start) {
                hi = mid - 1;
            } else if (cp > t[mid * 4 + 1]) {
                lo = mid + 1;
            } else {
                return t[mid * 4 + 3] + t[mid * 4 + 2] * (cp - start);
            }
        }
        return -1;
    }

    public static int toUpperCase(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
        }
        return map(MAPS[0], cp);
    }

    public static int toLowerCase(int cp) {
        if (cp < 128) {
            return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
        }
        return map(MAPS[1], cp);
    }

    public static int toTitleCase(int cp) {
        return map(MAPS[2], cp);
    }

    /** Character.digit(cp, 36), then checked against the radix by the caller. */
    public static int digit36(int cp) {
        if (cp < 128) {
            if (cp >= '0' && cp <= '9') {
                return cp - '0';
            }
            if (cp >= 'a' && cp <= 'z') {
                return cp - 'a' + 10;
            }
            if (cp >= 'A' && cp <= 'Z') {
                return cp - 'A' + 10;
            }
            return -1;
        }
        return value(MAPS[3], cp);
    }

    public static int numericValue(int cp) {
        return value(MAPS[4], cp);
    }

    /** The chars String.toUpperCase produces for cp when they differ from Character.toUpperCase, else null. */
    public static char[] toUpperCaseEx(int cp) {
        if (cp < 0xDF) {
            return null;
        }
        int lo = 0;
        int hi = UPPER_EX_CP.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int v = UPPER_EX_CP[mid];
            if (v < cp) {
                lo = mid + 1;
            } else if (v > cp) {
                hi = mid - 1;
            } else {
                return UPPER_EX[mid];
            }
        }
        return null;
    }
}
