package io.difflab.plugins.glide;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.ConditionKind;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.StepGuidance;
import io.difflab.api.UserError;
import io.difflab.kit.clip.ClipArchitecture;
import io.difflab.kit.clip.ClipNetwork;
import io.difflab.kit.clip.LoadedClip;
import io.difflab.kit.clip.TrainedClip;
import io.difflab.kit.guidance.ScoreGradient;
import io.difflab.kit.guidance.ScoreGuidance;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.nn.TextTransformer;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.text.WordVocabulary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GLIDE's CLIP guidance with a small noise-aware CLIP (random weights): F = e^τ·f̂(x_t, t)·ĝ(c) in
 * closed form, its autograd gradient against central finite differences of F, the ancestral mean
 * moved by s·Σ·∇F, the empty caption unguided, and a CLIP of another forward process refused.
 */
class ClipGuidanceTest {

    private static final List<String> CAPTIONS = List.of("two red circles", "a blue square left of a green star");

    private NDManager manager;
    private LoadedClip loaded;

    @BeforeEach
    void clip() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(7);
        WordVocabulary vocabulary = WordVocabulary.build(CAPTIONS, 1, 0, 12);
        ClipArchitecture a = new ClipArchitecture(3, 16, 8, 16, 1, 2, 100, "cosine", vocabulary.size(), 12, 16, 1, 2,
                true, TextTransformer.Pooling.END_TOKEN, 8, "word", "vocabulary.txt");
        ClipNetwork network = new ClipNetwork(a);
        network.initialize(manager, DataType.FLOAT32, network.inputShapes(1));
        loaded = new LoadedClip(new TrainedClip(network, new ParameterStore(manager, false), vocabulary.endId()),
                vocabulary, "a test CLIP", List.of());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Condition embeddings(List<String> captions) {
        NDList text = new ClipTextEmbedding(device -> loaded).encode(captions, manager);
        return Condition.of(Map.of(ClipTextEmbedding.NAME, new Condition.Entry(ConditionKind.EMBEDDING, text)));
    }

    @Test
    void theScoreIsTheScaledCosineOfTheNoisedImageAndTheCaption() {
        Condition c = embeddings(Arrays.asList(CAPTIONS.get(0), ""));
        NDArray g = c.get(ClipTextEmbedding.NAME).arrays().get(0);
        assertEquals(1.0, g.get(0).norm().getFloat(), 1e-5, "ĝ is normalised");
        assertEquals(0.0, g.get(1).abs().sum().getFloat(), 0.0, "the empty caption is ∅, a zero row");

        NDArray xt = manager.randomNormal(new Shape(2, 3, 16, 16));
        NDArray f = loaded.model().encodeNoisedImage(xt, manager.create(new int[] {30, 30}));
        NDArray fHat = f.div(f.norm(new int[] {1}, true));
        double expected = Math.exp(loaded.model().logitScale()) * fHat.get(0).mul(g.get(0)).sum().getFloat();
        NDArray score = new NoisedClipScore(loaded.model(), ClipTextEmbedding.NAME).score(xt, 30, c);
        assertEquals(expected, score.getFloat(0), 1e-4);
        assertEquals(0.0, score.getFloat(1), 0.0, "no score, so no guidance, for ∅");
    }

    @Test
    void theMeanMovesBySigmaTimesTheScaledGradientWhichMatchesFiniteDifferences() {
        Condition c = embeddings(CAPTIONS);
        NoisedClipScore score = new NoisedClipScore(loaded.model(), ClipTextEmbedding.NAME);
        NDArray xt = manager.randomNormal(new Shape(2, 3, 16, 16));
        int timestep = 55;
        NDArray gradient = ScoreGradient.of(score, xt, timestep, c);
        double h = 1e-2;
        for (NDArray direction : List.of(gradient.div(gradient.norm()), unit(manager.randomNormal(xt.getShape())))) {
            double plus = score.score(xt.add(direction.mul(h)), timestep, c).sum().getFloat();
            double minus = score.score(xt.sub(direction.mul(h)), timestep, c).sum().getFloat();
            double finite = (plus - minus) / (2 * h);
            double analytic = gradient.mul(direction).sum().getFloat();
            assertEquals(analytic, finite, 0.02 * Math.abs(analytic) + 2e-3, "directional derivative of F");
        }
        assertTrue(gradient.norm().getFloat() > 1e-3, "F depends on x_t");

        // μ̂ = μ + s·Σ·∇_x F (Nichol et al. 2021, eq. 3) through the kit's gradient guidance
        double s = 2.5;
        NDArray epsilon = manager.randomNormal(xt.getShape());
        Denoiser inner = (x, t, condition) -> new DenoiserOutput(epsilon, null, StepGuidance.NONE);
        DiffusionSchedule schedule = CosineSchedule.of(100).respace(new int[] {0, 25, 55, 99});
        DenoiserOutput out = ScoreGuidance.wrap(inner, score, s, schedule.timestepMap()).predict(xt, 2, c);
        NDArray mean = manager.randomNormal(xt.getShape());
        NDArray variance = manager.full(xt.getShape(), 0.3f);
        NDArray shifted = out.guidance().conditionMean(mean, variance);
        NDArray expected = mean.add(gradient.mul(0.3 * s));
        assertEquals(0, shifted.sub(expected).abs().max().getFloat(), 1e-4, "respaced step 2 is timestep 55");
    }

    @Test
    void aClipOfAnotherForwardProcessIsRefused() {
        Config config = new Config("guidance", Map.of());
        DiffusionSchedule clipSchedule = CosineSchedule.of(100);
        ClipGuidance.checkSameForwardProcess(config, loaded, clipSchedule,
                CosineSchedule.of(100).respace(new int[] {0, 50, 99}));
        UserError linear = assertThrows(UserError.class,
                () -> ClipGuidance.checkSameForwardProcess(config, loaded, clipSchedule, LinearSchedule.of(100)));
        assertTrue(linear.getMessage().contains("was noised by cosine:100"), linear.getMessage());
        assertThrows(UserError.class, () -> ClipGuidance.checkSameForwardProcess(config, loaded, clipSchedule,
                CosineSchedule.of(1000)));
        ClipGuidance head = new ClipGuidance(StandaloneAssembly.registry());
        Config blank = Config.of("guidance", head.options(), Map.of());
        UserError none = assertThrows(UserError.class, () -> head.conditions(blank, null));
        assertTrue(none.getMessage().startsWith("guidance.clip: CLIP guidance needs a noise-aware CLIP"),
                none.getMessage());
        UserError missing = assertThrows(UserError.class, () -> head.conditions(Config.of("guidance", head.options(),
                Map.of("clip", "/nonexistent/clip-noised")), null));
        assertTrue(missing.getMessage().startsWith("guidance.clip: no CLIP at '/nonexistent/clip-noised'"),
                missing.getMessage());
        assertEquals(1, head.cost(Config.of("guidance", head.options(), Map.of("clip", "x"))).gradientEvaluations());
    }

    private static NDArray unit(NDArray x) {
        return x.div(x.norm());
    }
}
