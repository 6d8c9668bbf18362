package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.difflab.api.ConditionFields;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.Model;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.UserError;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.model.DiffusionModel;

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
 * caption under the spec's sampler and guidance ({@code model.decoder_embedding} may feed the decoder z_t or ∅
 * instead of the prior's z_i, the paper's ablation). With {@code sample.reference_images} it makes variations
 * instead: z_i is each reference image's own CLIP embedding (sec. 3.1) and the caption ∅ unless prompts
 * are given too; with {@code model.interpolate}, frames between the first two reference images' z_i.
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

    private final List<TrainableNetwork> networks;
    private final DiffusionModel decoder;
    private final DecoderEmbeddings embeddings;
    private final String source;
    private final PriorSampler prior;
    private final boolean variations;
    private final boolean promptsGiven;
    private final boolean interpolate;

    /**
     * @param source       where z_i comes from when captions are sampled ({@link DecoderEmbeddings#CHOICES})
     * @param variations   whether the spec gives reference images, whose own z_i are decoded
     * @param promptsGiven whether it gives prompts too
     * @param interpolate  whether variations interpolate between the first two reference images instead
     */
    Dalle2Model(TrainableNetwork prior, TrainableNetwork decoderNetwork, DiffusionModel decoder,
                DecoderEmbeddings embeddings, String source, PriorSampler sampler, boolean variations,
                boolean promptsGiven, boolean interpolate) {
        this.networks = List.of(prior, decoderNetwork);
        this.decoder = decoder;
        this.embeddings = embeddings;
        this.source = source;
        this.prior = sampler;
        this.variations = variations;
        this.promptsGiven = promptsGiven;
        this.interpolate = interpolate;
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
        if (variations && interpolate) {
            return interpolation(request, text);
        }
        long started = System.nanoTime();
        List<Object> rows = variations ? embeddings.ofReferences(request) : embeddings.of(source, request, text);
        double priorSeconds = (System.nanoTime() - started) / 1e9;
        Map<String, List<Object>> requested = new LinkedHashMap<>();
        requested.put(ConditionFields.CAPTION, text);
        requested.put(IMAGE_EMBEDDING_FIELD, rows);
        Generation images = decoder.generate(new GenerationRequest(request.manager(), request.trained(), requested,
                count, request.batchSize(), request.seed(), request.progress()));
        Map<String, Double> facts = new LinkedHashMap<>(images.facts());
        boolean throughPrior = !variations && source.equals(DecoderEmbeddings.PRIOR);
        facts.put("sample.prior_nfe", throughPrior ? prior.evaluationsPerCandidate() * prior.candidates() : 0.0);
        facts.put("sample.seconds", facts.getOrDefault("sample.seconds", 0.0) + priorSeconds / count);
        return new Generation(images.images(), facts);
    }

    /**
     * {@code count} frames from the first reference image's z_i to the second's, z_θ = slerp(z_a, z_b, θ) with
     * θ = i/(count − 1) (Ramesh et al. 2022, sec. 3.2), each decoded alone with the run's seed, so every frame
     * starts from the same x_T and draws the same noise (the paper fixes x_T by DDIM inversion instead).
     */
    private Generation interpolation(GenerationRequest request, List<Object> text) {
        int count = request.count();
        List<Object> images = request.requested().get(ConditionFields.REFERENCE_IMAGE);
        if (count < 2 || images.size() < 2) {
            throw new UserError("model.interpolate: frames between two reference images need sample.count >= 2");
        }
        List<Object> ends = embeddings.ofImages(images.subList(0, 2), request.manager());
        NDList frames = new NDList();
        Map<String, Double> facts = new LinkedHashMap<>();
        double seconds = 0;
        for (int i = 0; i < count; i++) {
            float[] z = Slerp.between((float[]) ends.get(0), (float[]) ends.get(1), i / (double) (count - 1));
            Map<String, List<Object>> requested = new LinkedHashMap<>();
            requested.put(ConditionFields.CAPTION, Collections.singletonList(text.get(i)));
            requested.put(IMAGE_EMBEDDING_FIELD, List.of(z));
            Generation frame = decoder.generate(new GenerationRequest(request.manager(), request.trained(), requested,
                    1, 1, request.seed(), request.progress()));
            frames.add(frame.images());
            facts.putAll(frame.facts());
            seconds += frame.facts().getOrDefault("sample.seconds", 0.0);
        }
        facts.put("sample.seconds", seconds / count);
        facts.put("sample.prior_nfe", 0.0);
        return new Generation(NDArrays.concat(frames), facts);
    }

    @Override
    public Optional<Likelihood> likelihood(TrainedNetworks trained) {
        return Optional.empty();
    }
}
