package io.difflab.datasets.shapes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Draws a scene into 8-bit RGB pixels, channel-major (C, H, W), anti-aliased by supersampling
 * every pixel on a {@value #SUPERSAMPLES}×{@value #SUPERSAMPLES} grid: a pixel's colour is the
 * background blended with each object's colour by the share of its sample points inside the
 * object, in integer arithmetic. Pure Java with no font or OS dependence, and with shape geometry
 * from {@code StrictMath}, so every machine draws the same bytes.
 *
 * <p>An object's coverage depends only on its shape, its radius in pixels and where its centre
 * falls inside a pixel, so it is computed once per such triple (a {@link Sprite}) and copied:
 * scene centres lie on a 1/{@value SceneLayout#POSITION_STEPS} grid, which gives only
 * {@value SceneLayout#POSITION_STEPS}/side distinct offsets per axis.
 */
public final class SceneRenderer {

    /** Sample points per pixel side. */
    static final int SUPERSAMPLES = 4;
    private static final int SAMPLES = SUPERSAMPLES * SUPERSAMPLES;

    private static final Map<SpriteKey, Sprite> SPRITES = new ConcurrentHashMap<>();

    private SceneRenderer() { }

    /** The scene drawn on a black {@code side}×{@code side} image, as 3·side·side bytes. */
    public static byte[] render(Scene scene, int side) {
        byte[] rgb = new byte[3 * side * side];
        render(scene, side, rgb, 0);
        return rgb;
    }

    /** Draws the scene into {@code into} at {@code offset} (3·side·side bytes, which must be zero: the background). */
    public static void render(Scene scene, int side, byte[] into, int offset) {
        int plane = side * side;
        for (SceneObject o : scene.objects()) {
            double cx = o.x() * side;
            double cy = o.y() * side;
            int ix = (int) Math.floor(cx);
            int iy = (int) Math.floor(cy);
            SpriteKey key = new SpriteKey(o.shape(), o.size().radius() * side, cx - ix, cy - iy);
            Sprite sprite = onGrid(o.x()) && onGrid(o.y()) ? SPRITES.computeIfAbsent(key, SceneRenderer::sprite)
                    : sprite(key); // any other position is drawn the same way, but not kept
            for (int dy = 0; dy < sprite.span; dy++) {
                int py = iy + dy - sprite.reach;
                for (int dx = 0; dx < sprite.span; dx++) {
                    int px = ix + dx - sprite.reach;
                    int covered = sprite.coverage[dy * sprite.span + dx];
                    if (covered == 0 || px < 0 || py < 0 || px >= side || py >= side) {
                        continue;
                    }
                    int at = offset + py * side + px;
                    for (int c = 0; c < 3; c++) {
                        int old = into[at + c * plane] & 0xff;
                        int value = old + (covered * (o.colour().channel(c) - old) + SAMPLES / 2) / SAMPLES;
                        into[at + c * plane] = (byte) Math.max(0, Math.min(255, value));
                    }
                }
            }
        }
    }

    /** Whether a centre coordinate lies on the layout's grid, which bounds the number of sprites kept. */
    private static boolean onGrid(double fraction) {
        double steps = fraction * SceneLayout.POSITION_STEPS;
        return steps == Math.rint(steps);
    }

    /** What a sprite depends on: the shape, its radius and the centre's offset inside its pixel (pixels). */
    private record SpriteKey(ShapeKind shape, double radius, double fx, double fy) { }

    /**
     * Sample counts of the pixels around a centre's pixel.
     *
     * @param reach    pixels from the centre's pixel to the sprite's edge
     * @param span     2·reach + 1
     * @param coverage span² counts in 0..{@value #SAMPLES}, row-major
     */
    private record Sprite(int reach, int span, byte[] coverage) { }

    private static Sprite sprite(SpriteKey key) {
        int reach = (int) Math.ceil(key.radius()) + 1;
        int span = 2 * reach + 1;
        byte[] coverage = new byte[span * span];
        for (int dy = 0; dy < span; dy++) {
            for (int dx = 0; dx < span; dx++) {
                int inside = 0;
                for (int sy = 0; sy < SUPERSAMPLES; sy++) {
                    double v = (dy - reach + (sy + 0.5) / SUPERSAMPLES - key.fy()) / key.radius();
                    for (int sx = 0; sx < SUPERSAMPLES; sx++) {
                        double u = (dx - reach + (sx + 0.5) / SUPERSAMPLES - key.fx()) / key.radius();
                        if (key.shape().contains(u, v)) {
                            inside++;
                        }
                    }
                }
                coverage[dy * span + dx] = (byte) inside;
            }
        }
        return new Sprite(reach, span, coverage);
    }
}
