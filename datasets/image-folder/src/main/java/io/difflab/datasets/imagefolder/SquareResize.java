package io.difflab.datasets.imagefolder;

/**
 * Makes a channel plane square: a centre crop to the shorter side, then a separable resample to
 * {@code size}×{@code size}: area averaging when shrinking (each output pixel is the mean of the
 * source area it covers), bilinear interpolation with pixel centres at +½ when enlarging.
 */
final class SquareResize {

    private SquareResize() {
    }

    /**
     * Resamples a plane of {@code width}×{@code height} values (row-major) to {@code size}×{@code size}.
     */
    static float[] apply(float[] plane, int width, int height, int size) {
        int side = Math.min(width, height);
        int left = (width - side) / 2;
        int top = (height - side) / 2;
        Taps taps = side > size ? Taps.area(side, size) : Taps.bilinear(side, size);
        // rows first: size columns for each of the side cropped rows
        float[] rows = new float[side * size];
        for (int y = 0; y < side; y++) {
            int from = (top + y) * width + left;
            for (int x = 0; x < size; x++) {
                rows[y * size + x] = taps.sum(plane, from, 1, x);
            }
        }
        float[] out = new float[size * size];
        for (int x = 0; x < size; x++) {
            for (int y = 0; y < size; y++) {
                out[y * size + x] = taps.sum(rows, x, size, y);
            }
        }
        return out;
    }

    /** For each output index, the source indices it reads and their weights (summing to 1). */
    private record Taps(int[][] index, float[][] weight) {

        float sum(float[] source, int offset, int stride, int out) {
            int[] idx = index[out];
            float[] w = weight[out];
            float total = 0f;
            for (int k = 0; k < idx.length; k++) {
                total += w[k] * source[offset + idx[k] * stride];
            }
            return total;
        }

        /** Output i averages the source interval [i·s/n, (i+1)·s/n), partly covered pixels by their coverage. */
        static Taps area(int s, int n) {
            int[][] index = new int[n][];
            float[][] weight = new float[n][];
            double scale = (double) s / n;
            for (int i = 0; i < n; i++) {
                double a = i * scale;
                double b = (i + 1) * scale;
                int first = (int) Math.floor(a);
                int last = Math.min(s - 1, (int) Math.ceil(b) - 1);
                index[i] = new int[last - first + 1];
                weight[i] = new float[last - first + 1];
                for (int k = first; k <= last; k++) {
                    index[i][k - first] = k;
                    weight[i][k - first] = (float) ((Math.min(b, k + 1) - Math.max(a, k)) / scale);
                }
            }
            return new Taps(index, weight);
        }

        /** Output i samples the source at (i + ½)·s/n − ½, clamped to the edge pixels. */
        static Taps bilinear(int s, int n) {
            int[][] index = new int[n][];
            float[][] weight = new float[n][];
            for (int i = 0; i < n; i++) {
                double at = Math.max(0, Math.min(s - 1, (i + 0.5) * s / n - 0.5));
                int left = (int) Math.floor(at);
                int right = Math.min(s - 1, left + 1);
                float t = (float) (at - left);
                index[i] = new int[] {left, right};
                weight[i] = new float[] {1f - t, t};
            }
            return new Taps(index, weight);
        }
    }
}
