public class NumParse {
    public static void main(String[] args) {
        String[] ds = {"0", "-0.0", "1e10", "1.5E-3", "  42.5  ", "0x1.8p1", "Infinity", "-Infinity", "NaN", "1e400", "1e-400", "4.9e-324",
            "2.4703282292062327e-324", "2.4703282292062328e-324", "9007199254740993", "0.1", "3.14159265358979323846264338327950288", ".5", "5.", "1d", "2f", "+7"};
        for (String s : ds) System.out.println(s.trim() + " -> " + Double.parseDouble(s) + " / " + Float.parseFloat(s));
        for (String bad : new String[] {"", "abc", "1.2.3", "--1", "1e"}) {
            try {
                Double.parseDouble(bad);
                System.out.println("parsed " + bad);
            } catch (NumberFormatException e) {
                System.out.println("NFE for '" + bad + "'");
            }
        }
        System.out.println(Integer.parseInt("-2147483648") + " " + Integer.parseInt("7fffffff", 16) + " " + Integer.parseInt("+12") + " " + Long.parseLong("-9223372036854775808") + " " + Integer.valueOf("0777".substring(1), 8));
        for (String bad : new String[] {"2147483648", "", "-", "12a", " 1"}) {
            try {
                Integer.parseInt(bad);
            } catch (NumberFormatException e) {
                System.out.println(e.getMessage());
            }
        }
        System.out.println(Integer.toString(255, 2) + " " + Integer.toString(-255, 16) + " " + Long.toString(Long.MIN_VALUE, 36) + " " + Integer.parseUnsignedInt("4294967295") + " " + Integer.toUnsignedString(-1) + " " + Long.toUnsignedString(-1L));
        System.out.println(Short.parseShort("-32768") + " " + Byte.parseByte("7f", 16) + " " + Double.valueOf("1e2") + " " + Float.valueOf("1.1"));
    }
}
