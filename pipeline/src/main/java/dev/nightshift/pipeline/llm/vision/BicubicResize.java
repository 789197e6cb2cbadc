package dev.nightshift.pipeline.llm.vision;

/**
 * Bicubic resizing as Pillow does it ({@code Image.resize(size, Image.BICUBIC)}, libImaging/Resample.c),
 * which is what transformers' image processors call: a separable filter (Keys' cubic, a = -0.5), widened
 * by the scale when shrinking so that it averages every source pixel (antialiasing), applied to rows
 * first and then to columns, with 8-bit fixed-point weights (22 fractional bits) and rounding as Pillow
 * rounds. The point is to give the same bytes, not just a similar picture: the model was trained on
 * Pillow's output.
 */
final class BicubicResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private BicubicResize() {
    }

    /** The image resized to {@code width x height}. */
    public static RgbImage resize(RgbImage in, int width, int height) {
        if (width == in.width() && height == in.height()) return in;
        Coefficients horizontal = coefficients(in.width(), width);
        Coefficients vertical = coefficients(in.height(), height);
        // Pillow skips a pass whose size does not change; its coefficients would be the identity anyway.
        byte[] pixels = in.rgb();
        int rows = in.height();
        if (width != in.width()) {
            pixels = horizontal(pixels, in.width(), rows, width, horizontal);
        }
        if (height != in.height()) {
            pixels = vertical(pixels, width, in.height(), height, vertical);
        }
        return new RgbImage(width, height, pixels);
    }

    static double filter(double x) {
        final double a = -0.5;
        if (x < 0) x = -x;
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    /** For each output pixel: the first source pixel, how many, and their fixed-point weights. */
    private record Coefficients(int[] first, int[] count, int[][] weights) {
    }

    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[][] weights = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double[] k = new double[xmax];
            double ww = 0;
            for (int x = 0; x < xmax; x++) {
                k[x] = filter((x + xmin - center + 0.5) * ss);
                ww += k[x];
            }
            int[] fixed = new int[xmax];
            for (int x = 0; x < xmax; x++) {
                double w = ww != 0 ? k[x] / ww : k[x];
                // (int) truncates toward zero, as C's cast does.
                fixed[x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
            }
            first[xx] = xmin;
            count[xx] = xmax;
            weights[xx] = fixed;
        }
        return new Coefficients(first, count, weights);
    }

    private static byte[] horizontal(byte[] in, int inWidth, int rows, int outWidth, Coefficients c) {
        byte[] out = new byte[outWidth * rows * 3];
        for (int y = 0; y < rows; y++) {
            int rowStart = y * inWidth * 3;
            for (int xx = 0; xx < outWidth; xx++) {
                int[] k = c.weights()[xx];
                int xmin = c.first()[xx];
                for (int ch = 0; ch < 3; ch++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < c.count()[xx]; x++) ss += (in[rowStart + (x + xmin) * 3 + ch] & 0xFF) * k[x];
                    out[(y * outWidth + xx) * 3 + ch] = clip8(ss);
                }
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] in, int width, int inHeight, int outHeight, Coefficients c) {
        byte[] out = new byte[width * outHeight * 3];
        for (int yy = 0; yy < outHeight; yy++) {
            int[] k = c.weights()[yy];
            int ymin = c.first()[yy];
            for (int xx = 0; xx < width; xx++) {
                for (int ch = 0; ch < 3; ch++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int y = 0; y < c.count()[yy]; y++) ss += (in[((y + ymin) * width + xx) * 3 + ch] & 0xFF) * k[y];
                    out[(yy * width + xx) * 3 + ch] = clip8(ss);
                }
            }
        }
        return out;
    }

    private static byte clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
