package io.difflab.plugins.sdg;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionKind;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.ImageShape;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.UserError;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.clip.LoadedClip;
import io.difflab.kit.guidance.ScoreGradient;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.text.WordVocabulary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heads as the guidance extension point uses them: the conditions each declares, the CLIP loaded
 * by reference, the gradient at the step's original timestep with the reference noised by the run's
 * seeded noise, and the refusals (no weight, a CLIP that reads clean images, another forward process).
 */
class SemanticGuidanceTest {

    private static final DatasetInfo DATASET = new DatasetInfo(new ImageShape(3, 8, 8), List.of(),
            Map.of(ConditionFields.CAPTION, String.class));
    private static final long SEED = 42;

    private final NDManager manager = NDManager.newBaseManager();

    @TempDir
    Path runs;

    @AfterEach
    void close() {
        manager.close();
    }

    private static Config config(SemanticGuidance head, Map<String, Object> values) {
        return Config.of("guidance", head.options(), values);
    }

    @Test
    void eachHeadDeclaresWhatItComparesWithAndNeedsNoTrainedNetwork() throws Exception {
        Path run = TinyNoisedClip.writeRun(runs.resolve("clip-20250101-120000"), manager, TinyNoisedClip.T);
        Map<String, Object> clip = Map.of("clip", run.toString());
        SemanticGuidance language = new LanguageGuidance(TinyNoisedClip.REGISTRY);
        List<ConditionEncoder> captions = language.conditions(config(language, clip), DATASET);
        assertEquals(1, captions.size());
        assertEquals(List.of(SemanticScore.CAPTION, ConditionFields.CAPTION, ConditionKind.TOKENS),
                List.of(captions.get(0).name(), captions.get(0).field(), captions.get(0).kind()));
        // the captions are tokens of the CLIP's own vocabulary
        try (WordVocabulary vocabulary = TinyNoisedClip.vocabulary()) {
            NDList encoded = captions.get(0).encode(List.of("two blue squares"), manager);
            assertArrayEquals(vocabulary.encode("two blue squares"), encoded.get(0).toIntArray());
        }
        for (SemanticGuidance image : List.of(new ImageSemanticGuidance(TinyNoisedClip.REGISTRY),
                new ImageStructureGuidance(TinyNoisedClip.REGISTRY), new ImageStyleGuidance(TinyNoisedClip.REGISTRY))) {
            List<ConditionEncoder> references = image.conditions(config(image, clip), DATASET);
            assertEquals(1, references.size(), image.name());
            assertEquals(List.of(SemanticScore.REFERENCE, ConditionFields.REFERENCE_IMAGE, ConditionKind.IMAGE),
                    List.of(references.get(0).name(), references.get(0).field(), references.get(0).kind()));
            assertTrue(image.requiredNetworks(config(image, clip)).isEmpty());
        }
        SemanticGuidance mix = new MultimodalGuidance(TinyNoisedClip.REGISTRY);
        Config both = config(mix, Map.of("clip", run.toString(), "language", 1.0, "style", 0.01));
        assertEquals(List.of(SemanticScore.CAPTION, SemanticScore.REFERENCE),
                mix.conditions(both, DATASET).stream().map(ConditionEncoder::name).toList());
        assertEquals(new GuidanceCost(1, 1), mix.cost(both));
        assertEquals(GuidanceCost.UNGUIDED, mix.cost(config(mix, Map.of("clip", "x", "language", 1.0, "scale", 0.0))));
        UserError none = assertThrows(UserError.class, () -> mix.conditions(config(mix, clip), DATASET));
        assertTrue(none.getMessage().contains("at least one weight"), none.getMessage());
    }

    @Test
    void theGradientIsTakenAtTheOriginalTimestepWithTheRunsSeededReferenceNoise() throws Exception {
        Path run = TinyNoisedClip.writeRun(runs.resolve("clip-20250101-120000"), manager, TinyNoisedClip.T);
        DiffusionSchedule full = CosineSchedule.of(TinyNoisedClip.T);
        DiffusionSchedule respaced = full.respace(new int[] {0, 12, 25, 37, 49});
        SemanticGuidance head = new ImageSemanticGuidance(TinyNoisedClip.REGISTRY);
        double scale = 7.0;
        Config config = config(head, Map.of("clip", run.toString(), "scale", scale));
        NDArray zeros = manager.zeros(new Shape(2, 3, 8, 8));
        Denoiser base = (xt, t, condition) -> DenoiserOutput.of(zeros);
        Denoiser guided = head.wrap(base, new GuidanceContext(config, respaced, TrainedNetworks.NONE, Device.cpu(), SEED));
        NDArray x = manager.randomNormal(new Shape(2, 3, 8, 8));
        NDArray reference = manager.randomUniform(-1, 1, new Shape(2, 3, 8, 8));
        Condition condition = Condition.none().with(SemanticScore.REFERENCE,
                new Condition.Entry(ConditionKind.IMAGE, new NDList(reference)));
        int step = 2;
        DenoiserOutput out = guided.predict(x, step, condition);
        // DDIM's form ε − √(1 − ᾱ_t)·g with ε = 0 and √(1 − ᾱ_t) = 1 gives −g
        float[] g = out.guidance().conditionScore(zeros, 1.0).neg().toFloatArray();
        try (LoadedClip clip = ClipReference.load(run.toString(), TinyNoisedClip.REGISTRY, Device.cpu())) {
            SemanticScore same = new SemanticScore(clip.model(), Map.of(SemanticTerm.SEMANTIC, 1.0),
                    NoisedReference.seeded(full, SEED));
            float[] expected = ScoreGradient.of(same, x, 25, condition).mul(scale).toFloatArray();
            assertArrayEquals(expected, g, 1e-5f, "s·∇F at t = 25 with the reference noised by the run's first draw");
            SemanticScore otherSeed = new SemanticScore(clip.model(), Map.of(SemanticTerm.SEMANTIC, 1.0),
                    NoisedReference.seeded(full, SEED + 1));
            float[] other = ScoreGradient.of(otherSeed, x, 25, condition).mul(scale).toFloatArray();
            assertTrue(maxDifference(other, g) > 1e-4, "another seed noises the reference differently");
        }
        // the ancestral form adds Σ·g to the mean
        NDArray variance = manager.full(new Shape(2, 3, 8, 8), 0.5f);
        assertArrayEquals(manager.create(g).mul(0.5).toFloatArray(),
                out.guidance().conditionMean(zeros, variance).toFloatArray(), 1e-6f);
    }

    @Test
    void aClipOfCleanImagesOrOfAnotherForwardProcessIsRefused() throws Exception {
        Path clean = TinyNoisedClip.writeRun(runs.resolve("clean-20250101-120000"), manager, 0);
        Path noised = TinyNoisedClip.writeRun(runs.resolve("noised-20250101-120000"), manager, TinyNoisedClip.T);
        SemanticGuidance head = new LanguageGuidance(TinyNoisedClip.REGISTRY);
        Denoiser base = (xt, t, condition) -> DenoiserOutput.of(xt);
        UserError cleanOnly = assertThrows(UserError.class, () -> head.wrap(base, new GuidanceContext(
                config(head, Map.of("clip", clean.toString())), CosineSchedule.of(TinyNoisedClip.T),
                TrainedNetworks.NONE, Device.cpu(), SEED)));
        assertTrue(cleanOnly.getMessage().contains("noise_aware"), cleanOnly.getMessage());
        UserError linear = assertThrows(UserError.class, () -> head.wrap(base, new GuidanceContext(
                config(head, Map.of("clip", noised.toString())), LinearSchedule.of(TinyNoisedClip.T),
                TrainedNetworks.NONE, Device.cpu(), SEED)));
        assertTrue(linear.getMessage().contains("cosine:50") && linear.getMessage().contains("another forward process"),
                linear.getMessage());
        // the run name finds the newest finished run
        Denoiser ok = head.wrap(base, new GuidanceContext(config(head, Map.of("clip", runs.resolve("noised").toString())),
                CosineSchedule.of(TinyNoisedClip.T), TrainedNetworks.NONE, Device.cpu(), SEED));
        assertTrue(ok != null);
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
