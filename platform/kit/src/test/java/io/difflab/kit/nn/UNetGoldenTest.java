package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.difflab.api.ImageShape;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The U-Nets without text conditioning are the networks they were before context tokens existed:
 * the same parameters (names, shapes, initial values to the bit: SHA-256 of their float32 bytes)
 * and the same outputs (within 1e-5; bit-identical on the machine the golden file was made on),
 * recorded in {@code unet-golden.txt} by this test run on the code before the change (set
 * {@code -Dunet.golden.write=<file>} to record). Variants: the quickstart's network, a
 * class-conditional one and one with every guided-diffusion switch.
 */
class UNetGoldenTest {

    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);

    private static UNetBuilder quickstart() {
        return UNet.builder().setImageShape(SHAPE).optBaseChannels(16).optChannelMult(List.of(1, 2, 2))
                .optNumResBlocks(1).optAttentionResolutions(List.of(7)).optNumHeads(4);
    }

    private static List<UNetBuilder> variants() {
        return List.of(quickstart(), quickstart().optNumClasses(10),
                quickstart().optOutChannels(2).optResblockUpdown(true).optUseScaleShiftNorm(true)
                        .optRescaleSkip(true).optNumHeadChannels(8).optDropout(0.1f));
    }

    @Test
    void parametersAndOutputsAreThoseRecordedBeforeContextTokens() throws Exception {
        List<String> lines = new ArrayList<>();
        int variant = 0;
        for (UNetBuilder b : variants()) {
            lines.addAll(record("v" + variant++, b));
        }
        String write = System.getProperty("unet.golden.write");
        if (write != null) {
            Files.write(Path.of(write), lines);
            return;
        }
        List<String> golden = golden();
        assertEquals(golden.size(), lines.size(), "as many parameters and outputs as recorded");
        for (int i = 0; i < golden.size(); i++) {
            String[] want = golden.get(i).split(" ");
            String[] got = lines.get(i).split(" ");
            if (want[0].equals("output")) {
                assertEquals(want[1], got[1]);
                for (int k = 2; k < want.length; k++) {
                    double w = Double.parseDouble(want[k]);
                    assertEquals(w, Double.parseDouble(got[k]), 1e-5 * Math.max(1, Math.abs(w)), lines.get(i));
                }
            } else {
                assertEquals(golden.get(i), lines.get(i), "parameter " + i);
            }
        }
    }

    /** One line per parameter (name, shape, hash of its initial values), then the output's summary. */
    private static List<String> record(String name, UNetBuilder builder) throws Exception {
        List<String> lines = new ArrayList<>();
        try (NDManager params = NDManager.newBaseManager(); NDManager caller = NDManager.newBaseManager()) {
            UNet unet = builder.build();
            boolean labels = unet.isConditional();
            Engine.getInstance().setRandomSeed(0);
            unet.initialize(params, DataType.FLOAT32, SHAPE.batch(2), new Shape(2), new Shape(2));
            for (Pair<String, Parameter> p : unet.getParameters()) {
                NDArray a = p.getValue().getArray();
                lines.add("param " + p.getKey() + " " + a.getShape() + " " + sha256(a.toFloatArray()));
            }
            // the zero-initialised layers set to fixed values, so the output carries signal
            for (Pair<String, Parameter> p : unet.getParameters()) {
                if (p.getValue().getInitializer() == ai.djl.training.initializer.Initializer.ZEROS) {
                    NDArray a = p.getValue().getArray();
                    a.set(fixed(a.size(), 0.05f));
                }
            }
            NDArray x = caller.create(fixed(2 * SHAPE.size(), 1f), SHAPE.batch(2));
            NDArray t = caller.create(new float[] {3, 700});
            NDArray y = caller.create(new int[] {4, -1});
            float[] out = unet.forward(new ParameterStore(params, false), x, t, labels ? y : null, false)
                    .toFloatArray();
            StringBuilder line = new StringBuilder("output " + name);
            double sum = 0;
            double sq = 0;
            for (float v : out) {
                sum += v;
                sq += (double) v * v;
            }
            line.append(String.format(Locale.ROOT, " %.9e %.9e", sum, sq));
            for (int i = 0; i < out.length; i += out.length / 16) {
                line.append(String.format(Locale.ROOT, " %.9e", out[i]));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** n values of scale·sin(0.37·i + 0.1), deterministic without a random generator. */
    private static float[] fixed(long n, float scale) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * Math.sin(0.37 * i + 0.1));
        }
        return v;
    }

    private static String sha256(float[] values) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }

    private static List<String> golden() throws IOException {
        try (InputStream in = UNetGoldenTest.class.getResourceAsStream("unet-golden.txt")) {
            assertNotNull(in, "unet-golden.txt");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
