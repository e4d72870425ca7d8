public class ArithDivZero {
    static int zero() { return 0; }
    public static void main(String[] args) {
        try {
            System.out.println(1 / zero());
        } catch (ArithmeticException e) {
            System.out.println("int div: " + e.getMessage());
        }
        try {
            System.out.println(1 % zero());
        } catch (ArithmeticException e) {
            System.out.println("int rem: " + e.getMessage());
        }
        try {
            System.out.println(1L / (long) zero());
        } catch (ArithmeticException e) {
            System.out.println("long div: " + e.getMessage());
        }
        System.out.println(1.0 / zero());
        System.out.println(-1.0 / zero());
        System.out.println(0.0 / zero());
        System.out.println(5.5 % 0.0);
        System.out.println(Math.floorDiv(-7, 2) + " " + Math.floorMod(-7, 2) + " " + Math.floorMod(7, -2));
        try {
            Math.addExact(Integer.MAX_VALUE, 1);
        } catch (ArithmeticException e) {
            System.out.println(e.getMessage());
        }
        try {
            Math.multiplyExact(Long.MAX_VALUE, 2L);
        } catch (ArithmeticException e) {
            System.out.println(e.getMessage());
        }
    }
}
