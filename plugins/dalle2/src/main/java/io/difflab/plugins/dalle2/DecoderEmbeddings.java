package io.difflab.plugins.dalle2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionFields;
import io.difflab.api.GenerationRequest;
import io.difflab.api.ImageShape;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.UserError;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.train.StepSeeds;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where the decoder's image embedding z_i comes from at sampling, as {@code float[E]} rows (a {@code null}
 * row is ∅): the prior (unCLIP), the caption's CLIP text embedding z_t fed to the decoder as if it were an
 * image embedding, or ∅ (the decoder reads the caption alone), the three inputs the paper compares
 * (Ramesh et al. 2022, sec. 5.1, Fig. 8); or a reference image's own z_i for variations (sec. 3.1).
 */
final class DecoderEmbeddings {

    /** {@code model.decoder_embedding}'s choices. */
    static final String PRIOR = "prior";
    static final String TEXT = "text";
    static final String NONE = "none";
    static final List<String> CHOICES = List.of(PRIOR, TEXT, NONE);

    /** Offsets the prior's sampling noise from the decoder's and from training. */
    static final long PRIOR_STREAM = 1L << 41;

    private final FrozenClip clip;
    private final TokenEncoder captions;
    private final DiffusionPrior network;
    private final PriorSampler prior;
    private final ImageShape shape;

    DecoderEmbeddings(FrozenClip clip, TokenEncoder captions, DiffusionPrior network, PriorSampler prior,
                      ImageShape shape) {
        this.clip = clip;
        this.captions = captions;
        this.network = network;
        this.prior = prior;
        this.shape = shape;
    }

    /** The rows for {@code text} (one caption, or null, per sample) from {@code source}. */
    List<Object> of(String source, GenerationRequest request, List<Object> text) {
        return switch (source) {
            case PRIOR -> fromCaptions(request, text, true);
            case TEXT -> fromCaptions(request, text, false);
            case NONE -> Collections.nCopies(request.count(), null);
            default -> throw new IllegalArgumentException("no source of z_i named '" + source + "' (" + CHOICES + ")");
        };
    }

    /** z_i from the prior, or z_t itself, batch by batch. */
    private List<Object> fromCaptions(GenerationRequest request, List<Object> text, boolean throughPrior) {
        TrainedNetworks trained = request.trained();
        if (throughPrior && !trained.has(Dalle2Model.PRIOR)) {
            throw new UserError("dalle2 samples captions through its prior, which is not trained in this run yet");
        }
        int batchSize = Math.max(1, Math.min(request.batchSize(), request.count()));
        List<Object> rows = new ArrayList<>(request.count());
        for (int from = 0; from < request.count(); from += batchSize) {
            int to = Math.min(request.count(), from + batchSize);
            try (NDManager sub = request.manager().newSubManager()) {
                NDList tokens = captions.encode(text.subList(from, to), sub);
                NDArray zt = clip.textEmbedding(tokens.get(0), tokens.get(1));
                addRows(rows, !throughPrior ? zt : prior.sample(PriorSampler.Network.of(network,
                        trained.get(Dalle2Model.PRIOR).averaged()), zt, tokens.get(0), tokens.get(1),
                        new SeededNoiseSource(StepSeeds.mix(request.seed(), PRIOR_STREAM + from))));
            }
        }
        return rows;
    }

    /** z_i of each reference image ({@code sample.reference_images}). */
    List<Object> ofReferences(GenerationRequest request) {
        return ofImages(request.requested().get(ConditionFields.REFERENCE_IMAGE), request.manager());
    }

    /** z_i of each image, a {@code float[C·H·W]} in [−1, 1] at the dataset's shape. */
    List<Object> ofImages(List<Object> images, NDManager manager) {
        List<Object> rows = new ArrayList<>(images.size());
        for (Object image : images) {
            try (NDManager sub = manager.newSubManager()) {
                addRows(rows, clip.imageEmbedding(sub.create((float[]) image, shape.batch(1))));
            }
        }
        return rows;
    }

    private static void addRows(List<Object> rows, NDArray embeddings) {
        int n = Math.toIntExact(embeddings.getShape().get(0));
        int e = Math.toIntExact(embeddings.getShape().get(1));
        float[] all = embeddings.toFloatArray();
        for (int i = 0; i < n; i++) {
            float[] row = new float[e];
            System.arraycopy(all, i * e, row, 0, e);
            rows.add(row);
        }
    }
}
