package shadowtest;

import java.util.Locale;
import shadow.capuchin.internal.CharacterData;

/** Our generated Unicode tables against java.lang.Character, for every code point. */
public class CharacterTest {
    public static void main(String[] args) {
        Check c = new Check("Character");
        int step = Math.max(1, (int) (1 / Math.min(1.0, Check.n(1000) / 1000.0)));
        for (int cp = -1; cp <= Character.MAX_CODE_POINT + 1; cp += (cp < 0x30000 ? 1 : step)) {
            int info = CharacterData.info(cp);
            String what = Integer.toHexString(cp);
            c.eq("getType " + what, Character.getType(cp), CharacterData.getType(cp));
            c.eq("props " + what, flags(cp), info >>> 5);
            c.eq("toUpperCase " + what, Character.toUpperCase(cp), CharacterData.toUpperCase(cp));
            c.eq("toLowerCase " + what, Character.toLowerCase(cp), CharacterData.toLowerCase(cp));
            c.eq("toTitleCase " + what, Character.toTitleCase(cp), CharacterData.toTitleCase(cp));
            c.eq("digit " + what, Character.digit(cp, 36), CharacterData.digit36(cp));
            c.eq("numericValue " + what, Character.getNumericValue(cp), CharacterData.numericValue(cp));
            if (cp >= 0 && cp <= Character.MAX_CODE_POINT) {
                String s = new String(Character.toChars(cp));
                String up = s.toUpperCase(Locale.ROOT);
                char[] ex = CharacterData.toUpperCaseEx(cp);
                String ours = ex != null ? new String(ex) : new String(Character.toChars(CharacterData.toUpperCase(cp)));
                c.eq("String.toUpperCase " + what, up, ours);
            }
        }
        c.done();
    }

    static int flags(int cp) {
        int f = 0;
        if (Character.isUpperCase(cp)) f |= 1;
        if (Character.isLowerCase(cp)) f |= 2;
        if (Character.isAlphabetic(cp)) f |= 4;
        if (Character.isIdeographic(cp)) f |= 8;
        if (Character.isMirrored(cp)) f |= 16;
        if (Character.isJavaIdentifierStart(cp)) f |= 32;
        if (Character.isJavaIdentifierPart(cp)) f |= 64;
        if (Character.isIdentifierIgnorable(cp)) f |= 128;
        if (Character.isWhitespace(cp)) f |= 256;
        if (Character.isUnicodeIdentifierStart(cp)) f |= 512;
        if (Character.isUnicodeIdentifierPart(cp)) f |= 1024;
        if (Character.isSpaceChar(cp)) f |= 2048;
        return f;
    }
}
