import java.util.*;

public class CollListsDeques {
    public static void main(String[] args) {
        List<Integer> al = new ArrayList<>();
        for (int i = 0; i < 10; i++) al.add(i);
        al.add(3, 100);
        al.remove(Integer.valueOf(7));
        al.set(0, -1);
        System.out.println(al + " " + al.indexOf(100) + " " + al.contains(9) + " " + al.subList(2, 5));
        Iterator<Integer> it = al.iterator();
        while (it.hasNext()) if (it.next() % 2 == 0) it.remove();
        System.out.println(al);
        ListIterator<Integer> li = al.listIterator();
        while (li.hasNext()) { int v = li.next(); li.set(v * 10); if (v == 3) li.add(33); }
        System.out.println(al);
        LinkedList<String> ll = new LinkedList<>();
        ll.add("b");
        ll.addFirst("a");
        ll.addLast("c");
        ll.add(1, "x");
        System.out.println(ll + " " + ll.getFirst() + ll.getLast() + " " + ll.removeFirst() + " " + ll.pollLast() + " " + ll);
        ArrayDeque<Integer> dq = new ArrayDeque<>();
        for (int i = 0; i < 20; i++) { if (i % 2 == 0) dq.offerFirst(i); else dq.offerLast(i); }
        System.out.println(dq + " " + dq.peekFirst() + " " + dq.pollLast() + " " + dq.size());
        Deque<Character> stack = new ArrayDeque<>();
        String expr = "{[()()]}";
        boolean ok = true;
        for (char ch : expr.toCharArray()) {
            if ("([{".indexOf(ch) >= 0) stack.push(ch);
            else { char open = stack.pop(); ok &= "([{".indexOf(open) == ")]}".indexOf(ch); }
        }
        System.out.println("balanced " + (ok && stack.isEmpty()));
        List<String> fixed = Arrays.asList("q", "w", "e");
        Collections.reverse(fixed);
        System.out.println(fixed + " " + Collections.max(fixed) + " " + Collections.min(fixed) + " " + Collections.nCopies(3, "ab"));
        try {
            fixed.add("r");
        } catch (UnsupportedOperationException e) {
            System.out.println("fixed-size");
        }
        List<Integer> un = Collections.unmodifiableList(new ArrayList<>(List.of(1, 2)));
        try { un.add(3); } catch (UnsupportedOperationException e) { System.out.println("unmodifiable"); }
        System.out.println(List.of(1, 2, 3).equals(Arrays.asList(1, 2, 3)) + " " + new ArrayList<>(List.of(1, 2)).hashCode() + " " + Collections.emptyList());
        try { new ArrayList<Integer>().get(0); } catch (IndexOutOfBoundsException e) { System.out.println(e.getMessage()); }
    }
}
