import java.util.*;

public class BankQueue {
    record Customer(int id, int arrival, int service) {}
    public static void main(String[] args) {
        Random r = new Random(5);
        Deque<Customer> queue = new ArrayDeque<>();
        int[] tellerFreeAt = new int[3];
        long totalWait = 0;
        int served = 0, maxQueue = 0, nextId = 0;
        for (int t = 0; t < 500; t++) {
            if (r.nextInt(10) < 4) queue.add(new Customer(nextId++, t, 2 + r.nextInt(9)));
            for (int k = 0; k < tellerFreeAt.length; k++) {
                if (tellerFreeAt[k] <= t && !queue.isEmpty()) {
                    Customer c = queue.poll();
                    totalWait += t - c.arrival();
                    tellerFreeAt[k] = t + c.service();
                    served++;
                }
            }
            maxQueue = Math.max(maxQueue, queue.size());
        }
        System.out.println("served " + served + " waiting " + queue.size() + " max queue " + maxQueue + " avg wait " + (double) totalWait / served);
    }
}
