package io.difflab.plugins.gd;

import io.difflab.api.ImageShape;
import io.difflab.kit.nn.GroupNorm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The norm before the classifier's average pool keeps at least 16 channels per group. */
class NoiseAwareClassifierTest {

    @Test
    void thePoolNormHasTheReferences32GroupsOnlyWhereEachHoldsAtLeast16Channels() {
        assertEquals(1, NoiseAwareClassifier.poolNormGroups(8));
        assertEquals(1, NoiseAwareClassifier.poolNormGroups(16));
        assertEquals(1, NoiseAwareClassifier.poolNormGroups(24));
        assertEquals(2, NoiseAwareClassifier.poolNormGroups(32));
        assertEquals(4, NoiseAwareClassifier.poolNormGroups(64));
        assertEquals(16, NoiseAwareClassifier.poolNormGroups(256));
        // guided-diffusion's classifiers end with >= 512 channels: GroupNorm32 there
        assertEquals(32, NoiseAwareClassifier.poolNormGroups(512));
        assertEquals(32, NoiseAwareClassifier.poolNormGroups(1024));
    }

    @Test
    void aNarrowClassifierNormalisesAllItsFinalChannelsTogether() {
        NoiseAwareClassifier c = NoiseAwareClassifier.builder().setImageShape(new ImageShape(1, 28, 28))
                .setNumClasses(10).optBaseChannels(8).optChannelMult(List.of(1, 2, 2)).optNumHeadChannels(8).build();
        GroupNorm norm = (GroupNorm) c.getChildren().get("03out_norm");
        assertEquals(1, norm.getNumGroups(), "16 final channels, one group");
    }
}
