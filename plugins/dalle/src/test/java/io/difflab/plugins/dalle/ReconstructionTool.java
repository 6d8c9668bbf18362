package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.difflab.api.Config;
import io.difflab.api.ImageDataset;
import io.difflab.api.Model;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.datasets.shapes.ShapesCaptionsProvider;
import io.difflab.host.run.SampleGrid;
import io.difflab.host.spec.SpecYaml;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.TrainingSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * On demand: the dVAE reconstructions of a finished DALL-E run on shapes-captions (its averaged
 * weights from {@code checkpoints/dvae/}): the first test images in odd rows, their decoded argmax
 * tokens below them, and the mean squared error and codebook perplexity over 1000 test images.
 * {@code ./mvnw -pl plugins/dalle -am test -Dtest=ReconstructionTool -Ddalle.run=runs/dalle-shapes-...
 * -Ddalle.out=reports/dalle/reconstructions.png}
 */
class ReconstructionTool {

    private static final int SHOWN = 16;
    private static final int MEASURED = 1000;

    @Test
    @SuppressWarnings("unchecked")
    void writeTheReconstructions() throws IOException {
        String runProperty = System.getProperty("dalle.run");
        Assumptions.assumeTrue(runProperty != null, "a tool: give -Ddalle.run=<run folder>");
        Path run = Path.of(runProperty);
        Map<String, Object> spec = (Map<String, Object>) SpecYaml.load(Files.readString(run.resolve("spec.yaml")));
        Map<String, Object> values = new LinkedHashMap<>();
        ((Map<String, Object>) spec.get("model")).forEach((k, v) -> values.put("model." + k, v));
        values.remove("model.name");
        ShapesCaptionsProvider provider = new ShapesCaptionsProvider();
        Map<String, Object> datasetValues = new LinkedHashMap<>((Map<String, Object>) spec.get("dataset"));
        datasetValues.remove("name");
        Config dataset = Config.of("dataset", provider.options(), datasetValues);
        ImageDataset train = provider.load(dataset, Split.TRAIN);
        ImageDataset test = provider.load(dataset, Split.TEST);
        Model model = StandaloneAssembly.assemble(new DalleFamily(), train, values);
        TrainableNetwork network = model.networks().get(0);
        DiscreteVae dvae = (DiscreteVae) network.block();
        try (NDManager m = NDManager.newBaseManager()) {
            dvae.initialize(m, DataType.FLOAT32, network.inputShapes());
            TrainingSession session = new TrainingSession(dvae, m);
            session.restoreWeights(new CheckpointStore(run.resolve("checkpoints/dvae"), 2).latest().orElseThrow());
            // the averaged weights, as sampling uses them; -Ddalle.weights=raw for the last optimizer step's
            ParameterStore averaged = "raw".equals(System.getProperty("dalle.weights"))
                    ? new ParameterStore(m, false) : session.ema().parameterStore(m);
            NDArray shown = test.images(m, IntStream.range(0, SHOWN).toArray());
            NDArray decoded = reconstruct(dvae, averaged, shown);
            NDList rows = new NDList();
            for (int r = 0; r < SHOWN; r += 8) {
                rows.add(shown.get("{}:{}", r, r + 8));
                rows.add(decoded.get("{}:{}", r, r + 8));
            }
            String out = System.getProperty("dalle.out", run.resolve("reconstructions.png").toString());
            SampleGrid.write(ai.djl.ndarray.NDArrays.concat(rows), 8, 3, Path.of(out));
            double mse = 0;
            for (int from = 0; from < MEASURED; from += 100) {
                try (NDManager sub = m.newSubManager()) {
                    NDArray x = test.images(sub, IntStream.range(from, from + 100).toArray());
                    mse += reconstruct(dvae, averaged, x).sub(x).square().mean().getFloat() / (MEASURED / 100);
                }
            }
            System.out.printf("dVAE reconstructions of %s: %s; MSE over %d test images %.5f (images in [-1, 1])%n",
                    run, out, MEASURED, mse);
        }
    }

    /** Images decoded from the argmax of their codes, as the transformer sees them. */
    private static NDArray reconstruct(DiscreteVae dvae, ParameterStore weights, NDArray images) {
        NDArray logits = dvae.encode(weights, images, false);
        long n = images.getShape().get(0);
        NDArray tokens = logits.argMax(1).reshape(n, (long) dvae.gridHeight() * dvae.gridWidth());
        return dvae.decodeTokens(weights, tokens);
    }
}
