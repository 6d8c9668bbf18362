package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.difflab.api.ImageShape;
import io.difflab.kit.engine.RowIndependent;
import io.difflab.kit.engine.ShardedStep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.difflab.kit.nn.UNetFixture.images;
import static io.difflab.kit.nn.UNetFixture.labels;
import static io.difflab.kit.nn.UNetFixture.store;
import static io.difflab.kit.nn.UNetFixture.timesteps;
import static io.difflab.kit.nn.UNetFixture.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training pass of a class-conditional U-Net cut into shards ({@link ShardedStep}) against the
 * whole batch's: the same loss and the same gradient of every parameter, up to float32 rounding,
 * with dropout too (the shards get the whole batch's masks); two shards twice give the same bits;
 * training takes at most two, and none for a network with a DJL dropout block.
 */
class ShardedStepTest {

    private static final ImageShape SHAPE = new ImageShape(1, 16, 16);
    private static final int N = 6;

    private final NDManager params = NDManager.newBaseManager();
    private final NDManager caller = NDManager.newBaseManager();

    @AfterEach
    void close() {
        caller.close();
        params.close();
    }

    /** loss = mean((f(x) − x)²) · 2 + mean(f(x)) (two uses of one output), its value and every parameter's gradient. */
    private Map<String, float[]> pass(UNet unet, ParameterStore ps, NDList inputs, int shards) {
        return pass(unet, ps, inputs, shards, false);
    }

    /** As above; {@code twice}: plus mean(f(x / 2)²) from a second forward in the same step. */
    private Map<String, float[]> pass(UNet unet, ParameterStore ps, NDList inputs, int shards, boolean twice) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : unet.getParameters()) {
            p.getValue().getArray().getGradient().muli(0); // the trainer's optimizer zeroes them after a step
        }
        try (NDManager step = caller.newSubManager()) {
            NDList in = new NDList();
            inputs.forEach(a -> in.add(a.duplicate()));
            in.attach(step);
            float loss;
            try (ShardedStep passes = ShardedStep.of(unet, ps, shards);
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = passes.forward(in).singletonOrThrow();
                NDArray l = y.sub(in.get(0)).square().mean().mul(2).add(y.mean());
                if (twice) {
                    NDList half = new NDList(in.get(0).div(2), in.get(1), in.get(2));
                    l = l.add(passes.forward(half).singletonOrThrow().square().mean());
                }
                collector.backward(l);
                passes.backward();
                loss = l.getFloat();
                assertEquals(shards > 1, passes.sharded(), "cut into " + shards);
            }
            out.put("loss", new float[] {loss});
        }
        for (Pair<String, Parameter> p : unet.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().getGradient().toFloatArray());
        }
        return out;
    }

    @Test
    void shardedLossAndGradientsEqualTheWholeBatchsAndRepeatBitForBit() {
        UNet unet = unet(0f);
        ParameterStore ps = store(params);
        NDList inputs = new NDList(images(caller, SHAPE, N), timesteps(caller, N), labels(caller, N, 10));
        Map<String, float[]> whole = pass(unet, ps, inputs, 1);
        Map<String, float[]> two = pass(unet, ps, inputs, 2);
        Map<String, float[]> again = pass(unet, ps, inputs, 2);
        Map<String, float[]> three = pass(unet, ps, inputs, 3);
        assertAgree(whole, List.of(two, three), two, again);
    }

    @Test
    void aStepWithTwoForwardsAgreesWithTheWholeBatchAndRepeats() {
        // each shard sends both forwards' gradients back in one backward: one addition per parameter per shard
        UNet unet = unet(0f);
        ParameterStore ps = store(params);
        NDList inputs = new NDList(images(caller, SHAPE, N), timesteps(caller, N), labels(caller, N, 10));
        Map<String, float[]> whole = pass(unet, ps, inputs, 1, true);
        Map<String, float[]> two = pass(unet, ps, inputs, 2, true);
        Map<String, float[]> again = pass(unet, ps, inputs, 2, true);
        assertAgree(whole, List.of(two), two, again);
        assertTrue(Math.abs(whole.get("loss")[0] - pass(unet, ps, inputs, 1).get("loss")[0]) > 1e-6f,
                "the second forward adds to the loss");
    }

    @Test
    void shardedDropoutDrawsTheWholeBatchsMasks() {
        // at rate 0.5 masks drawn per shard would change the loss and every gradient, not their last bits
        UNet unet = unet(0.5f);
        ParameterStore ps = store(params);
        NDList inputs = new NDList(images(caller, SHAPE, N), timesteps(caller, N), labels(caller, N, 10));
        Map<String, float[]> whole = seeded(() -> pass(unet, ps, inputs, 1));
        Map<String, float[]> two = seeded(() -> pass(unet, ps, inputs, 2));
        Map<String, float[]> again = seeded(() -> pass(unet, ps, inputs, 2));
        Map<String, float[]> undropped = pass(unet, ps, inputs, 1);
        assertAgree(whole, List.of(two), two, again);
        assertTrue(Math.abs(whole.get("loss")[0] - undropped.get("loss")[0]) > 1e-3f,
                "dropout at 0.5 changes the loss: " + whole.get("loss")[0] + " vs " + undropped.get("loss")[0]);
        Map<String, float[]> reseeded = seeded(() -> pass(unet, ps, inputs, 1));
        assertTrue(Arrays.equals(whole.get("loss"), reseeded.get("loss")), "the seed fixes the unsharded masks");
    }

    /** A tiny class-conditional U-Net with every parameter random (zero-initialised ones too), initialised for N rows. */
    private UNet unet(float dropout) {
        UNet unet = tiny(SHAPE).optNumClasses(10).optDropout(dropout).build();
        UNetFixture.randomizeZeroInitialised(unet);
        UNetFixture.initialize(unet, params, SHAPE, N);
        return unet;
    }

    private static Map<String, float[]> seeded(java.util.function.Supplier<Map<String, float[]>> pass) {
        Engine.getInstance().setRandomSeed(11);
        return pass.get();
    }

    /** Each sharded pass equals whole within 2e-5 of each array's largest entry; two and again bit for bit. */
    private static void assertAgree(Map<String, float[]> whole, List<Map<String, float[]>> shardedPasses,
                                    Map<String, float[]> two, Map<String, float[]> again) {
        assertEquals(whole.keySet(), two.keySet());
        int checked = 0;
        for (String key : whole.keySet()) {
            float scale = 0;
            for (float v : whole.get(key)) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (Map<String, float[]> sharded : shardedPasses) {
                float[] w = whole.get(key);
                float[] s = sharded.get(key);
                for (int i = 0; i < w.length; i++) {
                    assertTrue(Math.abs(w[i] - s[i]) <= 2e-5f * Math.max(scale, 1e-6f),
                            key + "[" + i + "]: whole " + w[i] + ", sharded " + s[i] + " (largest " + scale + ")");
                }
            }
            assertTrue(Arrays.equals(two.get(key), again.get(key)), key + ": two sharded passes differ");
            checked++;
        }
        assertTrue(checked > 20, "the loss and every parameter's gradient: " + checked);
    }

    @Test
    void trainingUsesAtMostTwoShardsAndNoneWithADropoutBlockOrRowsThatMix() {
        System.setProperty("difflab.shards", String.valueOf(Runtime.getRuntime().availableProcessors() + 2));
        try {
            // three gradients can sum to other floats in another order of arrival; two cannot
            assertEquals(Math.min(2, Runtime.getRuntime().availableProcessors()),
                    ShardedStep.shardsFor(tiny(SHAPE).build(), caller));
            assertEquals(Math.min(2, Runtime.getRuntime().availableProcessors()),
                    ShardedStep.shardsFor(tiny(SHAPE).optDropout(0.1f).build(), caller), "the residual blocks' dropout shards");
            // a DJL dropout block, or a block that says it draws, draws itself, in the workers' order
            assertEquals(1, ShardedStep.shardsFor(new RowWise().add(Dropout.builder().optRate(0.1f).build()), caller));
            assertEquals(1, ShardedStep.shardsFor(new RowWise().add(new Drawing(true)), caller));
            assertEquals(Math.min(2, Runtime.getRuntime().availableProcessors()),
                    ShardedStep.shardsFor(new RowWise().add(new Drawing(false)), caller));
            // a network that does not declare its rows independent (a contrastive CLIP mixes them) runs whole
            assertEquals(1, ShardedStep.shardsFor(new SequentialBlock().add(Conv.of(1, 4, 3, 1)), caller));
        } finally {
            System.clearProperty("difflab.shards");
        }
    }

    /** A block that says whether it draws engine randomness itself. */
    private static final class Drawing extends ai.djl.nn.LambdaBlock implements ShardedStep.Stochastic {
        private final boolean draws;

        Drawing(boolean draws) {
            super(x -> x);
            this.draws = draws;
        }

        @Override
        public boolean drawsInTraining() {
            return draws;
        }
    }

    /** A network that declares its rows independent. */
    private static final class RowWise extends SequentialBlock implements RowIndependent {
    }
}
