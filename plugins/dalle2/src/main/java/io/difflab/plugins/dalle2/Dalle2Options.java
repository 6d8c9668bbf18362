package io.difflab.plugins.dalle2;

import io.difflab.api.Option;

import java.util.List;
import java.util.Set;

/**
 * The keys of a DALL-E 2 {@code model} section: the CLIP it reads, the diffusion prior's size, schedule,
 * training and sampling, and the decoder's conditioning. The decoder's network, schedule, sampler and
 * guidance come from the spec's diffusion sections. Sizes default to a model that trains on the 2-core CPU.
 */
final class Dalle2Options {

    private static final int MAX = Integer.MAX_VALUE;

    static final Option CLIP = Option.choice("clip", null, List.of(), "the frozen CLIP: a clip run folder, a run name "
            + "with its folder (runs/clip-shapes: its newest finished run), or a TorchScript file with tokenizer.json");
    static final Option PRIOR_STEPS = Option.integer("prior_steps", 2000, 0, MAX,
            "optimizer steps of the diffusion prior, trained before the decoder (train.steps)");
    static final Option PRIOR_WIDTH = Option.integer("prior_width", 64, 8, 65536, "the prior transformer's width");
    static final Option PRIOR_LAYERS = Option.integer("prior_layers", 2, 1, 1024, "the prior transformer's blocks");
    static final Option PRIOR_HEADS = Option.integer("prior_heads", 4, 1, 1024, "attention heads per prior block");
    static final Option PRIOR_TIMESTEPS = Option.integer("prior_timesteps", 1000, 2, 100_000,
            "T of the prior's cosine schedule (paper: 1000)");
    static final Option PRIOR_P_UNCOND = Option.real("prior_p_uncond", 0.1, 0.0, 1.0,
            "probability that the prior's text conditioning (caption and z_t) is dropped in training (paper: 10%)");
    static final Option PRIOR_SAMPLING_STEPS = Option.integer("prior_sampling_steps", 64, 1, 100_000,
            "ancestral steps when sampling the prior, evenly respaced (paper: 64)");
    static final Option PRIOR_GUIDANCE_SCALE = Option.real("prior_guidance_scale", 1.0, 0.0, 100.0,
            "classifier-free guidance scale of the prior: 1 conditional, above 1 guided");
    static final Option PRIOR_CANDIDATES = Option.integer("prior_candidates", 2, 1, 64,
            "image embeddings drawn per caption; the one with the larger dot product with z_t is kept (paper: 2)");
    static final Option DECODER_EMBEDDING = Option.choice("decoder_embedding", DecoderEmbeddings.PRIOR,
            DecoderEmbeddings.CHOICES, "what the decoder reads as z_i when captions are sampled: prior (unCLIP), text "
                    + "(the caption's CLIP text embedding z_t), none (the caption alone; the paper's sec. 5.1 ablation)");
    static final Option INTERPOLATE = Option.bool("interpolate", false, "with sample.reference_images: sample.count "
            + "frames between the first two images' CLIP embeddings (slerp), each decoded from the same noise");
    static final Option DECODER_CAPTION = Option.bool("decoder_caption", true,
            "condition the decoder on the caption too (text-unet), besides the CLIP image embedding");
    static final Option DECODER_P_UNCOND_EMBEDDING = Option.real("decoder_p_uncond_embedding", 0.1, 0.0, 1.0,
            "probability that the decoder's CLIP image embedding is dropped in training (paper: 10%)");
    static final Option DECODER_P_UNCOND_CAPTION = Option.real("decoder_p_uncond_caption", 0.5, 0.0, 1.0,
            "probability that the decoder's caption is dropped in training (paper: 50%)");
    static final Option LEARNED_SIGMA = Option.bool("learned_sigma", true,
            "the decoder learns its variance, trained on L_hybrid (Nichol & Dhariwal 2021), as GLIDE's does");
    static final Option VLB_WEIGHT = Option.real("vlb_weight", 0.001, 0.0, 1.0,
            "lambda in L_hybrid = L_simple + lambda * L_vlb (with learned_sigma)");

    /** Every key, in the order help lists them. */
    static final List<Option> ALL = List.of(CLIP, PRIOR_STEPS, PRIOR_WIDTH, PRIOR_LAYERS, PRIOR_HEADS, PRIOR_TIMESTEPS,
            PRIOR_P_UNCOND, PRIOR_SAMPLING_STEPS, PRIOR_GUIDANCE_SCALE, PRIOR_CANDIDATES, DECODER_EMBEDDING, INTERPOLATE,
            DECODER_CAPTION,
            DECODER_P_UNCOND_EMBEDDING, DECODER_P_UNCOND_CAPTION, LEARNED_SIGMA, VLB_WEIGHT);

    /** How the prior is sampled and what the decoder reads: runs differing only in these share one training. */
    static final Set<String> SAMPLING = Set.of(PRIOR_SAMPLING_STEPS.key(), PRIOR_GUIDANCE_SCALE.key(),
            PRIOR_CANDIDATES.key(), DECODER_EMBEDDING.key(), INTERPOLATE.key());

    private Dalle2Options() {
    }
}
