package io.difflab.kit.clip;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.difflab.api.TokenBatch;
import io.difflab.api.UserError;
import io.difflab.kit.text.ClipBpeVocabulary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny CLIP saved as TorchScript by {@code tools/clip/make_tiny_clip.py} (PyTorch 1.13), with
 * the interface of OpenAI's released files, gives through DJL's PyTorch engine (2.7.1) the
 * features, logits and input gradient PyTorch wrote for the same inputs; its token rows are those
 * the clip-bpe tokenizer makes from the committed vocabulary sample.
 */
class TorchScriptClipTest {

    /** Largest difference accepted, relative to the largest expected magnitude: float32 round-off
     * between the two PyTorch versions' kernels, far below any real error. */
    private static final float TOLERANCE = 1e-5f;

    private static TorchScriptClip clip;
    private static JsonObject expected;

    static Path resource(String name) {
        try {
            return Path.of(TorchScriptClipTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void load() throws IOException {
        clip = TorchScriptClip.load(resource("tiny-clip.pt"), Device.cpu());
        try (InputStream in = TorchScriptClipTest.class.getResourceAsStream("tiny-clip-expected.json")) {
            expected = JsonUtils.GSON.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), JsonObject.class);
        }
    }

    @AfterAll
    static void close() {
        clip.close();
    }

    private static float[] floats(String key) {
        JsonElement e = expected.get(key);
        float[] v = new float[e.getAsJsonArray().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = e.getAsJsonArray().get(i).getAsFloat();
        }
        return v;
    }

    /** image[n, c, y, x] = sin(0.3 (n + 1) + 0.7 c + 0.11 y − 0.05 x), as the script makes it. */
    private static NDArray images(NDManager m, int n, int r) {
        float[] v = new float[n * 3 * r * r];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < r; y++) {
                    for (int x = 0; x < r; x++) {
                        v[k++] = (float) Math.sin(0.3 * (i + 1) + 0.7 * c + 0.11 * y - 0.05 * x);
                    }
                }
            }
        }
        return m.create(v, new Shape(n, 3, r, r));
    }

    private static NDArray tokenRows(NDManager m) {
        List<String> texts = new ArrayList<>();
        expected.getAsJsonArray("texts").forEach(t -> texts.add(t.getAsString()));
        Path sample = Path.of(resource("tiny-clip.pt").getParent().getParent().resolve("text")
                .resolve("clip-bpe-sample.tokenizer.json").toString());
        try (ClipBpeVocabulary v = ClipBpeVocabulary.load(sample, clip.contextLength())) {
            TokenBatch batch = v.encode(texts);
            int[] written = StreamSupport.stream(expected.getAsJsonArray("text_ids").spliterator(), false)
                    .flatMap(row -> StreamSupport.stream(row.getAsJsonArray().spliterator(), false))
                    .mapToInt(JsonElement::getAsInt).toArray();
            assertArrayEquals(written, batch.ids(), "the Java tokenizer makes the rows the script used");
            return batch.idsArray(m);
        }
    }

    private static void assertClose(float[] want, NDArray got, String what) {
        float[] have = got.toFloatArray();
        assertEquals(want.length, have.length, what);
        float scale = 0;
        for (float w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], have[i], TOLERANCE * scale, what + " [" + i + "]");
        }
    }

    @Test
    void theGeometryAndTemperatureComeFromTheFile() {
        assertEquals(new ClipGeometry(32, 77, 2514, 8), clip.geometry());
        assertEquals(expected.get("input_resolution").getAsInt(), clip.inputResolution());
        assertEquals(expected.get("context_length").getAsInt(), clip.contextLength());
        assertEquals(expected.get("embed_dim").getAsInt(), clip.embeddingSize());
        assertEquals(expected.get("logit_scale").getAsDouble(), clip.logitScale(), 1e-6);
        assertEquals(Math.log(1 / 0.07), clip.logitScale(), 1e-6, "CLIP's initial temperature");
    }

    @Test
    void featuresAndLogitsEqualPyTorchs() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = images(m, 2, clip.inputResolution());
            NDArray text = tokenRows(m);
            NDArray imageFeatures = clip.encodeImage(image);
            NDArray textFeatures = clip.encodeText(text);
            assertEquals(new Shape(2, 8), imageFeatures.getShape());
            assertEquals(new Shape(3, 8), textFeatures.getShape());
            assertClose(floats("image_features"), imageFeatures, "encode_image");
            assertClose(floats("text_features"), textFeatures, "encode_text");
            assertClose(floats("logits_per_image"), clip.logits(imageFeatures, textFeatures), "logits (Java)");
            NDList forward = clip.forward(image, text);
            assertClose(floats("logits_per_image"), forward.get(0), "forward: logits_per_image");
            assertClose(floats("logits_per_text"), forward.get(1), "forward: logits_per_text");
        }
    }

    @Test
    void gradientsReachTheImages() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = images(m, 2, clip.inputResolution());
            image.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(clip.encodeImage(image).square().sum());
            }
            assertClose(floats("image_gradient_of_sum_of_squared_features"), image.getGradient(), "d/dx Σ f(x)²");
        }
    }

    @Test
    void theOutputsCanEnterATrainingGraph() {
        // features computed outside a collector are ordinary tensors: a trained layer may consume them
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray features = clip.encodeText(tokenRows(m));
            NDArray weight = m.ones(new Shape(8, 1));
            weight.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(features.matMul(weight).sum());
            }
            assertClose(features.sum(new int[] {0}).toFloatArray(), weight.getGradient().reshape(8), "dW");
        }
    }

    @Test
    void aFileThatIsNotClipIsTheUsersError() {
        UserError missing = assertThrows(UserError.class,
                () -> TorchScriptClip.load(resource("tiny-clip.pt").resolveSibling("none.pt"), Device.cpu()));
        assertTrue(missing.getMessage().startsWith("no CLIP TorchScript file at "), missing.getMessage());
        UserError json = assertThrows(UserError.class,
                () -> TorchScriptClip.load(resource("tiny-clip-expected.json"), Device.cpu()));
        assertTrue(json.getMessage().contains("as TorchScript"), json.getMessage());
    }
}
