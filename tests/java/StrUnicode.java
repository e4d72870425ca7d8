public class StrUnicode {
    public static void main(String[] args) {
        String s = "naïve café — Ελληνικά 日本語 😀!";
        System.out.println(s.length() + " " + s.codePointCount(0, s.length()) + " " + s.indexOf("日") + " " + s.charAt(5));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) sb.append((int) s.charAt(i)).append(i + 1 < s.length() ? "," : "");
        System.out.println(sb);
        System.out.println(s.toUpperCase().length() + " " + "ÀÉÎÕÜ".toLowerCase() + " " + "àéîõü".toUpperCase() + " " + "straße".length());
        System.out.println(s.hashCode() + " " + "😀".hashCode() + " " + s.compareTo("naive") + " " + "é".compareTo("e"));
        System.out.println(new StringBuilder("ab😀cd").reverse());
        char[] cs = Character.toChars(0x1F680);
        System.out.println(cs.length + " " + (int) cs[0] + " " + (int) cs[1] + " " + new String(cs).codePointAt(0) + " " + Character.isHighSurrogate(cs[0]));
        System.out.println("a\tb\n".length() + " \\ \" ' \u0041");
    }
}
