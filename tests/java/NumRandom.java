import java.util.Random;

public class NumRandom {
    public static void main(String[] args) {
        for (long seed : new long[] {0L, 42L, -1L, 123456789012345L}) {
            Random r = new Random(seed);
            StringBuilder sb = new StringBuilder();
            sb.append(r.nextInt()).append(' ').append(r.nextInt(10)).append(' ').append(r.nextInt(1 << 20)).append(' ').append(r.nextInt(1000000007));
            sb.append(' ').append(r.nextLong()).append(' ').append(r.nextBoolean()).append(' ').append(r.nextDouble()).append(' ').append(r.nextFloat());
            sb.append(' ').append(r.nextGaussian()).append(' ').append(r.nextGaussian()).append(' ').append(r.nextInt(7));
            System.out.println(sb);
        }
        Random r = new Random(2024);
        byte[] bytes = new byte[12];
        r.nextBytes(bytes);
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(b).append(',');
        System.out.println(sb);
        r.setSeed(5);
        System.out.println(r.nextInt(100) + " " + r.nextInt(100));
        long acc = 0;
        Random big = new Random(77);
        for (int i = 0; i < 100000; i++) acc += big.nextInt(1000);
        System.out.println(acc);
    }
}
