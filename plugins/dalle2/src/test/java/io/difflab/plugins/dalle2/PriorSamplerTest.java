package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.DiffusionSchedule;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prior's sampler against closed forms: the last ancestral step returns the network's ẑ_0 itself
 * (μ̃ = ẑ_0 at t = 0, no noise), guided as ẑ_0(∅) + s·(ẑ_0(y) − ẑ_0(∅)) with ∅ the zero z_t and empty
 * caption; the network sees the respaced steps' original timesteps; of k candidates the one with the
 * larger z_i·z_t is returned.
 */
class PriorSamplerTest {

    private static final float[] CONDITIONAL = {1f, 2f};
    private static final float[] UNCONDITIONAL = {0.5f, -1f};

    /** ẑ_0 = CONDITIONAL on rows with a caption, UNCONDITIONAL on ∅ rows (zero z_t, empty mask). */
    private static PriorSampler.Network twoValued(List<float[]> timesteps, List<Boolean> nullRowsSeen) {
        return (noised, t, zt, ids, mask) -> {
            timesteps.add(t.toFloatArray());
            long n = noised.getShape().get(0);
            float[] masks = mask.toType(DataType.FLOAT32, false).sum(new int[] {1}).toFloatArray();
            float[] text = zt.abs().sum(new int[] {1}).toFloatArray();
            float[] out = new float[(int) n * 2];
            for (int i = 0; i < n; i++) {
                boolean empty = masks[i] == 0;
                assertEquals(empty, text[i] == 0, "∅ drops the caption and z_t together");
                nullRowsSeen.add(empty);
                System.arraycopy(empty ? UNCONDITIONAL : CONDITIONAL, 0, out, i * 2, 2);
            }
            return noised.getManager().create(out, new Shape(n, 2));
        };
    }

    @Test
    void guidedSamplesAreTheGuidedPredictionOfTheLastStep() {
        DiffusionSchedule full = CosineSchedule.of(100);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zt = m.create(new float[] {0.3f, 0.4f, -1f, 2f, 0f, 1f}, new Shape(3, 2));
            NDArray ids = m.create(new int[] {1, 2, 3, 1, 2, 0, 4, 0, 0}, new Shape(3, 3));
            NDArray mask = m.create(new int[] {1, 1, 1, 1, 1, 0, 1, 0, 0}, new Shape(3, 3));
            List<float[]> timesteps = new ArrayList<>();
            List<Boolean> nullRows = new ArrayList<>();
            PriorSampler guided = new PriorSampler(full, 5, 3.0, 1);
            float[] z = guided.sample(twoValued(timesteps, nullRows), zt, ids, mask, new SeededNoiseSource(1))
                    .toFloatArray();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 2; j++) {
                    assertEquals(UNCONDITIONAL[j] + 3 * (CONDITIONAL[j] - UNCONDITIONAL[j]), z[i * 2 + j], 1e-5);
                }
            }
            assertEquals(5, timesteps.size(), "one call per step on the doubled batch");
            int[] map = full.respace(io.difflab.kit.schedule.TimestepSpacing.evenly(100, 5)).timestepMap();
            for (int step = 0; step < 5; step++) {
                assertEquals(6, timesteps.get(step).length);
                assertEquals(map[4 - step], timesteps.get(step)[0], 0.0, "original timesteps, last first");
            }
            assertEquals(15, nullRows.stream().filter(b -> b).count(), "3 ∅ rows per step");
            assertEquals(10.0, guided.evaluationsPerCandidate());

            PriorSampler plain = new PriorSampler(full, 5, 1.0, 1);
            float[] unguided = plain.sample(twoValued(new ArrayList<>(), new ArrayList<>()), zt, ids, mask,
                    new SeededNoiseSource(1)).toFloatArray();
            assertArrayEquals(new float[] {1f, 2f, 1f, 2f, 1f, 2f}, unguided, 1e-6f);
            assertEquals(5.0, plain.evaluationsPerCandidate());
        }
    }

    @Test
    void ofTwoCandidatesTheOneWithTheLargerDotProductIsKept() {
        DiffusionSchedule full = CosineSchedule.of(50);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zt = m.create(new float[] {1f, 0f, 0f, 1f}, new Shape(2, 2));
            NDArray ids = m.create(new int[] {1, 2, 1, 3}, new Shape(2, 2));
            NDArray mask = m.ones(new Shape(2, 2), DataType.INT32);
            float[][] last = new float[1][];
            // ẑ_0 = the noised input itself: each candidate ends where its own noise took it
            PriorSampler.Network identity = (noised, t, text, tokens, tokenMask) -> {
                // a caption's candidates are consecutive rows, each with that caption's tokens and z_t
                assertArrayEquals(new int[] {1, 2, 1, 2, 1, 3, 1, 3}, tokens.toIntArray());
                assertArrayEquals(new float[] {1f, 0f, 1f, 0f, 0f, 1f, 0f, 1f}, text.toFloatArray());
                last[0] = noised.toFloatArray();
                return noised.duplicate();
            };
            float[] kept = new PriorSampler(full, 4, 1.0, 2).sample(identity, zt, ids, mask, new SeededNoiseSource(9))
                    .toFloatArray();
            // rows 0, 1 are caption 0's candidates, rows 2, 3 caption 1's
            float[] candidates = last[0];
            float[] text = {1f, 0f, 0f, 1f};
            for (int caption = 0; caption < 2; caption++) {
                double first = dot(candidates, 2 * caption, text, caption);
                double second = dot(candidates, 2 * caption + 1, text, caption);
                assertTrue(first != second);
                int best = 2 * caption + (second > first ? 1 : 0);
                assertArrayEquals(new float[] {candidates[best * 2], candidates[best * 2 + 1]},
                        new float[] {kept[caption * 2], kept[caption * 2 + 1]}, 1e-6f);
            }
        }
    }

    private static double dot(float[] rows, int row, float[] text, int caption) {
        return rows[row * 2] * text[caption * 2] + rows[row * 2 + 1] * text[caption * 2 + 1];
    }
}
