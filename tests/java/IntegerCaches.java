public class IntegerCaches {
    public static void main(String[] args) {
        int same = 0, diff = 0;
        for (int i = -200; i <= 200; i++) {
            if (Integer.valueOf(i) == Integer.valueOf(i)) same++; else diff++;
        }
        System.out.println(same + " " + diff);
        same = 0;
        for (long l = -200; l <= 200; l++) if (Long.valueOf(l) == Long.valueOf(l)) same++;
        System.out.println(same);
        same = 0;
        for (int c = 0; c < 300; c++) if (Character.valueOf((char) c) == Character.valueOf((char) c)) same++;
        System.out.println(same);
        same = 0;
        for (int s = -200; s <= 200; s++) if (Short.valueOf((short) s) == Short.valueOf((short) s)) same++;
        System.out.println(same);
        System.out.println((Byte.valueOf((byte) 1) == Byte.valueOf((byte) 1)) + " " + (Boolean.valueOf(true) == Boolean.TRUE));
        System.out.println(Double.valueOf(1.0) == Double.valueOf(1.0));
    }
}
