public class StrSwitchMany {
    static int code(String month) {
        return switch (month) {
            case "jan" -> 1; case "feb" -> 2; case "mar" -> 3; case "apr" -> 4; case "may" -> 5; case "jun" -> 6;
            case "jul" -> 7; case "aug" -> 8; case "sep" -> 9; case "oct" -> 10; case "nov" -> 11; case "dec" -> 12;
            case "AaAa", "BBBB", "AaBB", "BBAa" -> 100;
            default -> 0;
        };
    }
    public static void main(String[] args) {
        String[] in = {"jan", "dec", "jun", "xyz", "AaAa", "BBBB", "AaBB", "BBAa", "Aa", "", "JAN"};
        StringBuilder sb = new StringBuilder();
        for (String s : in) sb.append(s).append('=').append(code(s)).append(' ');
        System.out.println(sb.toString().trim());
        int total = 0;
        for (int i = 0; i < 12000; i++) total += code(in[i % in.length]);
        System.out.println(total);
    }
}
