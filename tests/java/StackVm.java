import java.util.*;

public class StackVm {
    interface Insn { void exec(Deque<Long> st, Map<String, Long> vars); }
    static List<Insn> compile(String src) {
        List<Insn> out = new ArrayList<>();
        for (String tok : src.trim().split(" ")) {
            switch (tok) {
                case "+" -> out.add((st, v) -> st.push(st.pop() + st.pop()));
                case "*" -> out.add((st, v) -> st.push(st.pop() * st.pop()));
                case "-" -> out.add((st, v) -> { long b = st.pop(), a = st.pop(); st.push(a - b); });
                case "dup" -> out.add((st, v) -> st.push(st.peek()));
                default -> {
                    if (tok.startsWith("=")) { String name = tok.substring(1); out.add((st, v) -> v.put(name, st.pop())); }
                    else if (tok.startsWith("$")) { String name = tok.substring(1); out.add((st, v) -> st.push(v.get(name))); }
                    else { long n = Long.parseLong(tok); out.add((st, v) -> st.push(n)); }
                }
            }
        }
        return out;
    }
    public static void main(String[] args) {
        String prog = "3 4 + dup * =x $x 2 - $x *";
        Deque<Long> st = new ArrayDeque<>();
        Map<String, Long> vars = new HashMap<>();
        for (Insn i : compile(prog)) i.exec(st, vars);
        System.out.println(st + " " + vars);
        long acc = 0;
        List<Insn> loop = compile("1 2 + 3 * =y $y $y *");
        for (int k = 0; k < 1000; k++) { Deque<Long> s = new ArrayDeque<>(); for (Insn i : loop) i.exec(s, vars); acc += s.pop(); }
        System.out.println(acc);
    }
}
