package io.difflab.datasets.imagefolder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Crop and resample against values computed by hand. */
class SquareResizeTest {

    @Test
    void sameSizeIsTheIdentity() {
        float[] plane = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(plane, SquareResize.apply(plane, 3, 3, 3));
    }

    @Test
    void halvingAveragesEachTwoByTwoBlock() {
        float[] plane = {
            0, 2, 10, 10,
            4, 6, 20, 30,
            1, 1, 0, 0,
            1, 1, 0, 8};
        assertArrayEquals(new float[] {3, 17.5f, 1, 2}, SquareResize.apply(plane, 4, 4, 2), 1e-5f);
    }

    @Test
    void shrinkingByAFractionWeighsPartlyCoveredPixels() {
        // 3 -> 2: output 0 covers [0, 1.5): (a + b/2) / 1.5; output 1 covers [1.5, 3): (b/2 + c) / 1.5
        float[] plane = {0, 3, 6, 0, 3, 6, 0, 3, 6};
        float left = (0 + 1.5f) / 1.5f;
        float right = (1.5f + 6) / 1.5f;
        assertArrayEquals(new float[] {left, right, left, right}, SquareResize.apply(plane, 3, 3, 2), 1e-5f);
    }

    @Test
    void enlargingInterpolatesBetweenPixelCentres() {
        // 2 -> 4: samples at -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
        float[] plane = {0, 1, 0, 1};
        float[] row = {0, 0.25f, 0.75f, 1};
        float[] expected = new float[16];
        for (int y = 0; y < 4; y++) {
            System.arraycopy(row, 0, expected, y * 4, 4);
        }
        assertArrayEquals(expected, SquareResize.apply(plane, 2, 2, 4), 1e-6f);
    }

    @Test
    void wideImagesAreCroppedToTheirCentre() {
        // 4x2: the centre 2x2 is columns 1 and 2
        float[] plane = {9, 1, 2, 9, 9, 3, 4, 9};
        assertArrayEquals(new float[] {1, 2, 3, 4}, SquareResize.apply(plane, 4, 2, 2));
        // 1x3: the centre row
        assertArrayEquals(new float[] {5}, SquareResize.apply(new float[] {7, 5, 7}, 1, 3, 1));
    }
}
