package capuchin.internal;

import java.util.ArrayList;

/**
 * String.split, matches, replaceFirst and replaceAll without java.util.regex. A pattern is
 * handled when it is a literal: no metacharacter of ".$|()[{^?*+\\", or only backslash
 * escapes of non-alphanumeric characters (as the JDK's split fast path, extended to any
 * length). Anything else is a real regular expression, handed to {@link Regex}.
 * The split rules are Pattern.split's: a zero-width match at the start never yields a
 * leading empty string, and with limit 0 trailing empty strings are dropped.
 */
public final class StringSplit {
    private StringSplit() {
    }

    /** The literal a pattern stands for, or null if it is a real regular expression. */
    static String literal(String regex) {
        StringBuilder sb = null;
        int n = regex.length();
        for (int i = 0; i < n; i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) {
                    return null;
                }
                char d = regex.charAt(i + 1);
                if ((d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z')) {
                    return null;
                }
                if (sb == null) {
                    sb = new StringBuilder(regex.substring(0, i));
                }
                sb.append(d);
                i++;
            } else if (".$|()[{^?*+".indexOf(c) >= 0) {
                return null;
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? regex : sb.toString();
    }

    /** Finds successive matches: fills {start, end} and returns true, or returns false. */
    interface Finder {
        boolean find(String input, int from, int[] range);
    }

    private static final class LiteralFinder implements Finder {
        private final String lit;

        LiteralFinder(String lit) {
            this.lit = lit;
        }

        public boolean find(String input, int from, int[] range) {
            if (from > input.length()) {
                return false;
            }
            int i = input.indexOf(lit, from);
            if (i < 0) {
                return false;
            }
            range[0] = i;
            range[1] = i + lit.length();
            return true;
        }
    }

    static Finder finder(String regex) {
        String lit = literal(regex);
        if (lit != null) {
            return new LiteralFinder(lit);
        }
        return Regex.compile(regex);
    }

    public static String[] split(String input, String regex, int limit) {
        Finder f = finder(regex);
        int index = 0;
        boolean matchLimited = limit > 0;
        ArrayList<String> list = new ArrayList<>();
        int[] r = new int[2];
        int from = 0;
        while (f.find(input, from, r)) {
            // after an empty match, the next search starts one further on (Matcher.find)
            from = r[1] == r[0] ? r[1] + 1 : r[1];
            if (!matchLimited || list.size() < limit - 1) {
                if (index == 0 && r[0] == 0 && r[0] == r[1]) {
                    continue; // no empty leading substring for a zero-width match at 0
                }
                list.add(input.substring(index, r[0]));
                index = r[1];
            } else if (list.size() == limit - 1) {
                list.add(input.substring(index));
                index = r[1];
                break;
            }
        }
        if (index == 0) {
            return new String[] {input};
        }
        if (!matchLimited || list.size() < limit) {
            list.add(input.substring(index));
        }
        int resultSize = list.size();
        if (limit == 0) {
            while (resultSize > 0 && list.get(resultSize - 1).isEmpty()) {
                resultSize--;
            }
        }
        String[] result = new String[resultSize];
        for (int i = 0; i < resultSize; i++) {
            result[i] = list.get(i);
        }
        return result;
    }

    public static boolean matches(String regex, String input) {
        String lit = literal(regex);
        if (lit != null) {
            return lit.equals(input);
        }
        return Regex.compile(regex).matchesWhole(input);
    }

    /** Replacement strings use $n group references and backslash escapes, as Matcher. */
    public static String replace(String regex, String input, String replacement, boolean all) {
        Finder f = finder(regex);
        int[] r = new int[2];
        int from = 0;
        int last = 0;
        StringBuilder sb = null;
        while (from <= input.length() && f.find(input, from, r)) {
            if (sb == null) {
                sb = new StringBuilder(input.length() + 16);
            }
            sb.append(input, last, r[0]);
            appendReplacement(sb, replacement, input, f, r);
            last = r[1];
            from = r[1] == r[0] ? r[1] + 1 : r[1];
            if (!all) {
                break;
            }
        }
        if (sb == null) {
            // the JDK still validates the replacement only when there is a match
            return input;
        }
        sb.append(input, last, input.length());
        return sb.toString();
    }

    private static void appendReplacement(StringBuilder sb, String rep, String input, Finder f, int[] r) {
        int n = rep.length();
        for (int i = 0; i < n; i++) {
            char c = rep.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= n) {
                    throw new IllegalArgumentException("character to be escaped is missing");
                }
                sb.append(rep.charAt(i));
            } else if (c == '$') {
                i++;
                if (i >= n) {
                    throw new IllegalArgumentException("Illegal group reference: group index is missing");
                }
                char d = rep.charAt(i);
                if (d == '{') {
                    throw new UnsupportedOperationException("named groups are not supported");
                }
                if (d < '0' || d > '9') {
                    throw new IllegalArgumentException("Illegal group reference");
                }
                int groups = f instanceof Regex ? ((Regex) f).groupCount() : 0;
                int g = d - '0';
                if (g > groups) {
                    throw new IndexOutOfBoundsException("No group " + g);
                }
                // as Matcher: take more digits while the number stays a valid group
                while (i + 1 < n) {
                    char e = rep.charAt(i + 1);
                    if (e < '0' || e > '9') {
                        break;
                    }
                    int ng = g * 10 + (e - '0');
                    if (ng > groups) {
                        break;
                    }
                    g = ng;
                    i++;
                }
                if (g == 0) {
                    sb.append(input, r[0], r[1]);
                } else {
                    int[] gr = ((Regex) f).group(g);
                    if (gr != null) {
                        sb.append(input, gr[0], gr[1]);
                    }
                }
            } else {
                sb.append(c);
            }
        }
    }
}
