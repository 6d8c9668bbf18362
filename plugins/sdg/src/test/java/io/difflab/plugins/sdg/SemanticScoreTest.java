package io.difflab.plugins.sdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.ConditionKind;
import io.difflab.api.DiffusionSchedule;
import io.difflab.kit.clip.TrainedClip;
import io.difflab.kit.engine.Scalars;
import io.difflab.kit.guidance.ScoreGradient;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.text.WordVocabulary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each SDG score through a tiny noise-aware CLIP with random weights: its autograd gradient against
 * central finite differences along random directions, and its closed-form value where x_t equals the
 * noised reference x'_t (cos = 1, no structure or style difference).
 */
class SemanticScoreTest {

    private static final int TIMESTEP = 17;
    private static final Shape SHAPE = new Shape(2, 3, 8, 8);
    private static final DiffusionSchedule SCHEDULE = CosineSchedule.of(TinyNoisedClip.T);

    private final NDManager manager = NDManager.newBaseManager();
    private final TrainedClip clip = TinyNoisedClip.model(manager);
    private final NDArray reference = random(1);
    private final float[] noise = random(2).toFloatArray();

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) SHAPE.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.max(-1, Math.min(1, r.nextGaussian() * 0.6));
        }
        return manager.create(v, SHAPE);
    }

    private Condition condition() {
        try (WordVocabulary vocabulary = TinyNoisedClip.vocabulary()) {
            NDList tokens = vocabulary.encode(manager, java.util.List.of("a red circle", "two blue squares"));
            return Condition.none().with(SemanticScore.CAPTION, new Condition.Entry(ConditionKind.TOKENS, tokens))
                    .with(SemanticScore.REFERENCE, new Condition.Entry(ConditionKind.IMAGE, new NDList(reference)));
        }
    }

    /** A score whose reference noise ε' is the same at every call, so F is a function of x_t alone. */
    private SemanticScore score(SemanticTerm term) {
        return new SemanticScore(clip, Map.of(term, 1.0), new NoisedReference(SCHEDULE, new FixedNoise(noise)));
    }

    private float[] f(SemanticScore score, NDArray x) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray copy = x.duplicate();
            copy.attach(sub);
            return score.score(copy, TIMESTEP, condition()).toFloatArray();
        }
    }

    @Test
    void everyTermsGradientMatchesFiniteDifferences() {
        for (SemanticTerm term : SemanticTerm.values()) {
            SemanticScore score = score(term);
            NDArray x = random(3);
            NDArray gradient = ScoreGradient.of(score, x, TIMESTEP, condition());
            assertEquals(SHAPE, gradient.getShape());
            assertTrue(gradient.norm().getFloat() > 1e-4, term + ": the gradient reaches x_t");
            for (long seed = 10; seed < 13; seed++) {
                NDArray v = random(seed);
                double h = 1e-2;
                float[] plus = f(score, x.add(Scalars.mul(v, h)));
                float[] minus = f(score, x.sub(Scalars.mul(v, h)));
                float[] along = gradient.mul(v).reshape(2, -1).sum(new int[] {1}).toFloatArray();
                for (int i = 0; i < 2; i++) {
                    double fd = (plus[i] - minus[i]) / (2 * h);
                    double tolerance = 0.03 * Math.abs(fd) + 2e-3 * Math.max(1, Math.abs(plus[i]));
                    assertEquals(fd, along[i], tolerance, term + ", sample " + i + ", direction " + seed
                            + ": <grad F, v> against (F(x + hv) − F(x − hv)) / 2h");
                }
            }
        }
    }

    @Test
    void atTheNoisedReferenceItselfTheImageScoresTakeTheirMaxima() {
        // ε' chosen so that q_sample(x'_0, t) = x_t exactly: √ᾱ x'_0 + √(1 − ᾱ) ε' = x
        double alphaBar = SCHEDULE.alphaCumprod(TIMESTEP);
        NDArray x = random(4);
        NDArray epsilon = Scalars.div(x.sub(Scalars.mul(reference, Math.sqrt(alphaBar))), Math.sqrt(1 - alphaBar));
        NoisedReference same = new NoisedReference(SCHEDULE, new FixedNoise(epsilon.toFloatArray()));
        float[] semantic = f(new SemanticScore(clip, Map.of(SemanticTerm.SEMANTIC, 1.0), same), x);
        float[] style = f(new SemanticScore(clip, Map.of(SemanticTerm.STYLE, 1.0), same), x);
        float[] structure = f(new SemanticScore(clip, Map.of(SemanticTerm.STRUCTURE, 1.0), same), x);
        assertArrayEquals(new float[] {1, 1}, semantic, 1e-5f, "cos(E_I(x_t), E_I(x_t)) = 1");
        assertArrayEquals(new float[] {0, 0}, style, 1e-3f, "no Gram difference");
        assertArrayEquals(new float[] {0, 0}, structure, 1e-6f, "no feature difference");
        // elsewhere they are lower
        float[] away = f(score(SemanticTerm.SEMANTIC), x);
        float[] awayStyle = f(score(SemanticTerm.STYLE), x);
        for (int i = 0; i < 2; i++) {
            assertTrue(away[i] < 1 - 1e-4, "cos < 1 away from the reference: " + away[i]);
            assertTrue(awayStyle[i] < -1e-3, "a style difference away from the reference: " + awayStyle[i]);
        }
    }

    @Test
    void imagesOfAnotherSizeThanTheClipReadsAreRefusedNamingBoth() {
        NDArray small = manager.zeros(new Shape(2, 3, 4, 4));
        io.difflab.api.UserError e = org.junit.jupiter.api.Assertions.assertThrows(io.difflab.api.UserError.class,
                () -> score(SemanticTerm.LANGUAGE).score(small, TIMESTEP, condition()));
        assertTrue(e.getMessage().contains("8x8") && e.getMessage().contains("4x4"), e.getMessage());
    }

    @Test
    void languageIsTheCosineOfTheNoisedImageAndTheCaptionAndAMixIsTheWeightedSum() {
        NDArray x = random(5);
        NDArray t = manager.full(new Shape(2), TIMESTEP).toType(ai.djl.ndarray.types.DataType.INT32, false);
        NDList tokens = condition().get(SemanticScore.CAPTION).arrays();
        NDArray image = clip.encodeNoisedImage(x, t);
        NDArray text = clip.encodeText(tokens.get(0), tokens.get(1));
        float[] expected = new float[2];
        for (int i = 0; i < 2; i++) {
            float[] a = image.get(i).toFloatArray();
            float[] b = text.get(i).toFloatArray();
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int k = 0; k < a.length; k++) {
                dot += a[k] * b[k];
                na += a[k] * a[k];
                nb += b[k] * b[k];
            }
            expected[i] = (float) (dot / Math.sqrt(na * nb));
        }
        float[] language = f(score(SemanticTerm.LANGUAGE), x);
        assertArrayEquals(expected, language, 1e-5f);
        float[] semantic = f(score(SemanticTerm.SEMANTIC), x);
        float[] structure = f(score(SemanticTerm.STRUCTURE), x);
        SemanticScore mix = new SemanticScore(clip, Map.of(SemanticTerm.LANGUAGE, 2.0, SemanticTerm.SEMANTIC, 0.5,
                SemanticTerm.STRUCTURE, 3.0), new NoisedReference(SCHEDULE, new FixedNoise(noise)));
        float[] mixed = f(mix, x);
        for (int i = 0; i < 2; i++) {
            assertEquals(2 * language[i] + 0.5 * semantic[i] + 3 * structure[i], mixed[i], 1e-5);
        }
    }
}
