package shadowtest;

import java.util.SplittableRandom;
import shadow.capuchin.internal.StringSplit;

/** String.split / matches / replaceAll / replaceFirst: our regex subset against java.util.regex. */
public class RegexTest {
    static final String[] PATTERNS = {
        ",", " ", "\\s+", "\\s*,\\s*", "[,;]", "a", "ab", "", "\\.", "\\|", "x*", "a|b", "(a)(b)?", "[^a-c]+", "\\d+",
        "\\W+", "\\b", "(?:ab)+", "a+?", "a{2}", "a{1,3}", "[a-z&&[^aeiou]]+", "^a", "b$", "\\p{Upper}", "\\p{Punct}",
        "(\\w)\\1", ".", ".*", "\\t", "[\\s\\d]", "a(?=b)", "a(?!b)", "(a|ab)(c|bcd)(d*)", "[-.]", "\\Q.*\\E", "[]a]",
        "\\S+?", "(x+x+)+y", "[a-c]{2,}+", "\\\\", "\\$", "(a*)*b", "\\babc\\b", "(?i)a", "\\u0041", "[^\\d\\s]",
        "(\\d+)-(\\d+)", "\\\\\\d", "\\s*=\\s*", "[aeiou]", "^\\s+|\\s+$", "(a|b)*c", "a*?b", "(ab)*?a",
        "([a-z]+)(\\d*)", "[A-Z][a-z]*", "\\p{Alpha}+", "(?i)[a-c]+", "\\w+@\\w+\\.com", "(a|ab)*c", "x?+y", "(\\s|,)+"
    };
    static final String[] REPLACEMENTS = {"", "-", "<$0>", "$1", "\\$", "[$2$1]", "\\\\"};

    public static void main(String[] args) {
        Check c = new Check("Regex");
        SplittableRandom rnd = new SplittableRandom(5);
        int n = Check.n(400);
        String alphabet = "aabbc d,;.|1234\t-xyABC\\$";
        for (String p : PATTERNS) {
            for (int i = 0; i < n; i++) {
                int len = rnd.nextInt(i < 20 ? 4 : 16);
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < len; k++) {
                    sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
                String s = sb.toString();
                int limit = rnd.nextInt(5) - 1;
                c.eq("split(\"" + s + "\", \"" + p + "\", " + limit + ")",
                        Check.outcome(() -> java.util.Arrays.toString(s.split(p, limit))),
                        Check.outcome(() -> java.util.Arrays.toString(StringSplit.split(s, p, limit))));
                c.eq("matches(\"" + s + "\", \"" + p + "\")", Check.outcome(() -> s.matches(p)),
                        Check.outcome(() -> StringSplit.matches(p, s)));
                String r = REPLACEMENTS[rnd.nextInt(REPLACEMENTS.length)];
                c.eq("replaceAll(\"" + s + "\", \"" + p + "\", \"" + r + "\")", Check.outcome(() -> s.replaceAll(p, r)),
                        Check.outcome(() -> StringSplit.replace(p, s, r, true)));
                c.eq("replaceFirst(\"" + s + "\", \"" + p + "\", \"" + r + "\")", Check.outcome(() -> s.replaceFirst(p, r)),
                        Check.outcome(() -> StringSplit.replace(p, s, r, false)));
            }
        }
        c.done();
    }
}
