package capuchin.internal;

/**
 * A small backtracking regular-expression engine for String.split/matches/replaceAll,
 * following java.util.regex semantics for what it supports: literals and escapes, . ^ $
 * \A \z \Z \b \B, classes [...] with ranges, negation, nesting and &&, \d \D \s \S \w \W,
 * \p{...} for the POSIX and common Unicode classes, groups (capturing, (?:...), (?=...),
 * (?!...)), alternation, greedy, lazy and possessive quantifiers, and back references
 * \1..\9, and the inline flag (?i) (ASCII case-insensitive). Other flags, named groups and
 * lookbehind are not supported (UnsupportedOperationException).
 * Matching is leftmost, with Java's alternation and quantifier priorities, so the matches
 * found are the ones java.util.regex finds.
 */
public final class Regex implements StringSplit.Finder {
    private final String pattern;
    private int pos;
    private int groupCount;
    private int loopCount;
    private final Node root;
    /** (?i): ASCII case-insensitive matching (CASE_INSENSITIVE without UNICODE_CASE). */
    private boolean ci;

    // match state
    private String input;
    private int[] groups;
    private int[] loopCounts;
    private int[] loopStarts;
    private int matchEnd;

    private Regex(String pattern) {
        this.pattern = pattern;
        Node start = parseAlternation(new Accept());
        if (pos < pattern.length()) {
            throw error(pattern.charAt(pos) == ')' ? "Unmatched closing ')'" : "Unexpected character");
        }
        root = start;
    }

    public static Regex compile(String regex) {
        return new Regex(regex);
    }

    public int groupCount() {
        return groupCount;
    }

    /** {start, end} of group g in the last match, or null if it did not participate. */
    int[] group(int g) {
        if (groups[2 * g] < 0) {
            return null;
        }
        return new int[] {groups[2 * g], groups[2 * g + 1]};
    }

    private IllegalArgumentException error(String msg) {
        // java.util.regex.PatternSyntaxException is an IllegalArgumentException
        return new IllegalArgumentException(msg + " near index " + pos + "\n" + pattern);
    }

    private void reset(String in) {
        input = in;
        groups = new int[2 * (groupCount + 1)];
        pendingStarts = new int[groupCount + 1];
        loopCounts = new int[loopCount];
        loopStarts = new int[loopCount];
    }

    private boolean tryAt(int i) {
        for (int g = 0; g < groups.length; g++) {
            groups[g] = -1;
        }
        return root.match(this, i);
    }

    @Override
    public boolean find(String in, int from, int[] range) {
        reset(in);
        for (int i = from; i <= in.length(); i++) {
            if (tryAt(i)) {
                range[0] = i;
                range[1] = matchEnd;
                groups[0] = i;
                groups[1] = matchEnd;
                return true;
            }
        }
        return false;
    }

    public boolean matchesWhole(String in) {
        reset(in);
        for (int g = 0; g < groups.length; g++) {
            groups[g] = -1;
        }
        // Accept then also requires the end of input
        requireEnd = true;
        try {
            return root.match(this, 0);
        } finally {
            requireEnd = false;
        }
    }

    private boolean requireEnd;

    // ---------------------------------------------------------------- nodes

    abstract static class Node {
        Node next;

        abstract boolean match(Regex m, int i);
    }

    static final class Accept extends Node {
        boolean match(Regex m, int i) {
            if (m.requireEnd && i != m.input.length()) {
                return false;
            }
            m.matchEnd = i;
            return true;
        }
    }

    /** A single character test. */
    abstract static class CharNode extends Node {
        abstract boolean is(int ch);

        boolean match(Regex m, int i) {
            String s = m.input;
            if (i < s.length()) {
                int ch = s.codePointAt(i);
                if (is(ch)) {
                    return next.match(m, i + Character.charCount(ch));
                }
            }
            return false;
        }
    }

    static final class Single extends CharNode {
        final int c;
        final boolean ci;

        Single(int c, boolean ci) {
            this.c = ci ? foldAscii(c) : c;
            this.ci = ci;
        }

        boolean is(int ch) {
            return (ci ? foldAscii(ch) : ch) == c;
        }
    }

    static int upperAscii(int ch) {
        return (ch >= 'a' && ch <= 'z') ? ch - 32 : ch;
    }

    static int foldAscii(int ch) {
        return (ch >= 'A' && ch <= 'Z') ? ch + 32 : ch;
    }

    interface CharPredicate {
        boolean is(int ch);
    }

    static final class ClassNode extends CharNode {
        final CharPredicate p;

        ClassNode(CharPredicate p) {
            this.p = p;
        }

        boolean is(int ch) {
            return p.is(ch);
        }
    }

    static boolean isLineTerminator(int ch) {
        return ch == '\n' || ch == '\r' || ch == '\u0085' || (ch | 1) == '\u2029';
    }

    static final class Begin extends Node {
        boolean match(Regex m, int i) {
            return i == 0 && next.match(m, i);
        }
    }

    /** $ without MULTILINE: end of input, or before a final line terminator. */
    static final class Dollar extends Node {
        boolean match(Regex m, int i) {
            String s = m.input;
            int n = s.length();
            if (i == n) {
                return next.match(m, i);
            }
            if (i == n - 1 && isLineTerminator(s.charAt(i))) {
                if (s.charAt(i) == '\n' && i > 0 && s.charAt(i - 1) == '\r') {
                    return false;
                }
                return next.match(m, i);
            }
            if (i == n - 2 && s.charAt(i) == '\r' && s.charAt(i + 1) == '\n') {
                return next.match(m, i);
            }
            return false;
        }
    }

    static final class EndOfInput extends Node {
        boolean match(Regex m, int i) {
            return i == m.input.length() && next.match(m, i);
        }
    }

    static boolean isWord(int ch) {
        return ch == '_' || Character.isLetterOrDigit(ch);
    }

    static final class Bound extends Node {
        final boolean want;

        Bound(boolean want) {
            this.want = want;
        }

        boolean match(Regex m, int i) {
            String s = m.input;
            boolean left = i > 0 && isWord(s.codePointBefore(i));
            boolean right = i < s.length() && isWord(s.codePointAt(i));
            return ((left ^ right) == want) && next.match(m, i);
        }
    }

    static final class GroupHead extends Node {
        final int g;

        GroupHead(int g) {
            this.g = g;
        }

        boolean match(Regex m, int i) {
            int save = m.groups[2 * g];
            int saveEnd = m.groups[2 * g + 1];
            m.groups[2 * g] = i;
            m.groups[2 * g + 1] = -1;
            // the start is provisional: GroupTail publishes it with the end
            int savePending = m.pendingStarts[g];
            m.pendingStarts[g] = i;
            if (next.match(m, i)) {
                return true;
            }
            m.pendingStarts[g] = savePending;
            m.groups[2 * g] = save;
            m.groups[2 * g + 1] = saveEnd;
            return false;
        }
    }

    private int[] pendingStarts;

    static final class GroupTail extends Node {
        final int g;

        GroupTail(int g) {
            this.g = g;
        }

        boolean match(Regex m, int i) {
            int saveStart = m.groups[2 * g];
            int saveEnd = m.groups[2 * g + 1];
            m.groups[2 * g] = m.pendingStarts[g];
            m.groups[2 * g + 1] = i;
            if (next.match(m, i)) {
                return true;
            }
            m.groups[2 * g] = saveStart;
            m.groups[2 * g + 1] = saveEnd;
            return false;
        }
    }

    static final class BackRef extends Node {
        final int g;

        BackRef(int g) {
            this.g = g;
        }

        boolean match(Regex m, int i) {
            int s = m.groups[2 * g];
            int e = m.groups[2 * g + 1];
            if (s < 0 || e < 0) {
                return false;
            }
            int len = e - s;
            if (i + len > m.input.length() || !m.input.regionMatches(i, m.input, s, len)) {
                return false;
            }
            return next.match(m, i + len);
        }
    }

    /** Alternatives, tried in order; each alternative's chain ends in {@code next}. */
    static final class Branch extends Node {
        final Node[] alts;

        Branch(Node[] alts) {
            this.alts = alts;
        }

        boolean match(Regex m, int i) {
            for (Node a : alts) {
                if (a.match(m, i)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Lookahead: the body chain ends in an Accept-like node that only reports success. */
    static final class Look extends Node {
        final Node body;
        final boolean negative;

        Look(Node body, boolean negative) {
            this.body = body;
            this.negative = negative;
        }

        boolean match(Regex m, int i) {
            int[] save = m.groups.clone();
            boolean saveReq = m.requireEnd;
            m.requireEnd = false;
            int saveEnd = m.matchEnd;
            boolean found = body.match(m, i);
            m.requireEnd = saveReq;
            m.matchEnd = saveEnd;
            if (negative) {
                m.groups = save;
                return !found && next.match(m, i);
            }
            if (!found) {
                m.groups = save;
                return false;
            }
            if (next.match(m, i)) {
                return true;
            }
            m.groups = save;
            return false;
        }
    }

    static final class LookEnd extends Node {
        boolean match(Regex m, int i) {
            return true;
        }
    }

    static final int GREEDY = 0;
    static final int LAZY = 1;
    static final int POSSESSIVE = 2;

    /** A quantified single-character node: counts matches directly (java.util.regex's Curly). */
    static final class CharLoop extends Node {
        final CharNode atom;
        final int min;
        final int max;
        final int type;

        CharLoop(CharNode atom, int min, int max, int type) {
            this.atom = atom;
            this.min = min;
            this.max = max;
            this.type = type;
        }

        private int step(Regex m, int i) {
            String s = m.input;
            if (i < s.length()) {
                int ch = s.codePointAt(i);
                if (atom.is(ch)) {
                    return i + Character.charCount(ch);
                }
            }
            return -1;
        }

        boolean match(Regex m, int i) {
            int count = 0;
            while (count < min) {
                int j = step(m, i);
                if (j < 0) {
                    return false;
                }
                i = j;
                count++;
            }
            if (type == LAZY) {
                while (true) {
                    if (next.match(m, i)) {
                        return true;
                    }
                    if (count >= max) {
                        return false;
                    }
                    int j = step(m, i);
                    if (j < 0) {
                        return false;
                    }
                    i = j;
                    count++;
                }
            }
            int[] positions = new int[8];
            int n = 0;
            positions[n++] = i;
            while (count < max) {
                int j = step(m, i);
                if (j < 0) {
                    break;
                }
                i = j;
                count++;
                if (n == positions.length) {
                    int[] p = new int[n * 2];
                    System.arraycopy(positions, 0, p, 0, n);
                    positions = p;
                }
                positions[n++] = i;
            }
            if (type == POSSESSIVE) {
                return next.match(m, i);
            }
            for (int k = n - 1; k >= 0; k--) {
                if (next.match(m, positions[k])) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A quantified sub-expression: the body chain ends in LoopTail, which comes back here.
     * Iterations that match the empty string do not repeat (as java.util.regex's Loop).
     */
    static final class Loop extends Node {
        Node body;
        final int id;
        final int min;
        final int max;
        final int type;

        Loop(int id, int min, int max, int type) {
            this.id = id;
            this.min = min;
            this.max = max;
            this.type = type;
        }

        /** Entering the loop: java.util.regex's Prolog / Loop.matchInit. */
        boolean match(Regex m, int i) {
            int saveCount = m.loopCounts[id];
            int saveStart = m.loopStarts[id];
            boolean r;
            if (type == POSSESSIVE) {
                r = possessive(m, i);
            } else if (type == GREEDY) {
                if (0 < min) {
                    r = start(m, i);
                } else if (0 < max) {
                    r = start(m, i) || next.match(m, i);
                } else {
                    r = next.match(m, i);
                }
            } else {
                if (0 < min) {
                    r = start(m, i);
                } else if (next.match(m, i)) {
                    r = true;
                } else {
                    r = 0 < max && start(m, i);
                }
            }
            m.loopCounts[id] = saveCount;
            m.loopStarts[id] = saveStart;
            return r;
        }

        private boolean start(Regex m, int i) {
            m.loopCounts[id] = 1;
            m.loopStarts[id] = i;
            return body.match(m, i);
        }

        private boolean possessive(Regex m, int i) {
            // consume greedily as far as possible without backtracking into the body
            int count = 0;
            while (count < max) {
                boolean saveReq = m.requireEnd;
                m.requireEnd = false;
                Node saveNext = tailNext;
                tailNext = null;
                m.loopCounts[id] = count;
                m.loopStarts[id] = i;
                int saveEnd = m.matchEnd;
                boolean ok = body.match(m, i);
                int end = m.matchEnd;
                m.matchEnd = saveEnd;
                tailNext = saveNext;
                m.requireEnd = saveReq;
                if (!ok || end == i) {
                    break;
                }
                i = end;
                count++;
            }
            return count >= min && next.match(m, i);
        }

        /** Set while running a possessive iteration: LoopTail then stops and reports. */
        Node tailNext = this;

        /** Another iteration with count + 1 starting at i; undone if the rest fails. */
        private boolean again(Regex m, int i, int count, int start) {
            m.loopCounts[id] = count + 1;
            m.loopStarts[id] = i;
            if (body.match(m, i)) {
                return true;
            }
            m.loopCounts[id] = count;
            m.loopStarts[id] = start;
            return false;
        }

        /**
         * At the end of an iteration: java.util.regex's Loop.match / LazyLoop.match. An
         * iteration that matched nothing ends the repetition, even below the minimum.
         */
        boolean tail(Regex m, int i) {
            if (tailNext == null) {
                m.matchEnd = i;
                return true;
            }
            int start = m.loopStarts[id];
            if (i > start) {
                int count = m.loopCounts[id];
                if (count < min) {
                    return again(m, i, count, start);
                }
                if (type == LAZY) {
                    if (next.match(m, i)) {
                        return true;
                    }
                    return count < max && again(m, i, count, start);
                }
                if (count < max && again(m, i, count, start)) {
                    return true;
                }
            }
            return next.match(m, i);
        }
    }

    static final class LoopTail extends Node {
        final Loop loop;

        LoopTail(Loop loop) {
            this.loop = loop;
        }

        boolean match(Regex m, int i) {
            return loop.tail(m, i);
        }
    }

    // ---------------------------------------------------------------- parser

    private boolean more() {
        return pos < pattern.length();
    }

    private char peek() {
        return pattern.charAt(pos);
    }

    /** Parses alternatives up to ')' or the end; every alternative continues with {@code tail}. */
    private Node parseAlternation(Node tail) {
        java.util.ArrayList<Node> alts = new java.util.ArrayList<>();
        alts.add(parseSequence(tail));
        while (more() && peek() == '|') {
            pos++;
            alts.add(parseSequence(tail));
        }
        if (alts.size() == 1) {
            return alts.get(0);
        }
        Branch b = new Branch(alts.toArray(new Node[0]));
        b.next = tail;
        return b;
    }

    /** A sequence of quantified atoms, built back to front onto {@code tail}. */
    private Node parseSequence(Node tail) {
        java.util.ArrayList<Object[]> items = new java.util.ArrayList<>();
        while (more() && peek() != '|' && peek() != ')') {
            items.add(parseQuantified());
        }
        Node next = tail;
        for (int k = items.size() - 1; k >= 0; k--) {
            next = ((Builder) items.get(k)[0]).build(next);
        }
        return next;
    }

    /** Builds an atom's node chain in front of a given continuation. */
    interface Builder {
        Node build(Node next);
    }

    private Object[] parseQuantified() {
        Builder atom = parseAtom();
        if (!more()) {
            return new Object[] {atom};
        }
        char c = peek();
        int min;
        int max;
        if (c == '*') {
            min = 0;
            max = Integer.MAX_VALUE;
            pos++;
        } else if (c == '+') {
            min = 1;
            max = Integer.MAX_VALUE;
            pos++;
        } else if (c == '?') {
            min = 0;
            max = 1;
            pos++;
        } else if (c == '{' && pos + 1 < pattern.length() && Character.isDigit(pattern.charAt(pos + 1))) {
            pos++;
            min = parseInt();
            max = min;
            if (more() && peek() == ',') {
                pos++;
                max = (more() && peek() == '}') ? Integer.MAX_VALUE : parseInt();
            }
            if (!more() || peek() != '}') {
                throw error("Unclosed counted closure");
            }
            pos++;
            if (max < min) {
                throw error("Illegal repetition range");
            }
        } else {
            return new Object[] {atom};
        }
        int type = GREEDY;
        if (more() && peek() == '?') {
            type = LAZY;
            pos++;
        } else if (more() && peek() == '+') {
            type = POSSESSIVE;
            pos++;
        }
        final int fmin = min;
        final int fmax = max;
        final int ftype = type;
        final int id = loopCount++;
        Builder quantified = next -> {
            // a single-character atom (not a sequence that merely starts with one) loops cheaply
            Node sentinel = new LookEnd();
            Node probe = atom.build(sentinel);
            if (probe instanceof CharNode && probe.next == sentinel) {
                CharLoop cl = new CharLoop((CharNode) probe, fmin, fmax, ftype);
                cl.next = next;
                return cl;
            }
            Loop loop = new Loop(id, fmin, fmax, ftype);
            loop.next = next;
            LoopTail lt = new LoopTail(loop);
            loop.body = atom.build(lt);
            return loop;
        };
        return new Object[] {quantified};
    }

    private int parseInt() {
        int start = pos;
        while (more() && Character.isDigit(peek())) {
            pos++;
        }
        if (start == pos) {
            throw error("Illegal repetition");
        }
        return Integer.parseInt(pattern.substring(start, pos));
    }

    private Builder parseAtom() {
        char c = peek();
        switch (c) {
            case '(':
                return parseGroup();
            case '[': {
                pos++;
                CharPredicate raw = parseClass();
                CharPredicate p = ci ? (ch -> raw.is(ch) || raw.is(foldAscii(ch)) || raw.is(upperAscii(ch))) : raw;
                return next -> node(new ClassNode(p), next);
            }
            case '.':
                pos++;
                return next -> node(new ClassNode(ch -> !isLineTerminator(ch)), next);
            case '^':
                pos++;
                return next -> node(new Begin(), next);
            case '$':
                pos++;
                return next -> node(new Dollar(), next);
            case '\\':
                return parseEscape();
            case '*': case '+': case '?':
                throw error("Dangling meta character '" + c + "'");
            case '{':
                throw error("Illegal repetition");
            default: {
                int cp = pattern.codePointAt(pos);
                pos += Character.charCount(cp);
                boolean fci = ci;
                return next -> node(new Single(cp, fci), next);
            }
        }
    }

    private static Node node(Node n, Node next) {
        n.next = next;
        return n;
    }

    private Builder parseGroup() {
        pos++; // '('
        int kind = 0; // 0 capturing, 1 non-capturing, 2 lookahead, 3 negative lookahead
        if (more() && peek() == '?') {
            pos++;
            if (!more()) {
                throw error("Unknown group type");
            }
            char t = peek();
            if (t == 'i' || t == '-') {
                // inline flags (?i) / (?-i): they hold to the end of the enclosing group
                boolean on = true;
                while (more() && peek() != ')') {
                    char f = peek();
                    if (f == '-') {
                        on = false;
                    } else if (f == 'i') {
                        ci = on;
                    } else {
                        throw new UnsupportedOperationException("regex flag " + f + " is not supported: " + pattern);
                    }
                    pos++;
                }
                if (!more()) {
                    throw error("Unknown inline modifier");
                }
                pos++;
                return next -> next;
            }
            pos++;
            if (t == ':') {
                kind = 1;
            } else if (t == '=') {
                kind = 2;
            } else if (t == '!') {
                kind = 3;
            } else {
                throw new UnsupportedOperationException("regex group construct (?" + t + " is not supported: " + pattern);
            }
        }
        final int g = kind == 0 ? ++groupCount : 0;
        int start = pos;
        counters.put(start, new int[] {groupCount, loopCount});
        final boolean groupCi = ci;
        // parse once to find the extent; build lazily per use (a quantifier may build twice)
        parseAlternation(new Accept());
        ci = groupCi;
        if (!more() || peek() != ')') {
            throw error("Unclosed group");
        }
        int end = pos;
        pos++;
        final int subStart = start;
        final int fkind = kind;
        final int groupBase = g;
        return next -> {
            int savePos = pos;
            int saveGroups = groupCount;
            int saveLoops = loopCount;
            pos = subStart;
            // groups and loops inside keep the numbers they got in the first pass
            groupCount = groupBaseFor(subStart);
            boolean saveCi = ci;
            ci = groupCi;
            loopCount = loopBaseFor(subStart);
            Node result;
            if (fkind == 0) {
                GroupTail tail = new GroupTail(groupBase);
                tail.next = next;
                Node body = parseAlternation(tail);
                GroupHead head = new GroupHead(groupBase);
                head.next = body;
                result = head;
            } else if (fkind == 1) {
                result = parseAlternation(next);
            } else {
                Node body = parseAlternation(new LookEnd());
                Look look = new Look(body, fkind == 3);
                look.next = next;
                result = look;
            }
            pos = savePos;
            groupCount = saveGroups;
            loopCount = saveLoops;
            ci = saveCi;
            return result;
        };
    }

    // First-pass numbering: the group and loop counters as they were at each '(' position.
    private final java.util.HashMap<Integer, int[]> counters = new java.util.HashMap<>();

    private int groupBaseFor(int subStart) {
        return counters.get(subStart)[0];
    }

    private int loopBaseFor(int subStart) {
        return counters.get(subStart)[1];
    }

    private Builder parseEscape() {
        pos++; // '\\'
        if (!more()) {
            throw error("Unexpected internal error");
        }
        char c = peek();
        pos++;
        switch (c) {
            case 'd': return cls(ch -> ch >= '0' && ch <= '9');
            case 'D': return cls(ch -> !(ch >= '0' && ch <= '9'));
            case 's': return cls(Regex::isSpace);
            case 'S': return cls(ch -> !isSpace(ch));
            case 'w': return cls(Regex::isAsciiWord);
            case 'W': return cls(ch -> !isAsciiWord(ch));
            case 'b': return next -> node(new Bound(true), next);
            case 'B': return next -> node(new Bound(false), next);
            case 'A': return next -> node(new Begin(), next);
            case 'z': return next -> node(new EndOfInput(), next);
            case 'Z': return next -> node(new Dollar(), next);
            case 'p': case 'P': {
                CharPredicate p = parseProperty(c == 'P');
                return cls(p);
            }
            case 'Q': {
                int end = pattern.indexOf("\\E", pos);
                String lit = end < 0 ? pattern.substring(pos) : pattern.substring(pos, end);
                pos = end < 0 ? pattern.length() : end + 2;
                return next -> {
                    Node n = next;
                    for (int k = lit.length() - 1; k >= 0; k--) {
                        n = node(new Single(lit.charAt(k), false), n);
                    }
                    return n;
                };
            }
            default:
                if (c >= '1' && c <= '9') {
                    int g = c - '0';
                    return next -> node(new BackRef(g), next);
                }
                pos--;
                int cp = escapedChar();
                boolean fci = ci;
                return next -> node(new Single(cp, fci), next);
        }
    }

    private Builder cls(CharPredicate p) {
        return next -> node(new ClassNode(p), next);
    }

    static boolean isSpace(int ch) {
        return ch == ' ' || ch == '\t' || ch == '\n' || ch == 0x0B || ch == '\f' || ch == '\r';
    }

    static boolean isAsciiWord(int ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
    }

    /** The character of an escape after '\\' (pos at the char after the backslash). */
    private int escapedChar() {
        char c = peek();
        pos++;
        switch (c) {
            case 't': return '\t';
            case 'n': return '\n';
            case 'r': return '\r';
            case 'f': return '\f';
            case 'a': return '\u0007';
            case 'e': return '\u001B';
            case '0': {
                int v = 0;
                int k = 0;
                while (k < 3 && more() && peek() >= '0' && peek() <= '7') {
                    v = v * 8 + (peek() - '0');
                    pos++;
                    k++;
                }
                if (k == 0) {
                    throw error("Illegal octal escape sequence");
                }
                return v;
            }
            case 'x': {
                if (more() && peek() == '{') {
                    int end = pattern.indexOf('}', pos);
                    int v = Integer.parseInt(pattern.substring(pos + 1, end), 16);
                    pos = end + 1;
                    return v;
                }
                int v = Integer.parseInt(pattern.substring(pos, pos + 2), 16);
                pos += 2;
                return v;
            }
            case 'u': {
                int v = Integer.parseInt(pattern.substring(pos, pos + 4), 16);
                pos += 4;
                return v;
            }
            case 'c':
                return pattern.charAt(pos++) ^ 64;
            default:
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    throw error("Illegal/unsupported escape sequence");
                }
                return c;
        }
    }

    private CharPredicate parseProperty(boolean negate) {
        String name;
        if (more() && peek() == '{') {
            int end = pattern.indexOf('}', pos);
            if (end < 0) {
                throw error("Unclosed character family");
            }
            name = pattern.substring(pos + 1, end);
            pos = end + 1;
        } else {
            name = String.valueOf(peek());
            pos++;
        }
        if (name.startsWith("^")) {
            negate = !negate;
            name = name.substring(1);
        }
        CharPredicate p = property(name);
        if (negate) {
            CharPredicate q = p;
            return ch -> !q.is(ch);
        }
        return p;
    }

    private CharPredicate property(String name) {
        switch (name) {
            case "Lower": return ch -> ch >= 'a' && ch <= 'z';
            case "Upper": return ch -> ch >= 'A' && ch <= 'Z';
            case "ASCII": return ch -> ch < 0x80;
            case "Alpha": return ch -> (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
            case "Digit": return ch -> ch >= '0' && ch <= '9';
            case "Alnum": return ch -> (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
            case "Punct": return ch -> ch < 0x80 && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(ch) >= 0;
            case "Graph": return ch -> ch > 0x20 && ch < 0x7F;
            case "Print": return ch -> ch >= 0x20 && ch < 0x7F;
            case "Blank": return ch -> ch == ' ' || ch == '\t';
            case "Cntrl": return ch -> ch < 0x20 || ch == 0x7F;
            case "XDigit": return ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
            case "Space": return Regex::isSpace;
            case "L": case "IsL": case "IsLetter": case "Letter": return Character::isLetter;
            case "Lu": case "IsLu": case "IsUppercase": return Character::isUpperCase;
            case "Ll": case "IsLl": case "IsLowercase": return Character::isLowerCase;
            case "N": case "IsN": return ch -> {
                int t = Character.getType(ch);
                return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
            };
            case "Nd": case "IsNd": case "IsDigit": return Character::isDigit;
            case "IsAlphabetic": return Character::isAlphabetic;
            case "IsWhite_Space": case "IsWhiteSpace": return ch -> Character.isWhitespace(ch) || Character.isSpaceChar(ch);
            case "P": case "IsP": case "IsPunctuation": return ch -> {
                int t = Character.getType(ch);
                return t >= Character.DASH_PUNCTUATION && t <= Character.OTHER_PUNCTUATION
                        || t == Character.INITIAL_QUOTE_PUNCTUATION || t == Character.FINAL_QUOTE_PUNCTUATION;
            };
            case "javaLowerCase": return Character::isLowerCase;
            case "javaUpperCase": return Character::isUpperCase;
            case "javaWhitespace": return Character::isWhitespace;
            case "javaLetter": return Character::isLetter;
            case "javaDigit": return Character::isDigit;
            case "javaLetterOrDigit": return Character::isLetterOrDigit;
            default:
                throw new UnsupportedOperationException("regex property \\p{" + name + "} is not supported");
        }
    }

    /** Parses a class after '['; pos ends after the closing ']'. */
    private CharPredicate parseClass() {
        boolean negate = false;
        if (more() && peek() == '^') {
            negate = true;
            pos++;
        }
        CharPredicate result = null;
        CharPredicate current = null;
        boolean first = true;
        while (true) {
            if (!more()) {
                throw error("Unclosed character class");
            }
            char c = peek();
            if (c == ']' && !first) {
                pos++;
                break;
            }
            first = false;
            if (c == '&' && pos + 1 < pattern.length() && pattern.charAt(pos + 1) == '&') {
                pos += 2;
                CharPredicate left = current == null ? (ch -> false) : current;
                CharPredicate right = parseClassOperand();
                CharPredicate both = ch -> left.is(ch) && right.is(ch);
                current = both;
                continue;
            }
            CharPredicate item = parseClassItem();
            if (current == null) {
                current = item;
            } else {
                CharPredicate a = current;
                current = ch -> a.is(ch) || item.is(ch);
            }
        }
        result = current == null ? (ch -> false) : current;
        if (negate) {
            CharPredicate r = result;
            return ch -> !r.is(ch);
        }
        return result;
    }

    /** The right side of &&: a union of items up to the next && or ']'. */
    private CharPredicate parseClassOperand() {
        CharPredicate current = null;
        while (more() && peek() != ']' && !(peek() == '&' && pos + 1 < pattern.length() && pattern.charAt(pos + 1) == '&')) {
            CharPredicate item = parseClassItem();
            if (current == null) {
                current = item;
            } else {
                CharPredicate a = current;
                current = ch -> a.is(ch) || item.is(ch);
            }
        }
        return current == null ? (ch -> true) : current;
    }

    private CharPredicate parseClassItem() {
        char c = peek();
        if (c == '[') {
            pos++;
            return parseClass();
        }
        int lo;
        if (c == '\\') {
            pos++;
            char e = peek();
            switch (e) {
                case 'd': pos++; return ch -> ch >= '0' && ch <= '9';
                case 'D': pos++; return ch -> !(ch >= '0' && ch <= '9');
                case 's': pos++; return Regex::isSpace;
                case 'S': pos++; return ch -> !isSpace(ch);
                case 'w': pos++; return Regex::isAsciiWord;
                case 'W': pos++; return ch -> !isAsciiWord(ch);
                case 'p': case 'P': pos++; return parseProperty(e == 'P');
                default:
                    lo = escapedChar();
            }
        } else {
            lo = pattern.codePointAt(pos);
            pos += Character.charCount(lo);
        }
        if (more() && peek() == '-' && pos + 1 < pattern.length() && pattern.charAt(pos + 1) != ']') {
            pos++;
            int hi;
            if (peek() == '\\') {
                pos++;
                hi = escapedChar();
            } else {
                hi = pattern.codePointAt(pos);
                pos += Character.charCount(hi);
            }
            if (hi < lo) {
                throw error("Illegal character range");
            }
            final int flo = lo;
            final int fhi = hi;
            return ch -> ch >= flo && ch <= fhi;
        }
        final int single = lo;
        return ch -> ch == single;
    }
}
