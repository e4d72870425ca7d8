import java.util.*;

public class AlgoDynamic {
    static int lcs(String a, String b) {
        int[][] dp = new int[a.length() + 1][b.length() + 1];
        for (int i = 1; i <= a.length(); i++)
            for (int j = 1; j <= b.length(); j++)
                dp[i][j] = a.charAt(i - 1) == b.charAt(j - 1) ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
        return dp[a.length()][b.length()];
    }
    static int knapsack(int[] w, int[] v, int cap) {
        int[] best = new int[cap + 1];
        for (int i = 0; i < w.length; i++) for (int c = cap; c >= w[i]; c--) best[c] = Math.max(best[c], best[c - w[i]] + v[i]);
        return best[cap];
    }
    static Map<Long, Long> memo = new HashMap<>();
    static long collatzLen(long n) {
        if (n == 1) return 1;
        Long m = memo.get(n);
        if (m != null) return m;
        long r = 1 + collatzLen(n % 2 == 0 ? n / 2 : 3 * n + 1);
        memo.put(n, r);
        return r;
    }
    static long editDistance(String s, String t) {
        int[] prev = new int[t.length() + 1], cur = new int[t.length() + 1];
        for (int j = 0; j <= t.length(); j++) prev[j] = j;
        for (int i = 1; i <= s.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= t.length(); j++) cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1));
            int[] tmp = prev; prev = cur; cur = tmp;
        }
        return prev[t.length()];
    }
    public static void main(String[] args) {
        System.out.println(lcs("AGGTABQWERTY", "GXTXAYBWRT") + " " + lcs("", "abc") + " " + lcs("abcdefghij", "acegi"));
        System.out.println(knapsack(new int[] {12, 7, 11, 8, 9}, new int[] {24, 13, 23, 15, 16}, 26));
        long best = 0, arg = 0;
        for (long i = 1; i < 30000; i++) { long l = collatzLen(i); if (l > best) { best = l; arg = i; } }
        System.out.println(arg + " " + best + " " + memo.size());
        System.out.println(editDistance("kitten", "sitting") + " " + editDistance("intention", "execution"));
    }
}
