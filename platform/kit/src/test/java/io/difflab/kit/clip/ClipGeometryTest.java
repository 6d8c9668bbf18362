package io.difflab.kit.clip;

import ai.djl.ndarray.types.Shape;
import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sizes of OpenAI's released CLIPs follow from their parameter shapes (Radford et al. 2021, Table 19/20). */
class ClipGeometryTest {

    @Test
    void vitB32() {
        // width 768, 32x32 patches of a 224x224 image: 7x7 + 1 positions; text width 512, E = 512
        assertEquals(new ClipGeometry(224, 77, 49408, 512), ClipGeometry.of(Map.of(
                "positional_embedding", new Shape(77, 512),
                "token_embedding.weight", new Shape(49408, 512),
                "text_projection", new Shape(512, 512),
                "visual.conv1.weight", new Shape(768, 3, 32, 32),
                "visual.positional_embedding", new Shape(50, 768))));
    }

    @Test
    void vitL14At336() {
        // 14x14 patches of 336x336: 24x24 + 1 positions; E = 768
        assertEquals(new ClipGeometry(336, 77, 49408, 768), ClipGeometry.of(Map.of(
                "positional_embedding", new Shape(77, 768),
                "token_embedding.weight", new Shape(49408, 768),
                "text_projection", new Shape(768, 768),
                "visual.conv1.weight", new Shape(1024, 3, 14, 14),
                "visual.positional_embedding", new Shape(577, 1024))));
    }

    @Test
    void resNet50() {
        // the attention pool sees the 7x7 map of a 224x224 image (stride 32) plus its mean; E = 1024
        assertEquals(new ClipGeometry(224, 77, 49408, 1024), ClipGeometry.of(Map.of(
                "positional_embedding", new Shape(77, 512),
                "token_embedding.weight", new Shape(49408, 512),
                "text_projection", new Shape(512, 1024),
                "visual.conv1.weight", new Shape(32, 3, 3, 3),
                "visual.attnpool.positional_embedding", new Shape(50, 2048))));
    }

    @Test
    void aModelWithoutCLIPsParametersIsNamed() {
        UserError e = assertThrows(UserError.class, () -> ClipGeometry.of(Map.of("weight", new Shape(3, 3))));
        assertTrue(e.getMessage().startsWith("not a CLIP: it has no parameter positional_embedding"), e.getMessage());
    }
}
