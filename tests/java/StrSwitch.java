public class StrSwitch {
    static int classify(String s) {
        switch (s) {
            case "apple": return 1;
            case "banana": return 2;
            case "Aa": return 3;
            case "BB": return 4;
            case "": return 5;
            default: return -1;
        }
    }
    static String arrow(String s) {
        return switch (s) {
            case "one", "uno" -> "1";
            case "two" -> "2";
            default -> {
                String r = "?" + s.length();
                yield r;
            }
        };
    }
    public static void main(String[] args) {
        for (String s : new String[] {"apple", "banana", "Aa", "BB", "", "cherry", "AaAa"}) {
            System.out.println(s + " -> " + classify(s) + " " + arrow(s));
        }
        System.out.println(arrow("uno") + arrow("two"));
    }
}
