package io.difflab.kit.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ImageDataset;
import io.difflab.api.MetricInput;
import io.difflab.api.Option;

import java.util.Arrays;
import java.util.List;

/**
 * What metrics that measure with a CLIP share: the {@code clip} option naming it, loading it, and
 * L2-normalised image and text features as plain arrays, computed in batches whose arrays live in
 * sub-managers.
 */
public final class ClipFeatures {

    /** The option naming the CLIP. */
    public static final Option CLIP = Option.choice("clip", "", List.of(),
            "the CLIP to measure with: a run folder, a run name with its folder (runs/clip-shapes: the newest"
                    + " finished one), or a TorchScript file; empty: the CLIP this run trained");

    /** Images or captions encoded at once. */
    public static final int BATCH = 256;

    private ClipFeatures() {
    }

    /** The CLIP the metric section of {@code input} names ({@link #CLIP}), on the run's device. */
    public static LoadedClip load(MetricInput input, ExtensionRegistry registry) {
        String reference = input.config().getString(CLIP.key());
        return ClipReference.load(reference.isBlank() ? input.run().runDir().toString() : reference, registry,
                input.run().device());
    }

    /** Normalised image features (N × E) of {@code images} (N, C, H, W) in [−1, 1]. */
    public static float[][] images(LoadedClip clip, NDArray images) {
        int n = Math.toIntExact(images.getShape().get(0));
        float[][] out = new float[n][];
        NDManager base = images.getManager();
        for (int from = 0; from < n; from += BATCH) {
            try (NDManager sub = base.newSubManager()) {
                NDArray batch = images.get(from + ":" + Math.min(n, from + BATCH));
                batch.attach(sub);
                fill(out, from, clip.model().imageFeatures(batch.toDevice(sub.getDevice(), false)));
            }
        }
        return out;
    }

    /** Normalised image features of {@code data}'s items 0 .. n − 1. */
    public static float[][] images(LoadedClip clip, ImageDataset data, int n, NDManager manager) {
        float[][] out = new float[n][];
        for (int from = 0; from < n; from += BATCH) {
            try (NDManager sub = manager.newSubManager()) {
                int[] indices = java.util.stream.IntStream.range(from, Math.min(n, from + BATCH)).toArray();
                fill(out, from, clip.model().imageFeatures(data.images(sub, indices)));
            }
        }
        return out;
    }

    /** Normalised text features (N × E) of {@code captions}. */
    public static float[][] texts(LoadedClip clip, List<String> captions, NDManager manager) {
        float[][] out = new float[captions.size()][];
        for (int from = 0; from < captions.size(); from += BATCH) {
            try (NDManager sub = manager.newSubManager()) {
                fill(out, from, clip.captionFeatures(sub, captions.subList(from, Math.min(captions.size(),
                        from + BATCH))));
            }
        }
        return out;
    }

    /** The cosine of two normalised vectors. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot;
    }

    /** The mean of unit vectors, normalised again (CLIP's prompt ensembling, Radford et al. 2021, sec. 3.1.4). */
    public static float[] meanDirection(List<float[]> vectors) {
        double[] sum = new double[vectors.get(0).length];
        for (float[] v : vectors) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += v[i];
            }
        }
        double norm = Math.sqrt(Arrays.stream(sum).map(x -> x * x).sum());
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            out[i] = (float) (sum[i] / Math.max(norm, 1e-12));
        }
        return out;
    }

    private static void fill(float[][] out, int from, NDArray features) {
        long e = features.getShape().get(1);
        float[] flat = features.div(features.norm(new int[] {1}, true)).toFloatArray();
        for (int i = 0; i < flat.length / e; i++) {
            out[from + i] = Arrays.copyOfRange(flat, (int) (i * e), (int) ((i + 1) * e));
        }
    }
}
