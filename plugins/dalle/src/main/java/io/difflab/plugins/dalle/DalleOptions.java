package io.difflab.plugins.dalle;

import io.difflab.api.Config;
import io.difflab.api.ModelContext;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.condition.CaptionVocabularies;

import java.util.List;
import java.util.Set;

/**
 * The keys of a DALL-E's {@code model} section and what they make: the tokenizer and vocabulary,
 * the annealing schedules, the token sampling and the reranker. Sizes default to a model that
 * trains on the 2-core CPU; the paper's values are in the descriptions.
 */
final class DalleOptions {

    private static final int MAX = Integer.MAX_VALUE;

    static final Option TOKENIZER = Option.choice("tokenizer", "word", List.of("word", "clip-bpe"),
            "how captions become tokens: word (a vocabulary learnt from the training captions) or clip-bpe");
    static final Option TOKENIZER_VOCABULARY = Option.choice("tokenizer_vocabulary", "", List.of(),
            "word: a vocabulary file a run saved (empty: learn it from the training captions); clip-bpe: a CLIP "
                    + "tokenizer.json (required)");
    static final Option TEXT_LENGTH = Option.integer("text_length", 24, 3, 4096,
            "L_t, caption positions: start, words, end, then one padding token per position (paper: 256)");
    static final Option CODEBOOK_SIZE = Option.integer("codebook_size", 512, 2, 1 << 16,
            "K, the dVAE's codebook entries (paper: 8192)");
    static final Option DVAE_CHANNELS = Option.integer("dvae_channels", 64, 1, 4096,
            "width of the dVAE's convolutions");
    static final Option DVAE_DOWNSAMPLES = Option.integer("dvae_downsamples", 2, 0, 8,
            "the token grid is the image downsampled 2^d times (2: 8x8 tokens for 32x32 images; paper: 3)");
    static final Option DVAE_RES_BLOCKS = Option.integer("dvae_res_blocks", 1, 1, 16,
            "residual blocks per resolution in the dVAE's encoder and decoder");
    static final Option DVAE_STEPS = Option.integer("dvae_steps", 2000, 0, MAX,
            "optimizer steps of the dVAE, trained before the transformer (train.steps)");
    static final Option TEMPERATURE_START = Option.real("temperature_start", 1.0, 1e-3, 100,
            "Gumbel-softmax temperature at step 0 (paper: 1)");
    static final Option TEMPERATURE_END = Option.real("temperature_end", 1.0 / 16, 1e-3, 100,
            "Gumbel-softmax temperature after the annealing (paper: 1/16)");
    static final Option TEMPERATURE_STEPS = Option.integer("temperature_anneal_steps", 2000, 0, MAX,
            "dVAE steps over which the temperature is annealed along a cosine (paper: 150000)");
    static final Option KL_WEIGHT = Option.real("kl_weight", 1.0, 0, 1000,
            "beta, the weight of KL(q(z|x) || uniform) once warmed up (paper: 6.6 with its logit-Laplace likelihood)");
    static final Option KL_WARMUP_STEPS = Option.integer("kl_warmup_steps", 500, 0, MAX,
            "dVAE steps over which beta rises from 0 along a cosine (paper: 5000)");
    static final Option RECON_SIGMA = Option.real("recon_sigma", 0.1, 1e-4, 10,
            "sigma of the dVAE's Gaussian likelihood of a pixel in [-1, 1] (the paper uses a logit-Laplace)");
    static final Option STRAIGHT_THROUGH = Option.bool("straight_through", false,
            "decode the one-hot sample with the relaxed sample's gradient (straight-through Gumbel-softmax)");
    static final Option WIDTH = Option.integer("width", 256, 8, 65536, "the transformer's width (paper: 3968)");
    static final Option LAYERS = Option.integer("layers", 4, 1, 1024, "transformer blocks (paper: 64)");
    static final Option HEADS = Option.integer("heads", 4, 1, 1024, "attention heads per block (paper: 62)");
    static final Option IMAGE_LOSS_WEIGHT = Option.real("image_loss_weight", 7.0, 0, 1000,
            "w in (L_text + w L_img)/(1 + w) (paper: 7)");
    static final Option SAMPLING_TEMPERATURE = Option.real("sampling_temperature", 1.0, 1e-3, 100,
            "divides the logits before a token is drawn");
    static final Option TOP_K = Option.integer("top_k", 0, 0, 1 << 16,
            "draw each token among the k most likely only (0: all)");
    static final Option TOP_P = Option.real("top_p", 1.0, 1e-6, 1.0,
            "draw each token from the smallest set of probability >= p (nucleus sampling; 1: all)");
    static final Option CANDIDATES = Option.integer("candidates", 1, 1, 4096,
            "N: images drawn per caption, the best kept by the CLIP score (paper: 512, reranked to 32)");
    static final Option RERANK_CLIP = Option.choice("rerank_clip", "", List.of(),
            "the CLIP that reranks the candidates: a run folder, a run name with its folder (runs/clip-shapes:"
                    + " the newest finished one), or a TorchScript file with its tokenizer.json beside it");

    /** Every key, in the order help lists them. */
    static final List<Option> ALL = List.of(TOKENIZER, TOKENIZER_VOCABULARY, TEXT_LENGTH, CODEBOOK_SIZE,
            DVAE_CHANNELS, DVAE_DOWNSAMPLES, DVAE_RES_BLOCKS, DVAE_STEPS, TEMPERATURE_START, TEMPERATURE_END,
            TEMPERATURE_STEPS, KL_WEIGHT, KL_WARMUP_STEPS, RECON_SIGMA, STRAIGHT_THROUGH, WIDTH, LAYERS, HEADS,
            IMAGE_LOSS_WEIGHT, SAMPLING_TEMPERATURE, TOP_K, TOP_P, CANDIDATES, RERANK_CLIP);

    /** The keys only generation reads. */
    static final Set<String> SAMPLING = Set.of(SAMPLING_TEMPERATURE.key(), TOP_K.key(), TOP_P.key(),
            CANDIDATES.key(), RERANK_CLIP.key());

    private DalleOptions() {
    }

    /** The captions' vocabulary at L_t ({@link CaptionVocabularies}). */
    static Vocabulary vocabulary(ModelContext context) {
        return CaptionVocabularies.of(context, TOKENIZER.key(), TOKENIZER_VOCABULARY.key(), TEXT_LENGTH.key());
    }

    /** τ_s: temperature_start to temperature_end over temperature_anneal_steps. */
    static Anneal temperature(Config model) {
        return new Anneal(model.getDouble(TEMPERATURE_START.key()), model.getDouble(TEMPERATURE_END.key()),
                model.getInt(TEMPERATURE_STEPS.key()));
    }

    /** β_s: 0 to kl_weight over kl_warmup_steps. */
    static Anneal klWeight(Config model) {
        return new Anneal(0, model.getDouble(KL_WEIGHT.key()), model.getInt(KL_WARMUP_STEPS.key()));
    }

    static TokenSampling sampling(Config model) {
        return new TokenSampling(model.getDouble(SAMPLING_TEMPERATURE.key()), model.getInt(TOP_K.key()),
                model.getDouble(TOP_P.key()));
    }

    /**
     * The CLIP reranker the settings name, loaded when first used; {@code null} for one candidate. A
     * trained CLIP's run is checked here (its architecture read, no weights), a TorchScript file when used.
     */
    static CandidateScorer reranker(ModelContext context, int candidates) {
        Config model = context.model();
        String clip = model.getString(RERANK_CLIP.key());
        if (candidates == 1) {
            return null;
        }
        if (clip.isBlank()) {
            throw new UserError(model.path() + "." + CANDIDATES.key() + " is " + candidates + ": reranking needs a "
                    + "CLIP; set " + model.path() + "." + RERANK_CLIP.key() + " (e.g. runs/clip-shapes, trained by "
                    + "experiments/clip-shapes.yaml), or use 1 candidate");
        }
        try {
            ClipReference.architecture(clip);
        } catch (UserError e) {
            throw new UserError(model.path() + "." + RERANK_CLIP.key() + ": " + e.getMessage(), e);
        }
        return new ClipScorer(clip, context.registry());
    }
}
