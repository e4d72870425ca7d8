public class StrBasics {
    public static void main(String[] args) {
        String s = "Hello, World";
        System.out.println(s.length() + " " + s.charAt(4) + " " + s.indexOf('o') + " " + s.lastIndexOf("o") + " " + s.indexOf("xyz"));
        System.out.println(s.substring(7) + "|" + s.substring(0, 5) + "|" + s.toUpperCase() + "|" + s.toLowerCase());
        System.out.println(s.startsWith("Hell") + " " + s.endsWith("ld") + " " + s.contains("lo, W") + " " + s.isEmpty());
        System.out.println(s.replace('l', 'L') + " " + s.replace("World", "There") + " " + "  pad  ".trim() + "|");
        System.out.println("a,b,,c".split(",").length + " " + String.join("-", "x", "y", "z"));
        System.out.println("abc".compareTo("abd") + " " + "b".compareTo("a") + " " + "apple".compareTo("app") + " " + "A".compareToIgnoreCase("a"));
        System.out.println("hello".hashCode() + " " + "".hashCode() + " " + "The quick brown fox".hashCode());
        System.out.println("abc".equals("abc") + " " + "abc".equals(new String("abc")) + " " + "ABC".equalsIgnoreCase("abc"));
        System.out.println("ab".repeat(3) + " " + "  x ".strip() + "|" + "   ".isBlank());
        System.out.println(String.valueOf(3.5) + String.valueOf(true) + String.valueOf('c') + String.valueOf(42L) + String.valueOf((Object) null));
        char[] cs = s.toCharArray();
        System.out.println(cs.length + " " + new String(cs, 7, 5) + " " + String.valueOf(cs, 0, 2));
        System.out.println("é ü ß ñ".length() + " " + "x😀y".length() + " " + "x😀y".codePointAt(1));
    }
}
