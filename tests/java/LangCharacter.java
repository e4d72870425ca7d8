public class LangCharacter {
    public static void main(String[] args) {
        String s = "aZ09 _\t\n$éß€-";
        for (char c : s.toCharArray()) {
            System.out.println((int) c + " " + Character.isDigit(c) + Character.isLetter(c) + Character.isLetterOrDigit(c) + Character.isWhitespace(c)
                + Character.isUpperCase(c) + Character.isLowerCase(c) + " " + Character.toUpperCase(c) + Character.toLowerCase(c) + " " + Character.digit(c, 36) + " " + Character.isJavaIdentifierStart(c));
        }
        System.out.println(Character.forDigit(11, 16) + " " + Character.MAX_VALUE + 0 + " " + Character.toString(65) + " " + Character.isSurrogate('\ud83d') + " " + Character.toChars(0x1F600).length + " " + Character.isAlphabetic('q'));
    }
}
