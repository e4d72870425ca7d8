import java.util.*;

public class CollPriorityQueue {
    record Job(String name, int prio) {}
    public static void main(String[] args) {
        PriorityQueue<Integer> pq = new PriorityQueue<>();
        Random r = new Random(123);
        for (int i = 0; i < 30; i++) pq.add(r.nextInt(100));
        System.out.println(pq);
        StringBuilder sb = new StringBuilder();
        while (!pq.isEmpty()) sb.append(pq.poll()).append(' ');
        System.out.println(sb);
        PriorityQueue<Job> jobs = new PriorityQueue<>(Comparator.comparingInt(Job::prio).reversed());
        String[] names = {"a", "b", "c", "d", "e", "f", "g"};
        for (int i = 0; i < names.length; i++) jobs.offer(new Job(names[i], i % 3));
        System.out.println(jobs.peek() + " " + jobs.size() + " " + jobs);
        while (!jobs.isEmpty()) System.out.print(jobs.poll().name());
        System.out.println();
        PriorityQueue<String> ps = new PriorityQueue<>(List.of("m", "c", "x", "a"));
        ps.remove("c");
        System.out.println(ps + " " + ps.contains("x"));
    }
}
