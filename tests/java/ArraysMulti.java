import java.util.Arrays;

public class ArraysMulti {
    public static void main(String[] args) {
        int[][] grid = new int[3][4];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) grid[i][j] = i * j;
        System.out.println(Arrays.deepToString(grid));
        long[][][] cube = new long[2][2][2];
        cube[1][1][1] = 7;
        System.out.println(cube.length + " " + cube[1].length + " " + cube[1][1][1] + " " + Arrays.deepToString(cube));
        int[][] jag = new int[3][];
        for (int i = 0; i < 3; i++) jag[i] = new int[i + 1];
        System.out.println(Arrays.deepToString(jag));
        String[][] names = {{"a", "b"}, {"c"}};
        System.out.println(names[1][0] + names[0].length);
        Object[] objs = new Integer[] {1, 2};
        System.out.println(objs.getClass().getName() + " " + grid.getClass().getName() + " " + new boolean[0].getClass().getName());
        char[] cs = {'d', 'a', 'c', 'b'};
        Arrays.sort(cs);
        System.out.println(new String(cs) + " " + Arrays.toString(new double[] {1.0, -0.0}) + " " + Arrays.toString((int[]) null));
        int[] big = new int[1000];
        Arrays.fill(big, 3);
        int[] copy = Arrays.copyOf(big, 1002);
        System.out.println(copy[999] + copy[1001] + " " + Arrays.equals(big, Arrays.copyOfRange(copy, 0, 1000)) + " " + Arrays.hashCode(new int[] {1, 2, 3}));
        int[] src = {1, 2, 3, 4, 5};
        System.arraycopy(src, 0, src, 1, 4);
        System.out.println(Arrays.toString(src));
        try {
            System.arraycopy(src, 3, src, 0, 5);
        } catch (IndexOutOfBoundsException e) {
            System.out.println("arraycopy bounds");
        }
        Object[] dst = new String[2];
        try {
            System.arraycopy(new Object[] {"x", 1}, 0, dst, 0, 2);
        } catch (ArrayStoreException e) {
            System.out.println("arraycopy store, first copied: " + dst[0]);
        }
        int[] cl = src.clone();
        cl[0] = 99;
        System.out.println(src[0] + " " + cl[0]);
    }
}
