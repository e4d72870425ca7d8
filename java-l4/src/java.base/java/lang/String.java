package java.lang;

import capuchin.internal.CharacterData;
import capuchin.internal.Charsets;
import capuchin.internal.StringSplit;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Formatter;
import java.util.List;
import java.util.Objects;

/**
 * Strings as UTF-16 char arrays. VM contract (docs/jvm.md): the fields {@code value} and
 * {@code hash} are exactly these; the VM creates literals through them and interns them.
 * Hashing, equality and ordering are the JDK's.
 */
public final class String implements java.io.Serializable, Comparable<String>, CharSequence {
    private final char[] value;
    private int hash;

    private static final char[] EMPTY = new char[0];

    public String() {
        this.value = EMPTY;
    }

    public String(String original) {
        this.value = original.value;
        this.hash = original.hash;
    }

    public String(char[] value) {
        this.value = value.length == 0 ? EMPTY : value.clone();
    }

    public String(char[] value, int offset, int count) {
        checkBoundsOffCount(offset, count, value.length);
        this.value = copyRange(value, offset, count);
    }

    public String(int[] codePoints, int offset, int count) {
        checkBoundsOffCount(offset, count, codePoints.length);
        int n = count;
        for (int i = offset; i < offset + count; i++) {
            int c = codePoints[i];
            if (Character.isBmpCodePoint(c)) {
                continue;
            } else if (Character.isValidCodePoint(c)) {
                n++;
            } else {
                throw new IllegalArgumentException(Integer.toString(c));
            }
        }
        char[] v = new char[n];
        for (int i = offset, j = 0; i < offset + count; i++) {
            j += Character.toChars(codePoints[i], v, j);
        }
        this.value = v;
    }

    public String(byte[] bytes, int offset, int length, String charsetName) throws UnsupportedEncodingException {
        this(charsetId(charsetName), bytes, offset, length);
    }

    public String(byte[] bytes, String charsetName) throws UnsupportedEncodingException {
        this(charsetId(charsetName), bytes, 0, bytes.length);
    }

    public String(byte[] bytes, int offset, int length, Charset charset) {
        this(Charsets.lookup(Objects.requireNonNull(charset).name()), bytes, offset, length);
    }

    public String(byte[] bytes, Charset charset) {
        this(bytes, 0, bytes.length, charset);
    }

    public String(byte[] bytes, int offset, int length) {
        this(Charsets.UTF_8, bytes, offset, length);
    }

    public String(byte[] bytes) {
        this(Charsets.UTF_8, bytes, 0, bytes.length);
    }

    /** JDK 17's deprecated (byte[], hibyte, ...) constructor. */
    @Deprecated(since = "1.1")
    public String(byte[] ascii, int hibyte, int offset, int count) {
        checkBoundsOffCount(offset, count, ascii.length);
        char[] v = new char[count];
        hibyte = (hibyte & 0xff) << 8;
        for (int i = 0; i < count; i++) {
            v[i] = (char) (hibyte | (ascii[i + offset] & 0xff));
        }
        this.value = v;
    }

    @Deprecated(since = "1.1")
    public String(byte[] ascii, int hibyte) {
        this(ascii, hibyte, 0, ascii.length);
    }

    private String(int charset, byte[] bytes, int offset, int length) {
        checkBoundsOffCount(offset, length, bytes.length);
        this.value = Charsets.decode(charset, bytes, offset, length);
    }

    public String(StringBuffer buffer) {
        this(buffer.toString());
    }

    public String(StringBuilder builder) {
        this(builder.getValue(), 0, builder.length());
    }

    /** Takes ownership of {@code value} without copying (package-private, as the JDK's). */
    String(char[] value, boolean share) {
        this.value = value;
    }

    private static int charsetId(String charsetName) throws UnsupportedEncodingException {
        Objects.requireNonNull(charsetName, "charsetName");
        int id = Charsets.lookup(charsetName);
        if (id < 0) {
            throw new UnsupportedEncodingException(charsetName);
        }
        return id;
    }

    private static char[] copyRange(char[] src, int offset, int count) {
        if (count == 0) {
            return EMPTY;
        }
        char[] v = new char[count];
        System.arraycopy(src, offset, v, 0, count);
        return v;
    }

    // ---- bounds checks with the JDK's messages ----

    static void checkIndex(int index, int length) {
        if (index < 0 || index >= length) {
            throw new StringIndexOutOfBoundsException("index " + index + ", length " + length);
        }
    }

    static void checkOffset(int offset, int length) {
        if (offset < 0 || offset > length) {
            throw new StringIndexOutOfBoundsException("offset " + offset + ", length " + length);
        }
    }

    static void checkBoundsOffCount(int offset, int count, int length) {
        if (offset < 0 || count < 0 || offset > length - count) {
            throw new StringIndexOutOfBoundsException("offset " + offset + ", count " + count + ", length " + length);
        }
    }

    static void checkBoundsBeginEnd(int begin, int end, int length) {
        if (begin < 0 || begin > end || end > length) {
            throw new StringIndexOutOfBoundsException("begin " + begin + ", end " + end + ", length " + length);
        }
    }

    // ---- basic access ----

    public int length() {
        return value.length;
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    public char charAt(int index) {
        if (index < 0 || index >= value.length) {
            // JDK 17 reports Latin-1 strings this way and UTF-16 ones as "index i, length n".
            if (isLatin1()) {
                throw new StringIndexOutOfBoundsException(index);
            }
            checkIndex(index, value.length);
        }
        return value[index];
    }

    /** Whether the JDK would store this string compactly (all chars below 256). */
    private boolean isLatin1() {
        for (char c : value) {
            if (c > 0xFF) {
                return false;
            }
        }
        return true;
    }

    public int codePointAt(int index) {
        checkIndex(index, value.length);
        return Character.codePointAtImpl(value, index, value.length);
    }

    public int codePointBefore(int index) {
        int i = index - 1;
        checkIndex(i, value.length);
        return Character.codePointBeforeImpl(value, index, 0);
    }

    public int codePointCount(int beginIndex, int endIndex) {
        if (beginIndex < 0 || beginIndex > endIndex || endIndex > length()) {
            throw new IndexOutOfBoundsException();
        }
        return Character.codePointCount(value, beginIndex, endIndex - beginIndex);
    }

    public int offsetByCodePoints(int index, int codePointOffset) {
        return Character.offsetByCodePoints(this, index, codePointOffset);
    }

    public void getChars(int srcBegin, int srcEnd, char[] dst, int dstBegin) {
        checkBoundsBeginEnd(srcBegin, srcEnd, length());
        checkBoundsOffCount(dstBegin, srcEnd - srcBegin, dst.length);
        System.arraycopy(value, srcBegin, dst, dstBegin, srcEnd - srcBegin);
    }

    @Deprecated(since = "1.1")
    public void getBytes(int srcBegin, int srcEnd, byte[] dst, int dstBegin) {
        checkBoundsBeginEnd(srcBegin, srcEnd, length());
        Objects.requireNonNull(dst);
        checkBoundsOffCount(dstBegin, srcEnd - srcBegin, dst.length);
        for (int i = srcBegin; i < srcEnd; i++) {
            dst[dstBegin++] = (byte) value[i];
        }
    }

    public byte[] getBytes(String charsetName) throws UnsupportedEncodingException {
        return Charsets.encode(charsetId(charsetName), value, 0, value.length);
    }

    public byte[] getBytes(Charset charset) {
        return Charsets.encode(Charsets.lookup(Objects.requireNonNull(charset).name()), value, 0, value.length);
    }

    /** The default charset is UTF-8 (JDK 18's default, and JDK 17's in a UTF-8 locale). */
    public byte[] getBytes() {
        return Charsets.encodeUtf8(value, 0, value.length);
    }

    public char[] toCharArray() {
        return value.clone();
    }

    /** The backing array, for java.lang classes that copy from it. */
    char[] value() {
        return value;
    }

    // ---- equality, hashing, ordering ----

    public boolean equals(Object anObject) {
        if (this == anObject) {
            return true;
        }
        if (anObject instanceof String) {
            char[] a = value;
            char[] b = ((String) anObject).value;
            int n = a.length;
            if (n == b.length) {
                for (int i = 0; i < n; i++) {
                    if (a[i] != b[i]) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    public boolean contentEquals(StringBuffer sb) {
        return contentEquals((CharSequence) sb);
    }

    public boolean contentEquals(CharSequence cs) {
        if (cs instanceof String) {
            return equals(cs);
        }
        int n = cs.length();
        if (n != value.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (value[i] != cs.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public boolean equalsIgnoreCase(String anotherString) {
        return (this == anotherString) ? true
                : (anotherString != null)
                && (anotherString.length() == length())
                && regionMatches(true, 0, anotherString, 0, length());
    }

    public int compareTo(String anotherString) {
        char[] v1 = value;
        char[] v2 = anotherString.value;
        int len1 = v1.length;
        int len2 = v2.length;
        int lim = Math.min(len1, len2);
        for (int k = 0; k < lim; k++) {
            char c1 = v1[k];
            char c2 = v2[k];
            if (c1 != c2) {
                return c1 - c2;
            }
        }
        return len1 - len2;
    }

    public static final Comparator<String> CASE_INSENSITIVE_ORDER = new CaseInsensitiveComparator();

    private static final class CaseInsensitiveComparator implements Comparator<String>, java.io.Serializable {
        public int compare(String s1, String s2) {
            // JDK 17 only joins surrogate pairs when neither string is Latin-1 (compact)
            boolean pairs = !s1.isLatin1() && !s2.isLatin1();
            return compareToCI(s1.value, 0, s1.value.length, s2.value, 0, s2.value.length, pairs);
        }
    }

    /**
     * Case-insensitive comparison of two char ranges as compareToIgnoreCase specifies: chars
     * are compared in step; where they differ, the code points there (a surrogate pair
     * counting as one) are folded with toLowerCase(toUpperCase(cp)) and the first difference
     * of folded values is the result; otherwise the difference of the lengths. Without
     * pairs, every char is folded on its own (as JDK 17 does when a string is Latin-1).
     */
    private static int compareToCI(char[] a, int aFrom, int aLen, char[] b, int bFrom, int bLen, boolean pairs) {
        int i = aFrom;
        int j = bFrom;
        int aEnd = aFrom + aLen;
        int bEnd = bFrom + bLen;
        while (i < aEnd && j < bEnd) {
            char ca = a[i];
            char cb = b[j];
            if (ca != cb) {
                int cpA = pairs ? codePointAround(a, i, aFrom, aEnd) : ca;
                int cpB = pairs ? codePointAround(b, j, bFrom, bEnd) : cb;
                int fa = fold(cpA);
                int fb = fold(cpB);
                if (fa != fb) {
                    return fa - fb;
                }
                // a pair starting here has been compared whole
                if (pairs && startsPair(a, i, aEnd)) {
                    i++;
                }
                if (pairs && startsPair(b, j, bEnd)) {
                    j++;
                }
            }
            i++;
            j++;
        }
        return aLen - bLen;
    }

    private static int fold(int cp) {
        return Character.toLowerCase(Character.toUpperCase(cp));
    }

    private static boolean startsPair(char[] v, int i, int end) {
        return Character.isHighSurrogate(v[i]) && i + 1 < end && Character.isLowSurrogate(v[i + 1]);
    }

    /** The code point that the char at i belongs to within [from, end). */
    private static int codePointAround(char[] v, int i, int from, int end) {
        char c = v[i];
        if (startsPair(v, i, end)) {
            return Character.toCodePoint(c, v[i + 1]);
        }
        if (Character.isLowSurrogate(c) && i > from && Character.isHighSurrogate(v[i - 1])) {
            return Character.toCodePoint(v[i - 1], c);
        }
        return c;
    }

    public int compareToIgnoreCase(String str) {
        return CASE_INSENSITIVE_ORDER.compare(this, str);
    }

    public boolean regionMatches(int toffset, String other, int ooffset, int len) {
        if ((ooffset < 0) || (toffset < 0) || (toffset > (long) length() - len)
                || (ooffset > (long) other.length() - len)) {
            return false;
        }
        char[] tv = value;
        char[] ov = other.value;
        for (int i = 0; i < len; i++) {
            if (tv[toffset + i] != ov[ooffset + i]) {
                return false;
            }
        }
        return true;
    }

    public boolean regionMatches(boolean ignoreCase, int toffset, String other, int ooffset, int len) {
        if (!ignoreCase) {
            return regionMatches(toffset, other, ooffset, len);
        }
        if ((ooffset < 0) || (toffset < 0) || (toffset > (long) length() - len)
                || (ooffset > (long) other.length() - len)) {
            return false;
        }
        return compareToCI(value, toffset, len, other.value, ooffset, len, true) == 0;
    }

    public boolean startsWith(String prefix, int toffset) {
        if (toffset < 0 || toffset > length() - prefix.length()) {
            return false;
        }
        char[] ta = value;
        char[] pa = prefix.value;
        int pc = pa.length;
        for (int i = 0; i < pc; i++) {
            if (ta[toffset + i] != pa[i]) {
                return false;
            }
        }
        return true;
    }

    public boolean startsWith(String prefix) {
        return startsWith(prefix, 0);
    }

    public boolean endsWith(String suffix) {
        return startsWith(suffix, length() - suffix.length());
    }

    /** s[0]*31^(n-1) + ... + s[n-1], cached as the JDK does (0 is recomputed). */
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            for (char c : value) {
                h = 31 * h + c;
            }
            hash = h;
        }
        return h;
    }

    // ---- searching ----

    public int indexOf(int ch) {
        return indexOf(ch, 0);
    }

    /** Searches for the char, or for the surrogate pair of a supplementary code point. */
    public int indexOf(int ch, int fromIndex) {
        char[] v = value;
        int start = Math.max(fromIndex, 0);
        if (ch >= 0 && ch < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
            for (int i = start; i < v.length; i++) {
                if (v[i] == ch) {
                    return i;
                }
            }
        } else if (Character.isValidCodePoint(ch)) {
            char hi = Character.highSurrogate(ch);
            char lo = Character.lowSurrogate(ch);
            for (int i = start; i + 1 < v.length; i++) {
                if (v[i] == hi && v[i + 1] == lo) {
                    return i;
                }
            }
        }
        return -1;
    }

    public int lastIndexOf(int ch) {
        return lastIndexOf(ch, length() - 1);
    }

    public int lastIndexOf(int ch, int fromIndex) {
        char[] v = value;
        if (ch >= 0 && ch < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
            for (int i = Math.min(fromIndex, v.length - 1); i >= 0; i--) {
                if (v[i] == ch) {
                    return i;
                }
            }
        } else if (Character.isValidCodePoint(ch)) {
            char hi = Character.highSurrogate(ch);
            char lo = Character.lowSurrogate(ch);
            for (int i = Math.min(fromIndex, v.length - 2); i >= 0; i--) {
                if (v[i] == hi && v[i + 1] == lo) {
                    return i;
                }
            }
        }
        return -1;
    }

    public int indexOf(String str) {
        return indexOf(str, 0);
    }

    public int indexOf(String str, int fromIndex) {
        return indexOf(value, value.length, str.value, str.value.length, fromIndex);
    }

    /**
     * The first i >= fromIndex (clamped to [0, srcCount]) where tgt occurs in src, or -1. An
     * empty target is found at the clamped fromIndex. Also used by StringBuilder.
     */
    static int indexOf(char[] src, int srcCount, char[] tgt, int tgtCount, int fromIndex) {
        int start = Math.min(Math.max(fromIndex, 0), srcCount);
        for (int i = start; i <= srcCount - tgtCount; i++) {
            int k = 0;
            while (k < tgtCount && src[i + k] == tgt[k]) {
                k++;
            }
            if (k == tgtCount) {
                return i;
            }
        }
        return -1;
    }

    public int lastIndexOf(String str) {
        return lastIndexOf(str, length());
    }

    public int lastIndexOf(String str, int fromIndex) {
        return lastIndexOf(value, value.length, str.value, str.value.length, fromIndex);
    }

    /** The last i <= fromIndex where tgt occurs in src, or -1. */
    static int lastIndexOf(char[] src, int srcCount, char[] tgt, int tgtCount, int fromIndex) {
        for (int i = Math.min(fromIndex, srcCount - tgtCount); i >= 0; i--) {
            int k = 0;
            while (k < tgtCount && src[i + k] == tgt[k]) {
                k++;
            }
            if (k == tgtCount) {
                return i;
            }
        }
        return -1;
    }

    public boolean contains(CharSequence s) {
        return indexOf(s.toString()) >= 0;
    }

    // ---- derived strings ----

    public String substring(int beginIndex) {
        return substring(beginIndex, length());
    }

    public String substring(int beginIndex, int endIndex) {
        int length = length();
        checkBoundsBeginEnd(beginIndex, endIndex, length);
        if (beginIndex == 0 && endIndex == length) {
            return this;
        }
        return new String(copyRange(value, beginIndex, endIndex - beginIndex), true);
    }

    public CharSequence subSequence(int beginIndex, int endIndex) {
        return this.substring(beginIndex, endIndex);
    }

    public String concat(String str) {
        if (str.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return str;
        }
        char[] v = new char[value.length + str.value.length];
        System.arraycopy(value, 0, v, 0, value.length);
        System.arraycopy(str.value, 0, v, value.length, str.value.length);
        return new String(v, true);
    }

    public String replace(char oldChar, char newChar) {
        if (oldChar != newChar) {
            char[] v = value;
            int len = v.length;
            int i = -1;
            while (++i < len) {
                if (v[i] == oldChar) {
                    break;
                }
            }
            if (i < len) {
                char[] buf = new char[len];
                System.arraycopy(v, 0, buf, 0, i);
                for (; i < len; i++) {
                    char c = v[i];
                    buf[i] = (c == oldChar) ? newChar : c;
                }
                return new String(buf, true);
            }
        }
        return this;
    }

    public String replace(CharSequence target, CharSequence replacement) {
        String trgtStr = target.toString();
        String replStr = replacement.toString();
        int thisLen = length();
        int trgtLen = trgtStr.length();
        if (trgtLen > 0) {
            int j = indexOf(trgtStr);
            if (j < 0) {
                return this;
            }
            StringBuilder sb = new StringBuilder(thisLen);
            int i = 0;
            do {
                sb.append(value, i, j - i).append(replStr);
                i = j + trgtLen;
            } while ((j = indexOf(trgtStr, i)) >= 0);
            return sb.append(value, i, thisLen - i).toString();
        }
        // Empty target: the replacement goes around every char.
        StringBuilder sb = new StringBuilder(thisLen + (thisLen + 1) * replStr.length());
        sb.append(replStr);
        for (int i = 0; i < thisLen; ++i) {
            sb.append(value[i]).append(replStr);
        }
        return sb.toString();
    }

    public boolean matches(String regex) {
        return StringSplit.matches(regex, this);
    }

    public String replaceFirst(String regex, String replacement) {
        return StringSplit.replace(regex, this, replacement, false);
    }

    public String replaceAll(String regex, String replacement) {
        return StringSplit.replace(regex, this, replacement, true);
    }

    public String[] split(String regex, int limit) {
        return StringSplit.split(this, regex, limit);
    }

    public String[] split(String regex) {
        return split(regex, 0);
    }

    public static String join(CharSequence delimiter, CharSequence... elements) {
        Objects.requireNonNull(delimiter);
        Objects.requireNonNull(elements);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                sb.append(delimiter);
            }
            sb.append(String.valueOf(elements[i]));
        }
        return sb.toString();
    }

    public static String join(CharSequence delimiter, Iterable<? extends CharSequence> elements) {
        Objects.requireNonNull(delimiter);
        Objects.requireNonNull(elements);
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (CharSequence cs : elements) {
            if (!first) {
                sb.append(delimiter);
            }
            first = false;
            sb.append(String.valueOf(cs));
        }
        return sb.toString();
    }

    // ---- case mapping (full Unicode via CharacterData; locale-independent: ROOT rules) ----

    public String toLowerCase(java.util.Locale locale) {
        Objects.requireNonNull(locale);
        return toLowerCase();
    }

    /**
     * As JDK 17 in a non-Turkic, non-Lithuanian locale: per code point mapping, plus the
     * two conditional rules of ConditionalSpecialCasing, U+0130 to "i\u0307" and final sigma.
     */
    public String toLowerCase() {
        char[] v = value;
        int len = v.length;
        int first;
        for (first = 0; first < len; first++) {
            char c = v[first];
            if (Character.isSurrogate(c) || c != Character.toLowerCase(c)) {
                break;
            }
        }
        if (first == len) {
            return this;
        }
        StringBuilder sb = new StringBuilder(len);
        sb.append(v, 0, first);
        for (int i = first; i < len; ) {
            int cp = Character.codePointAt(v, i);
            int n = Character.charCount(cp);
            if (cp == 0x03A3) {
                sb.append(isFinalSigma(i) ? '\u03C2' : '\u03C3');
            } else if (cp == 0x0130) {
                sb.append("i\u0307");
            } else {
                sb.appendCodePoint(Character.toLowerCase(cp));
            }
            i += n;
        }
        return sb.toString();
    }

    private static boolean isCased(int cp) {
        int type = Character.getType(cp);
        return type == Character.LOWERCASE_LETTER || type == Character.UPPERCASE_LETTER
                || type == Character.TITLECASE_LETTER || Character.isLowerCase(cp) || Character.isUpperCase(cp);
    }

    /** The word-boundary test of ConditionalSpecialCasing, approximated by letter/mark runs. */
    private static boolean isWordChar(int cp) {
        int t = Character.getType(cp);
        return Character.isLetterOrDigit(cp) || t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK
                || t == Character.COMBINING_SPACING_MARK || cp == '\'' || cp == '\u2019';
    }

    private boolean isFinalSigma(int index) {
        for (int i = index; i > 0; ) {
            int ch = codePointBefore(i);
            if (!isWordChar(ch)) {
                return false;
            }
            if (isCased(ch)) {
                for (int j = index + 1; j < length(); ) {
                    int c2 = codePointAt(j);
                    if (!isWordChar(c2)) {
                        return true;
                    }
                    if (isCased(c2)) {
                        return false;
                    }
                    j += Character.charCount(c2);
                }
                return true;
            }
            i -= Character.charCount(ch);
        }
        return false;
    }

    public String toUpperCase(java.util.Locale locale) {
        Objects.requireNonNull(locale);
        return toUpperCase();
    }

    /** Per code point mapping plus the JDK's one-to-many expansions (e.g. U+00DF to "SS"). */
    public String toUpperCase() {
        char[] v = value;
        int len = v.length;
        int first;
        for (first = 0; first < len; first++) {
            char c = v[first];
            if (Character.isSurrogate(c) || c != Character.toUpperCase(c) || CharacterData.toUpperCaseEx(c) != null) {
                break;
            }
        }
        if (first == len) {
            return this;
        }
        StringBuilder sb = new StringBuilder(len);
        sb.append(v, 0, first);
        for (int i = first; i < len; ) {
            int cp = Character.codePointAt(v, i);
            char[] ex = CharacterData.toUpperCaseEx(cp);
            if (ex != null) {
                sb.append(ex);
            } else {
                sb.appendCodePoint(Character.toUpperCase(cp));
            }
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    // ---- whitespace ----

    public String trim() {
        int len = value.length;
        int st = 0;
        char[] val = value;
        while ((st < len) && (val[st] <= ' ')) {
            st++;
        }
        while ((st < len) && (val[len - 1] <= ' ')) {
            len--;
        }
        return ((st > 0) || (len < value.length)) ? substring(st, len) : this;
    }

    private int indexOfNonWhitespace() {
        int i = 0;
        while (i < value.length) {
            int cp = Character.codePointAt(value, i);
            if (!Character.isWhitespace(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    private int lastIndexOfNonWhitespace() {
        int i = value.length;
        while (i > 0) {
            int cp = Character.codePointBefore(value, i);
            if (!Character.isWhitespace(cp)) {
                break;
            }
            i -= Character.charCount(cp);
        }
        return i;
    }

    public String strip() {
        int left = indexOfNonWhitespace();
        if (left == value.length) {
            return "";
        }
        int right = lastIndexOfNonWhitespace();
        return substring(left, right);
    }

    public String stripLeading() {
        int left = indexOfNonWhitespace();
        return left == value.length ? "" : substring(left);
    }

    public String stripTrailing() {
        int right = lastIndexOfNonWhitespace();
        return right == 0 ? "" : substring(0, right);
    }

    public boolean isBlank() {
        return indexOfNonWhitespace() == length();
    }

    /** The lines as split by String.lines() ("\n", "\r" or "\r\n"), without a stream. */
    private List<String> lineList() {
        List<String> lines = new ArrayList<>();
        int len = value.length;
        int start = 0;
        while (start < len) {
            int i = start;
            while (i < len && value[i] != '\n' && value[i] != '\r') {
                i++;
            }
            lines.add(substring(start, i));
            if (i < len && value[i] == '\r' && i + 1 < len && value[i + 1] == '\n') {
                i++;
            }
            start = i + 1;
        }
        return lines;
    }

    public String indent(int n) {
        if (isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : lineList()) {
            if (n > 0) {
                sb.append(" ".repeat(n)).append(line);
            } else if (n == Integer.MIN_VALUE) {
                sb.append(line.stripLeading());
            } else if (n < 0) {
                sb.append(line.substring(Math.min(-n, line.indexOfNonWhitespace())));
            } else {
                sb.append(line);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * As specified: the lines (split at \n, \r, \r\n; a final line terminator leaves an
     * empty last line) lose the smallest indentation of the non-blank lines and of the last
     * line, and their trailing white space; blank lines become empty; lines are joined with \n.
     */
    public String stripIndent() {
        List<String> lines = new ArrayList<>();
        int len = value.length;
        int start = 0;
        for (int i = 0; i <= len; i++) {
            if (i == len || value[i] == '\n' || value[i] == '\r') {
                lines.add(substring(start, i));
                if (i < len && value[i] == '\r' && i + 1 < len && value[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        int min = Integer.MAX_VALUE;
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k);
            int lead = line.indexOfNonWhitespace();
            if (lead < line.length() || k == lines.size() - 1) {
                min = Math.min(min, lead);
            }
        }
        StringBuilder sb = new StringBuilder(len);
        for (int k = 0; k < lines.size(); k++) {
            if (k > 0) {
                sb.append('\n');
            }
            String line = lines.get(k);
            int end = line.lastIndexOfNonWhitespace();
            if (line.indexOfNonWhitespace() < line.length()) {
                sb.append(line, min, end);
            }
        }
        return sb.toString();
    }

    /** As specified: \b \t \n \f \r \s \" \' \\, octal \0 to \377, and \ before a line end. */
    public String translateEscapes() {
        char[] v = value;
        int n = v.length;
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            char c = v[i++];
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = (i < n) ? v[i++] : '\0';
            switch (e) {
                case 'b':
                    sb.append('\b');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 's':
                    sb.append(' ');
                    break;
                case '"':
                case '\'':
                case '\\':
                    sb.append(e);
                    break;
                case '\n':
                    break; // line continuation
                case '\r':
                    if (i < n && v[i] == '\n') {
                        i++;
                    }
                    break;
                default:
                    if (e >= '0' && e <= '7') {
                        // up to three octal digits, at most \377
                        int code = e - '0';
                        int more = (e <= '3') ? 2 : 1;
                        while (more-- > 0 && i < n && v[i] >= '0' && v[i] <= '7') {
                            code = code * 8 + (v[i++] - '0');
                        }
                        sb.append((char) code);
                    } else {
                        String hex = Integer.toHexString(e).toUpperCase();
                        throw new IllegalArgumentException("Invalid escape sequence: \\" + e + " \\\\u"
                                + "0000".substring(hex.length()) + hex);
                    }
            }
        }
        return sb.toString();
    }

    public <R> R transform(java.util.function.Function<? super String, ? extends R> f) {
        return f.apply(this);
    }

    public String toString() {
        return this;
    }

    // ---- formatting and valueOf ----

    public static String format(String format, Object... args) {
        return new Formatter().format(format, args).toString();
    }

    public static String format(java.util.Locale l, String format, Object... args) {
        return new Formatter(l).format(format, args).toString();
    }

    public String formatted(Object... args) {
        return new Formatter().format(this, args).toString();
    }

    public static String valueOf(Object obj) {
        return (obj == null) ? "null" : obj.toString();
    }

    public static String valueOf(char[] data) {
        return new String(data);
    }

    public static String valueOf(char[] data, int offset, int count) {
        return new String(data, offset, count);
    }

    public static String copyValueOf(char[] data, int offset, int count) {
        return new String(data, offset, count);
    }

    public static String copyValueOf(char[] data) {
        return new String(data);
    }

    public static String valueOf(boolean b) {
        return b ? "true" : "false";
    }

    public static String valueOf(char c) {
        return new String(new char[] {c}, true);
    }

    public static String valueOf(int i) {
        return Integer.toString(i);
    }

    public static String valueOf(long l) {
        return Long.toString(l);
    }

    public static String valueOf(float f) {
        return Float.toString(f);
    }

    public static String valueOf(double d) {
        return Double.toString(d);
    }

    static String valueOfCodePoint(int codePoint) {
        return new String(Character.toChars(codePoint), true);
    }

    public native String intern();

    public String repeat(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count is negative: " + count);
        }
        if (count == 1) {
            return this;
        }
        int len = value.length;
        if (len == 0 || count == 0) {
            return "";
        }
        if ((long) len * count > Integer.MAX_VALUE) {
            throw new OutOfMemoryError("Required length exceeds implementation limit");
        }
        char[] out = new char[len * count];
        for (int k = 0; k < count; k++) {
            System.arraycopy(value, 0, out, k * len, len);
        }
        return new String(out, true);
    }
}
