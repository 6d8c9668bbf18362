package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import io.difflab.api.ConditionFields;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.NoiseSource;
import io.difflab.api.Progress;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.engine.PeakMemory;
import io.difflab.kit.nn.transformer.KeyValueCache;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.train.StepSeeds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DALL-E's sampling (Ramesh et al. 2021, sec. 2.2 and 2.5), batch by batch: each caption is
 * encoded and run through the transformer once (the cache then holds it), its cache rows are
 * repeated for N candidates, the M image tokens are drawn one at a time ({@link TokenSampling}),
 * each step one forward pass of one position with the key/value cache, and the dVAE decodes the
 * tokens (under the averaged weights of both). With N &gt; 1 the candidates of a caption are scored
 * ({@link CandidateScorer}) and the best kept.
 *
 * <p>Facts, in the diffusion models' terms: {@code sample.steps} = M tokens per image;
 * {@code sample.nfe} = N·M transformer forward passes per kept image (a candidate takes M: the
 * caption's pass, shared by the candidates and counted for each, then M − 1 single-position
 * passes); {@code sample.grad_evals} = 0; {@code sample.candidates} = N.
 */
final class DalleGenerator {

    /** Offsets the sampling noise streams from the training ones (as the diffusion models do). */
    static final long SAMPLING_STREAM = 1L << 40;

    private final DalleTransformer transformer;
    private final TokenEncoder captions;
    private final TokenSampling sampling;
    private final int candidates;
    private final CandidateScorer scorer;

    /** @param scorer the reranker, or {@code null} when {@code candidates} is 1 */
    DalleGenerator(DalleTransformer transformer, TokenEncoder captions, TokenSampling sampling, int candidates,
                   CandidateScorer scorer) {
        if (candidates > 1 && scorer == null) {
            throw new IllegalArgumentException("reranking " + candidates + " candidates needs a scorer");
        }
        this.transformer = transformer;
        this.captions = captions;
        this.sampling = sampling;
        this.candidates = candidates;
        this.scorer = scorer;
    }

    Generation generate(GenerationRequest request, String transformerName, String dvaeName) {
        ParameterStore transformerWeights = request.trained().get(transformerName).averaged();
        DiscreteVae dvae = (DiscreteVae) request.trained().get(dvaeName).block();
        ParameterStore dvaeWeights = request.trained().get(dvaeName).averaged();
        List<Object> requested = request.requested().get(ConditionFields.CAPTION);
        int count = request.count();
        int perBatch = Math.max(1, Math.min(count, request.batchSize() / candidates));
        int batchCount = (count + perBatch - 1) / perBatch;
        int tokens = transformer.imageTokens();
        NDManager manager = request.manager();
        NDList batches = new NDList();
        long started = System.nanoTime();
        try (Progress bar = request.progress().start("sample", (long) batchCount * tokens, "token")) {
            for (int b = 0; b < batchCount; b++) {
                int from = b * perBatch;
                int n = Math.min(perBatch, count - from);
                List<Object> texts = requested.subList(from, from + n);
                try (NDManager sub = manager.newSubManager()) {
                    NoiseSource noise = new SeededNoiseSource(StepSeeds.mix(request.seed(), SAMPLING_STREAM + b));
                    final int batch = b;
                    NDArray drawn = drawTokens(sub, transformerWeights, texts, noise,
                            () -> bar.step(1, "batch " + (batch + 1) + "/" + batchCount));
                    NDArray images = dvae.decodeTokens(dvaeWeights, drawn);
                    NDArray kept = candidates == 1 ? images : best(images, texts);
                    kept.attach(manager);
                    batches.add(kept);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        NDArray images = batches.size() == 1 ? batches.get(0) : NDArrays.concat(batches);
        Map<String, Double> facts = new LinkedHashMap<>();
        facts.put("sample.steps", (double) tokens);
        facts.put("sample.nfe", (double) candidates * tokens);
        facts.put("sample.grad_evals", 0.0);
        facts.put("sample.candidates", (double) candidates);
        facts.put("sample.seconds", seconds / count);
        facts.put("sample.peak_bytes", (double) PeakMemory.residentBytes());
        return new Generation(images, facts);
    }

    /**
     * The dVAE's reconstructions of the requested reference images ({@code sample.reference_images}):
     * each image encoded to its most likely code per grid cell (argmax of q(z | x), as DALL-E tokenizes
     * training images) and decoded, under the averaged weights. The images returned alternate: the
     * reference, then its reconstruction (2·count), so a grid of even width reads in pairs. Facts:
     * {@code sample.reconstruction_mse}, the mean squared error per pixel in [−1, 1] units, and
     * {@code sample.codes_used}, how many distinct codes the references took.
     */
    Generation reconstruct(GenerationRequest request, String dvaeName) {
        DiscreteVae dvae = (DiscreteVae) request.trained().get(dvaeName).block();
        ParameterStore weights = request.trained().get(dvaeName).averaged();
        List<Object> references = request.requested().get(ConditionFields.REFERENCE_IMAGE);
        int count = request.count();
        int perBatch = Math.max(1, Math.min(count, request.batchSize()));
        NDManager manager = request.manager();
        NDList pairs = new NDList();
        double squaredError = 0;
        java.util.Set<Long> codes = new java.util.HashSet<>();
        long started = System.nanoTime();
        try (Progress bar = request.progress().start("reconstruct", count, "image")) {
            for (int from = 0; from < count; from += perBatch) {
                int n = Math.min(perBatch, count - from);
                try (NDManager sub = manager.newSubManager()) {
                    float[][] rows = new float[n][];
                    for (int i = 0; i < n; i++) {
                        rows[i] = (float[]) references.get(from + i);
                    }
                    NDArray images = sub.create(rows).reshape(dvae.imageShape().batch(n));
                    NDArray tokens = dvae.encode(weights, images, false).argMax(1).reshape(n, (long) dvae.gridHeight()
                            * dvae.gridWidth());
                    for (long code : tokens.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()) {
                        codes.add(code);
                    }
                    NDArray decoded = dvae.decodeTokens(weights, tokens).clip(-1f, 1f);
                    squaredError += decoded.sub(images).square().sum().getFloat();
                    NDArray paired = NDArrays.stack(new NDList(images, decoded), 1)
                            .reshape(dvae.imageShape().batch(2L * n));
                    paired.attach(manager);
                    pairs.add(paired);
                    bar.step(n, "");
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Double> facts = new LinkedHashMap<>();
        facts.put("sample.reconstruction_mse", squaredError / ((double) count * dvae.imageShape().size()));
        facts.put("sample.codes_used", (double) codes.size());
        facts.put("sample.nfe", 0.0);
        facts.put("sample.seconds", seconds / count);
        facts.put("sample.peak_bytes", (double) PeakMemory.residentBytes());
        return new Generation(pairs.size() == 1 ? pairs.get(0) : NDArrays.concat(pairs), facts);
    }

    /**
     * The image tokens (n·N, M) for n captions, N candidates each (rows caption-major), drawn with
     * the cache: one pass over the captions, then one single-position pass per further token.
     */
    NDArray drawTokens(NDManager manager, ParameterStore weights, List<Object> texts, NoiseSource noise,
                       Runnable onToken) {
        NDList encoded = captions.encode(texts, manager);
        int rows = texts.size() * candidates;
        int tokens = transformer.imageTokens();
        int k = transformer.codebookSize();
        List<NDArray> drawn = new ArrayList<>(tokens);
        try (KeyValueCache cache = transformer.newCache(manager)) {
            NDArray logits = transformer.prefill(weights, encoded.get(0), encoded.get(1), cache);
            if (candidates > 1) {
                long[] repeat = new long[rows];
                for (int r = 0; r < rows; r++) {
                    repeat[r] = r / candidates;
                }
                NDArray index = manager.create(repeat);
                cache.selectRows(index);
                logits = logits.get(index);
            }
            for (int i = 0; i < tokens; i++) {
                NDArray uniform = noise.uniform(manager, (long) rows * k);
                NDArray token = sampling.sample(logits, uniform).reshape(rows, 1);
                drawn.add(token);
                onToken.run();
                uniform.close();
                if (i + 1 < tokens) {
                    NDArray next = transformer.next(weights, token, i, cache);
                    logits.close();
                    logits = next;
                }
            }
        }
        return NDArrays.concat(new NDList(drawn), 1);
    }

    /** The best-scoring candidate of each caption: images (n·N, C, H, W) to (n, C, H, W). */
    private NDArray best(NDArray images, List<Object> texts) {
        List<String> repeated = new ArrayList<>();
        for (Object text : texts) {
            for (int c = 0; c < candidates; c++) {
                repeated.add(String.valueOf(text));
            }
        }
        NDArray scores = scorer.score(images, repeated).reshape(texts.size(), candidates);
        long[] winners = scores.argMax(1).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        NDList kept = new NDList();
        for (int i = 0; i < winners.length; i++) {
            kept.add(images.get(new NDIndex("{}:{}", i * candidates + winners[i], i * candidates + winners[i] + 1)));
        }
        return NDArrays.concat(kept);
    }
}
