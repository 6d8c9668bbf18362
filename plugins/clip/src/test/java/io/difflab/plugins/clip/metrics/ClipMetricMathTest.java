package io.difflab.plugins.clip.metrics;

import io.difflab.kit.clip.ClipFeatures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClipMetricMathTest {

    private static float[] unit(double angle) {
        return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
    }

    @Test
    void clipScoreIsHundredTimesThePositiveCosine() {
        // cos 60° = 0.5 -> 50; cos 120° < 0 -> 0 (Hessel et al. 2021: max(cos, 0))
        float[][] images = {unit(0), unit(0)};
        float[][] texts = {unit(Math.PI / 3), unit(2 * Math.PI / 3)};
        assertEquals((50 + 0) / 2.0, ClipScoreMetric.score(images, texts), 1e-4);
    }

    @Test
    void recallAtOneCountsTheSameCaptionAsRight() {
        // item 0 and 2 share a caption; item 1's nearest key is item 0's
        float[][] queries = {unit(0), unit(0.1), unit(2)};
        float[][] keys = {unit(2), unit(1.5), unit(0.05)};
        List<String> captions = List.of("a red circle", "a blue square", "a red circle");
        // query 0 -> key 2 ("a red circle": right), query 1 -> key 2 (wrong), query 2 -> key 0 (right)
        assertEquals(2.0 / 3, RetrievalMetric.recallAtOne(queries, keys, captions), 1e-9);
    }

    @Test
    void zeroShotTakesTheNearestMeanDirection() {
        float[] a = ClipFeatures.meanDirection(List.of(unit(0.1), unit(-0.1)));
        assertArrayEquals(unit(0), a, 1e-6f);
        float[] b = ClipFeatures.meanDirection(List.of(unit(Math.PI / 2)));
        assertEquals(1, ZeroShotMetric.nearest(unit(1.2), List.of(a, b)));
        assertEquals(0, ZeroShotMetric.nearest(unit(0.3), List.of(a, b)));
    }
}
