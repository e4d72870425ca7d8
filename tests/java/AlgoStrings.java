import java.util.*;

public class AlgoStrings {
    static String caesar(String s, int k) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (Character.isUpperCase(c)) sb.append((char) ('A' + (c - 'A' + k + 26) % 26));
            else if (Character.isLowerCase(c)) sb.append((char) ('a' + (c - 'a' + k + 26) % 26));
            else sb.append(c);
        }
        return sb.toString();
    }
    static final char[] B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    static String base64(byte[] in) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < in.length; i += 3) {
            int b = (in[i] & 0xff) << 16 | (i + 1 < in.length ? (in[i + 1] & 0xff) << 8 : 0) | (i + 2 < in.length ? in[i + 2] & 0xff : 0);
            sb.append(B64[b >> 18 & 63]).append(B64[b >> 12 & 63]).append(i + 1 < in.length ? B64[b >> 6 & 63] : '=').append(i + 2 < in.length ? B64[b & 63] : '=');
        }
        return sb.toString();
    }
    static int crc32(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte b : data) {
            crc ^= b & 0xff;
            for (int k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xEDB88320 & -(crc & 1));
        }
        return ~crc;
    }
    static boolean palindrome(String s) {
        StringBuilder letters = new StringBuilder();
        for (char c : s.toCharArray()) if (c < 128 && Character.isLetter(c)) letters.append(c);
        String t = letters.toString().toLowerCase();
        return new StringBuilder(t).reverse().toString().equals(t);
    }
    public static void main(String[] args) {
        String text = "The Quick Brown Fox Jumps Over The Lazy Dog, 1234!";
        System.out.println(caesar(text, 3) + " | " + caesar(caesar(text, 3), -3).equals(text));
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) text.charAt(i);
        System.out.println(base64(bytes) + " " + base64(new byte[] {1}) + " " + base64(new byte[] {1, 2}));
        System.out.println(Integer.toHexString(crc32(bytes)) + " " + Integer.toHexString(crc32(new byte[0])));
        Map<Character, Integer> freq = new TreeMap<>();
        for (char c : text.toLowerCase().toCharArray()) if (Character.isLetter(c)) freq.merge(c, 1, Integer::sum);
        System.out.println(freq);
        List<String> wl = new ArrayList<>();
        for (String part : text.split(" ")) {
            String wd = part.endsWith(",") || part.endsWith("!") ? part.substring(0, part.length() - 1) : part;
            if (!wd.isEmpty()) wl.add(wd);
        }
        String[] words = wl.toArray(new String[0]);
        System.out.println(words.length + " " + String.join("_", words));
        System.out.println(palindrome("A man, a plan, a canal: Panama") + " " + palindrome("not one"));
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 2000; i++) big.append(i % 10);
        System.out.println(big.length() + " " + big.toString().hashCode() + " " + big.indexOf("789012") + " " + big.lastIndexOf("0123"));
    }
}
