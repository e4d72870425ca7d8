public class LangControlFlow {
    public static void main(String[] args) {
        outer:
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                if (j == 3) continue outer;
                if (i == 3) break outer;
                System.out.print(i * 10 + j + " ");
            }
        }
        System.out.println();
        int n = 0;
        do { n += 3; } while (n < 20);
        System.out.println(n);
        int x = 17;
        String kind = x % 2 == 0 ? "even" : x % 3 == 0 ? "div3" : x > 10 ? "big odd" : "small odd";
        System.out.println(kind);
        for (int k = -2; k <= 12; k++) {
            String r;
            switch (k) {
                case 1: case 2: r = "low"; break;
                case 5: r = "five";
                case 6: r = "fallthrough"; break;
                case 10: r = "ten"; break;
                case -1: r = "neg"; break;
                default: r = "d";
            }
            System.out.print(r + " ");
        }
        System.out.println();
        int big = 1000000;
        switch (big) { case 1: System.out.println("one"); break; case 1000000: System.out.println("million"); break; case -5000: break; default: System.out.println("?"); }
        var list = new java.util.ArrayList<String>();
        for (var s : "a b c".split(" ")) list.add(s + s);
        System.out.println(list);
        String text = """
            Text block
              indented "quotes"
            end\
            """;
        System.out.println(text);
        char c = 'a';
        c += 2;
        c++;
        System.out.println(c + " " + (char) (c + 1) + " " + (c + 1) + " " + Character.toUpperCase(c));
        boolean t = true, f = false;
        System.out.println((t & f) + " " + (t | f) + " " + (t ^ t) + " " + (!t || f && t));
    }
}
