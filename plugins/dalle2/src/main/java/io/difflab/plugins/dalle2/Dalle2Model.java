package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionFields;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.ImageShape;
import io.difflab.api.Model;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.UserError;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.train.StepSeeds;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A DALL-E 2 model: the prior ({@value #PRIOR}, auxiliary, {@code model.prior_steps}) trained first, then
 * the decoder ({@value DiffusionModel#ESTIMATOR}, primary, {@code train.steps}). It generates in two stages
 * (Ramesh et al. 2022, eq. 1: P(x|y) = P(x|z_i, y)·P(z_i|y)): each caption's z_t from the frozen CLIP, z_i
 * from the prior (k candidates, the best by z_i·z_t kept), then the decoder's sample given z_i and the
 * caption under the spec's sampler and guidance. With {@code sample.reference_images} it makes variations
 * instead: z_i is each reference image's own CLIP embedding (sec. 3.1) and the caption ∅ unless prompts
 * are given too.
 */
final class Dalle2Model implements Model {

    /** The prior's network name: checkpoints under {@code checkpoints/prior/}, metrics {@code prior.train.*}. */
    static final String PRIOR = "prior";
    /** The caption entry (CLIP's tokens) of the prior and the decoder. */
    static final String CAPTION = TokenEncoder.CAPTION;
    /** The prior's CLIP text embedding entry. */
    static final String TEXT_EMBEDDING = "text_embedding";
    /** The decoder's CLIP image embedding entry. */
    static final String IMAGE_EMBEDDING = "image_embedding";
    /** The raw field of z_i rows ({@code float[E]}) that the decoder's conditions are encoded from. */
    static final String IMAGE_EMBEDDING_FIELD = "clip_image_embedding";
    /** Offsets the prior's sampling noise from the decoder's and from training. */
    static final long PRIOR_STREAM = 1L << 41;

    private final List<TrainableNetwork> networks;
    private final DiffusionModel decoder;
    private final FrozenClip clip;
    private final TokenEncoder captions;
    private final DiffusionPrior network;
    private final PriorSampler prior;
    private final boolean variations;
    private final boolean promptsGiven;
    private final ImageShape shape;

    Dalle2Model(TrainableNetwork prior, TrainableNetwork decoderNetwork, DiffusionModel decoder, FrozenClip clip,
                TokenEncoder captions, DiffusionPrior network, PriorSampler sampler, boolean variations, boolean promptsGiven, ImageShape shape) {
        this.networks = List.of(prior, decoderNetwork);
        this.decoder = decoder;
        this.clip = clip;
        this.captions = captions;
        this.network = network;
        this.prior = sampler;
        this.variations = variations;
        this.promptsGiven = promptsGiven;
        this.shape = shape;
    }

    @Override
    public List<TrainableNetwork> networks() {
        return networks;
    }

    @Override
    public Set<String> sampleFields() {
        Set<String> fields = new LinkedHashSet<>();
        if (variations) {
            fields.add(ConditionFields.REFERENCE_IMAGE);
        }
        if (!variations || promptsGiven) {
            fields.add(ConditionFields.CAPTION);
        }
        return fields;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        int count = request.count();
        List<Object> text = request.requested().containsKey(ConditionFields.CAPTION)
                ? request.requested().get(ConditionFields.CAPTION) : Collections.nCopies(count, null);
        long started = System.nanoTime();
        List<Object> embeddings = variations ? referenceEmbeddings(request) : priorEmbeddings(request, text);
        double priorSeconds = (System.nanoTime() - started) / 1e9;
        Map<String, List<Object>> requested = new LinkedHashMap<>();
        requested.put(ConditionFields.CAPTION, text);
        requested.put(IMAGE_EMBEDDING_FIELD, embeddings);
        Generation images = decoder.generate(new GenerationRequest(request.manager(), request.trained(), requested,
                count, request.batchSize(), request.seed(), request.progress()));
        Map<String, Double> facts = new LinkedHashMap<>(images.facts());
        facts.put("sample.prior_nfe", variations ? 0.0 : prior.evaluationsPerCandidate() * prior.candidates());
        facts.put("sample.seconds", facts.getOrDefault("sample.seconds", 0.0) + priorSeconds / count);
        return new Generation(images.images(), facts);
    }

    /** z_i of each caption from the prior, as {@code float[E]} rows. */
    private List<Object> priorEmbeddings(GenerationRequest request, List<Object> text) {
        TrainedNetworks trained = request.trained();
        if (!trained.has(PRIOR)) {
            throw new UserError("dalle2 samples captions through its prior, which is not trained in this run yet");
        }
        int batchSize = Math.max(1, Math.min(request.batchSize(), request.count()));
        List<Object> rows = new ArrayList<>(request.count());
        for (int from = 0; from < request.count(); from += batchSize) {
            int to = Math.min(request.count(), from + batchSize);
            try (NDManager sub = request.manager().newSubManager()) {
                NDList tokens = captions.encode(text.subList(from, to), sub);
                NDArray zt = clip.textEmbedding(tokens.get(0), tokens.get(1));
                NDArray zi = prior.sample(PriorSampler.Network.of(network, trained.get(PRIOR).averaged()), zt, tokens.get(0), tokens.get(1),
                        new SeededNoiseSource(StepSeeds.mix(request.seed(), PRIOR_STREAM + from)));
                addRows(rows, zi);
            }
        }
        return rows;
    }

    /** z_i of each reference image, as {@code float[E]} rows. */
    private List<Object> referenceEmbeddings(GenerationRequest request) {
        List<Object> images = request.requested().get(ConditionFields.REFERENCE_IMAGE);
        List<Object> rows = new ArrayList<>(images.size());
        for (Object image : images) {
            try (NDManager sub = request.manager().newSubManager()) {
                NDArray x = sub.create((float[]) image, shape.batch(1));
                addRows(rows, clip.imageEmbedding(x));
            }
        }
        return rows;
    }

    private static void addRows(List<Object> rows, NDArray embeddings) {
        long n = embeddings.getShape().get(0);
        long e = embeddings.getShape().get(1);
        float[] all = embeddings.toFloatArray();
        for (int i = 0; i < n; i++) {
            float[] row = new float[(int) e];
            System.arraycopy(all, (int) (i * e), row, 0, (int) e);
            rows.add(row);
        }
    }

    @Override
    public Optional<Likelihood> likelihood(TrainedNetworks trained) {
        return Optional.empty();
    }
}
