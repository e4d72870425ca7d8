public class Mandelbrot {
    public static void main(String[] args) {
        String shades = " .:-=+*#%@";
        for (int y = -12; y <= 12; y++) {
            StringBuilder row = new StringBuilder();
            for (int x = -39; x <= 20; x++) {
                double cr = x / 20.0, ci = y / 10.0, zr = 0, zi = 0;
                int it = 0;
                while (it < 90 && zr * zr + zi * zi < 4) {
                    double t = zr * zr - zi * zi + cr;
                    zi = 2 * zr * zi + ci;
                    zr = t;
                    it++;
                }
                row.append(shades.charAt(it % shades.length()));
            }
            System.out.println(row);
        }
    }
}
