public class GcChurn {
    static class Node {
        final int value;
        Node next;
        int[] payload;
        Node(int value, Node next) { this.value = value; this.next = next; this.payload = new int[value % 17]; }
    }
    public static void main(String[] args) {
        long checksum = 0;
        Node keep = null;
        for (int round = 0; round < 200; round++) {
            Node head = null;
            for (int i = 0; i < 2000; i++) head = new Node(i, head);
            for (Node n = head; n != null; n = n.next) checksum += n.value + n.payload.length;
            if (round % 50 == 0) keep = new Node(round, keep);
            String s = "";
            for (int i = 0; i < 20; i++) s = s + i;
            checksum += s.length();
        }
        int kept = 0;
        for (Node n = keep; n != null; n = n.next) kept++;
        System.out.println(checksum + " kept " + kept);
        long total = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[1024 + i];
            b[i % b.length] = (byte) i;
            total += b.length + b[i % b.length];
        }
        System.out.println(total);
    }
}
