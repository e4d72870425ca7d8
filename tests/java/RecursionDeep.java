public class RecursionDeep {
    static long sumTo(int n) { return n == 0 ? 0 : n + sumTo(n - 1); }
    static int ackermann(int m, int n) {
        if (m == 0) return n + 1;
        if (n == 0) return ackermann(m - 1, 1);
        return ackermann(m - 1, ackermann(m, n - 1));
    }
    static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
    static void hanoi(int n, char from, char to, char via, StringBuilder moves) {
        if (n == 0) return;
        hanoi(n - 1, from, via, to, moves);
        moves.append(from).append(to).append(' ');
        hanoi(n - 1, via, to, from, moves);
    }
    public static void main(String[] args) {
        System.out.println(sumTo(3000));
        System.out.println(ackermann(2, 3) + " " + ackermann(3, 3));
        System.out.println(fib(24));
        StringBuilder sb = new StringBuilder();
        hanoi(4, 'A', 'C', 'B', sb);
        System.out.println(sb.toString().trim());
    }
}
