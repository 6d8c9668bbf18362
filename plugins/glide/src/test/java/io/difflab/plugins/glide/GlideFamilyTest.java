package io.difflab.plugins.glide;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionKind;
import io.difflab.api.DatasetInfo;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.TrainingBatch;
import io.difflab.api.UserError;
import io.difflab.api.VarianceType;
import io.difflab.kit.condition.Conditions;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.diffusion.HybridLossObjective;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.nn.TextTransformer;
import io.difflab.kit.nn.TextUNet;
import io.difflab.kit.nn.TextUNetEstimator;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GLIDE family assembles its text-conditional ADM on real shapes-captions scenes (a caption
 * vocabulary learnt from them, the text transformer inside the U-Net, learned Σ, the cosine
 * schedule, classifier-free guidance), and its L_hybrid trains every part on a real batch with the
 * captions dropped to ∅ at p_uncond.
 */
class GlideFamilyTest {

    @TempDir
    static Path cache;

    private static ImageDataset train;

    @BeforeAll
    static void load() {
        train = TinyGlide.shapes(cache, Split.TRAIN, 256);
    }

    @Test
    void glideIsATextUNetWithLearnedVarianceOnTheCosineSchedule() {
        DiffusionModel model = TinyGlide.assemble(train, Map.of());
        EstimatorSpec spec = model.estimator().spec();
        assertTrue(spec.learnsVariance());
        assertEquals(List.of(TokenEncoder.CAPTION), spec.conditions().stream().map(c -> c.name()).toList());
        assertEquals(ConditionKind.TOKENS, spec.conditions().get(0).kind());
        assertEquals(VarianceType.LEARNED_RANGE, model.varianceType());
        double[] cosine = CosineSchedule.of(100).alphasCumprod();
        for (int t = 0; t < 100; t += 9) {
            assertEquals(cosine[t], model.schedule().alphaCumprod(t), 1e-12, "the cosine schedule at " + t);
        }
        TextUNet net = assertInstanceOf(TextUNet.class, model.estimator().block());
        TextTransformer text = assertInstanceOf(TextTransformer.class, net.getTextEncoder(TokenEncoder.CAPTION));
        assertEquals(TextTransformer.Pooling.LAST, text.pooling(), "GLIDE pools the last position");
        assertEquals(16, text.contextLength());
        assertTrue(net.getUNet().getContextWidth() == 32, "token states reach the attention layers as context");
        TrainableNetwork estimator = model.networks().get(0);
        HybridLossObjective loss = assertInstanceOf(HybridLossObjective.class, estimator.objective());
        assertEquals(0.001, loss.vlbWeight());
        assertEquals(0.2, new GlideFamily().options().get(0).defaultValue(), "p_uncond: GLIDE's 20%");
        assertEquals("classifier-free", new GlideFamily().defaults().get("guidance.name"));
    }

    @Test
    void lHybridOnARealCaptionedBatchReachesTheTextTransformer() {
        DiffusionModel model = TinyGlide.assemble(train, Map.of("model.p_uncond", 0.5));
        TrainableNetwork net = model.networks().get(0);
        List<ConditionEncoder> encoders = net.conditions();
        int[] rows = IntStream.range(0, 8).toArray();
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            net.block().initialize(m, DataType.FLOAT32, net.inputShapes());
            // ADM zero-initialises its output layers, which stops every gradient upstream at step 0; a
            // trained network's are not zero: give them small values so the gradient's path is tested
            net.block().getParameters().values().forEach(p -> {
                NDArray a = p.getArray();
                if (a.abs().sum().getFloat() == 0 && a.getShape().dimension() > 1) {
                    a.set(m.randomNormal(0, 0.02f, a.getShape(), a.getDataType()).toFloatArray());
                }
            });
            ParameterStore ps = new ParameterStore(m, false);
            float[] pixels = new float[8 * 3 * 32 * 32];
            for (int i = 0; i < 8; i++) {
                train.copyImage(i, pixels, i * 3 * 32 * 32);
            }
            NDArray images = m.create(pixels, train.shape().batch(8));
            Condition condition = Conditions.of(encoders, train, rows, m);
            assertTrue(condition.get(TokenEncoder.CAPTION).arrays().get(1).sum().getLong() > 8 * 3,
                    "real captions: several tokens each");
            Map<String, NDArray> extra = new HashMap<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = net.objective().loss(new TrainingBatch(m, images, condition, new SeededNoiseSource(5),
                        TrainedNetworks.NONE), in -> net.block().forward(ps, in, true), extra);
                assertTrue(Float.isFinite(loss.getFloat()) && loss.getFloat() > 0, "loss " + loss.getFloat());
                collector.backward(loss);
            }
            assertTrue(extra.keySet().containsAll(List.of("train.mse", "train.vlb", "train.dropped")), extra.toString());
            float dropped = extra.get("train.dropped").getFloat();
            assertTrue(dropped > 0 && dropped < 1, "about half the captions dropped to ∅: " + dropped);
            TextUNet block = (TextUNet) net.block();
            double textGradient = block.getTextEncoder(TokenEncoder.CAPTION).getParameters().stream()
                    .mapToDouble(p -> p.getValue().getArray().getGradient().abs().sum().getFloat()).sum();
            assertTrue(textGradient > 0, "the text transformer trains with the U-Net");
        }
    }

    @Test
    void aDatasetWithoutCaptionsIsRefused() {
        DatasetInfo unlabeled = new DatasetInfo(train.shape(), List.of(), Map.of());
        UserError e = assertThrows(UserError.class, () -> StandaloneAssembly.assemble(new GlideFamily(), unlabeled,
                TinyGlide.settings(), new TextUNetEstimator()));
        assertTrue(e.getMessage().contains("model 'glide' trains on captioned images"), e.getMessage());
        UserError bpe = assertThrows(UserError.class, () -> TinyGlide.assemble(train, Map.of("model.tokenizer",
                "clip-bpe")));
        assertTrue(bpe.getMessage().contains("tokenizer_vocabulary"), bpe.getMessage());
    }
}
