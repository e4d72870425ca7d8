public class StrFormat {
    public static void main(String[] args) {
        System.out.println(String.format("%d|%5d|%-5d|%05d|%+d|%,d|%x|%X|%o|%08X", 42, 42, 42, 42, 42, 1234567, 255, 255, 8, -1));
        System.out.println(String.format("%s|%10s|%-10s|%.2s|%S|%c|%b|%b|%%|%n", "str", "right", "left", "truncate", "up", 'z', null, "x").trim());
        System.out.println(String.format("%f|%.2f|%10.3f|%-10.1f|%e|%.3e|%E|%,.2f", Math.PI, Math.PI, Math.E, -2.5, 12345.678, 0.000123456, 1e100, 9876543.215));
        System.out.println(String.format("%.0f %.0f %.0f %.1f %.1f %.2f", 0.5, 1.5, 2.5, 0.05, 0.15, 1.005));
        System.out.println(String.format("%d %d %d", (byte) -1, (short) 300, Long.MIN_VALUE) + " " + String.format("%x %x", (byte) -1, -1L));
        System.out.println(String.format("%(d %(,.2f % d", -5, -1234.5, 7));
        System.out.printf("%s has %d items costing %.2f%n", "cart", 3, 19.999);
        System.out.println(String.format("%3$s %1$s %2$s", "a", "b", "c"));
        System.out.println(String.format("[%8.3f] [%-8b] [%08.2f]", -3.14159, true, 3.5));
    }
}
