package io.difflab.datasets.shapes;

import io.difflab.api.Split;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Generates a split: for image i, a caption drawn from the {@link CaptionGrammar}, a scene laid out
 * to match it ({@link SceneLayout}) and the scene drawn ({@link SceneRenderer}), all from a random
 * stream seeded by (seed, split, i) alone. Images are therefore generated in parallel and in any
 * order with the same result, and the first n images of a larger split are the same n images.
 */
public final class ShapesGenerator {

    private ShapesGenerator() { }

    /** The first {@code count} images of {@code split} for {@code seed}, {@code side} pixels square. */
    public static ShapesSplit generate(long seed, Split split, int count, int side) {
        int per = ShapesSplit.bytesPerImage(side);
        byte[] pixels = new byte[Math.multiplyExact(count, per)];
        Scene[] scenes = new Scene[count];
        String[] captions = new String[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            SplittableRandom rng = new SplittableRandom(itemSeed(seed, split, i));
            SceneRequest request = CaptionGrammar.draw(rng);
            Scene scene = SceneLayout.place(request, rng);
            if (!request.isSatisfiedBy(scene)) {
                throw new IllegalStateException("generated a scene its caption does not describe: " + scene);
            }
            SceneRenderer.render(scene, side, pixels, i * per);
            scenes[i] = scene;
            captions[i] = CaptionGrammar.caption(request);
        });
        return new ShapesSplit(side, pixels, scenes, captions);
    }

    /** The seed of image {@code index}: SplitMix64's finalizer (Steele et al. 2014) over (seed, split, index). */
    static long itemSeed(long seed, Split split, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + (split.ordinal() + 1L) * 0xD1B54A32D192ED03L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
