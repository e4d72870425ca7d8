public class ArrayCovariance {
    interface Animal { String name(); }
    record Cat(String name) implements Animal {}
    record Dog(String name) implements Animal {}
    public static void main(String[] args) {
        Animal[] animals = new Cat[2];
        animals[0] = new Cat("tom");
        try {
            animals[1] = new Dog("rex");
        } catch (ArrayStoreException e) {
            System.out.println("ArrayStoreException: " + e.getMessage());
        }
        Object[] objs = animals;
        System.out.println(objs.getClass().getName() + " " + (objs instanceof Cat[]) + " " + (objs instanceof Animal[]) + " " + (objs instanceof Dog[]));
        Object o = new int[][] {{1}};
        System.out.println((o instanceof Object[]) + " " + (o instanceof int[][]) + " " + (o instanceof Cloneable) + " " + (o instanceof java.io.Serializable));
        Object[][] grid = new String[2][2];
        try { grid[0][0] = 1; } catch (ArrayStoreException e) { System.out.println("nested store " + e.getMessage()); }
        try { grid[1] = new Integer[1]; } catch (ArrayStoreException e) { System.out.println("row store " + e.getMessage()); }
        Animal[] copy = java.util.Arrays.copyOf(animals, 3);
        System.out.println(copy.getClass().getName() + " " + copy.length + " " + copy[0]);
        Object[] widened = java.util.Arrays.copyOf(animals, 1, Object[].class);
        widened[0] = "string ok";
        System.out.println(widened[0]);
    }
}
