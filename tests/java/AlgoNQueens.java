public class AlgoNQueens {
    static int solve(int n, int row, int cols, int d1, int d2) {
        if (row == n) return 1;
        int count = 0;
        int avail = ~(cols | d1 | d2) & ((1 << n) - 1);
        while (avail != 0) {
            int bit = avail & -avail;
            avail -= bit;
            count += solve(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
        }
        return count;
    }
    public static void main(String[] args) {
        for (int n = 1; n <= 10; n++) System.out.println(n + " queens: " + solve(n, 0, 0, 0, 0));
    }
}
