public class StrBuilder {
    public static void main(String[] args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append(i).append(',');
        }
        sb.setLength(sb.length() - 1);
        System.out.println(sb);
        sb.insert(0, "[").append(']');
        System.out.println(sb.toString());
        System.out.println(sb.reverse());
        StringBuilder t = new StringBuilder("hello");
        t.setCharAt(0, 'J');
        t.deleteCharAt(4).append("y").replace(1, 3, "EL");
        System.out.println(t + " " + t.length() + " " + t.indexOf("L") + " " + t.charAt(2));
        t.delete(0, 2);
        System.out.println(t);
        StringBuilder u = new StringBuilder();
        u.append(1.5f).append(' ').append(2.25).append(' ').append(true).append(' ').append((Object) null).append(' ').append(-9L).append(new char[] {'o', 'k'});
        System.out.println(u);
    }
}
