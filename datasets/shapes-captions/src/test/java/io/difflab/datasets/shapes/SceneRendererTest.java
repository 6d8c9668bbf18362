package io.difflab.datasets.shapes;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneRendererTest {

    private static int pixel(byte[] rgb, int side, int channel, int x, int y) {
        return rgb[channel * side * side + y * side + x] & 0xff;
    }

    @Test
    void anObjectIsItsColourInsideBlackOutsideAndBlendedAtItsEdge() {
        Scene scene = new Scene(List.of(new SceneObject(ShapeKind.CIRCLE, Colour.RED, ObjectSize.LARGE, 0.5, 0.5)));
        byte[] rgb = SceneRenderer.render(scene, 32);
        for (int c = 0; c < 3; c++) {
            assertEquals(Colour.RED.channel(c), pixel(rgb, 32, c, 16, 16));
            assertEquals(0, pixel(rgb, 32, c, 2, 2));
        }
        // radius 6 pixels around (16, 16): the pixel [21, 22) x [13, 14) is cut by the circle
        int edge = pixel(rgb, 32, 0, 21, 13);
        assertTrue(edge > 0 && edge < Colour.RED.channel(0), "anti-aliased edge value " + edge);
    }

    @Test
    void coverageMatchesTheShapesArea() {
        for (ShapeKind shape : ShapeKind.values()) {
            Scene scene = new Scene(List.of(new SceneObject(shape, Colour.YELLOW, ObjectSize.LARGE, 0.5, 0.5)));
            byte[] rgb = SceneRenderer.render(scene, 64);
            double covered = 0;
            for (int i = 0; i < 64 * 64; i++) {
                covered += (rgb[i] & 0xff) / (double) Colour.YELLOW.channel(0);
            }
            double r = ObjectSize.LARGE.radius() * 64; // 12 pixels
            double expected = switch (shape) {
                case CIRCLE -> Math.PI * r * r;
                case SQUARE -> Math.pow(2 * ShapeKind.SQUARE_HALF_SIDE * r, 2);
                case TRIANGLE -> 2 * r * r;
                // a regular star: 10 triangles between the centre, an outer and an inner vertex
                case STAR -> 10 * 0.5 * r * (ShapeKind.STAR_INNER_RADIUS * r) * Math.sin(Math.PI / 5);
            };
            assertEquals(expected, covered, expected * 0.02, shape.word());
        }
    }

    @Test
    void shapesArePointUp() {
        assertTrue(ShapeKind.TRIANGLE.contains(0, -0.95) && !ShapeKind.TRIANGLE.contains(0.9, -0.9));
        assertTrue(ShapeKind.STAR.contains(0, -0.95) && !ShapeKind.STAR.contains(0, 0.95));
        assertTrue(ShapeKind.SQUARE.contains(0.84, 0.84) && !ShapeKind.CIRCLE.contains(0.84, 0.84));
    }

    @Test
    void theSameSceneDrawsTheSameBytesWhereverItSits() {
        Scene a = new Scene(List.of(new SceneObject(ShapeKind.STAR, Colour.BLUE, ObjectSize.SMALL, 0.25, 0.25)));
        Scene b = new Scene(List.of(new SceneObject(ShapeKind.STAR, Colour.BLUE, ObjectSize.SMALL, 0.75, 0.5)));
        byte[] ra = SceneRenderer.render(a, 32);
        byte[] rb = SceneRenderer.render(b, 32);
        byte[] patchA = new byte[16 * 16];
        byte[] patchB = new byte[16 * 16];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                patchA[y * 16 + x] = ra[(y) * 32 + x];
                patchB[y * 16 + x] = rb[(y + 8) * 32 + x + 16];
            }
        }
        assertArrayEquals(patchA, patchB);
    }
}
