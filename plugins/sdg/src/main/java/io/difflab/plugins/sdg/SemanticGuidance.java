package io.difflab.plugins.sdg;

import io.difflab.api.ConditionEncoder;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.GuidanceHead;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.kit.clip.ClipModel;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.clip.LoadedClip;
import io.difflab.kit.guidance.ScoreGuidance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Semantic diffusion guidance (Liu et al. 2021; the survey's sec. 3.3): classifier guidance whose
 * score is a matching score of x_t read by a noise-aware CLIP, g = s·∇_{x_t} F(x_t, t), added to the
 * ancestral mean as Σ·g and subtracted from a deterministic step's ε as √(1 − ᾱ_t)·g (the kit's
 * {@link ScoreGuidance}). Works with any trained diffusion model of the CLIP's forward process; the
 * CLIP is named by reference ({@code clip}: a run folder or a run name of a clip run trained with
 * {@code noise_aware: true}). Subclasses choose the terms and their weights.
 */
public abstract class SemanticGuidance implements GuidanceHead {

    /** Default guidance scale s: the cosine scores are in [−1, 1], so their gradients are small. */
    public static final double DEFAULT_SCALE = 100.0;

    private final ExtensionRegistry registry;
    /** CLIPs loaded by reference and device, kept for the life of the host (a run samples again at every evaluation). */
    private final Map<String, LoadedClip> loaded = new ConcurrentHashMap<>();

    protected SemanticGuidance(ExtensionRegistry registry) {
        this.registry = registry;
    }

    /** The weighted terms of {@code config}, each weight > 0; a {@link UserError} when none is. */
    protected abstract Map<SemanticTerm, Double> weights(Config config);

    /** Its options beyond {@code clip} and {@code scale}. */
    protected List<Option> termOptions() {
        return List.of();
    }

    @Override
    public final List<Option> options() {
        List<Option> options = new ArrayList<>(List.of(
                Option.choice("clip", null, List.of(), "the noise-aware CLIP that reads x_t: a run folder, or a run"
                        + " name with its folder (runs/clip-noised-shapes: its newest finished run)"),
                Option.real("scale", DEFAULT_SCALE, 0.0, 1.0e6,
                        "guidance scale s: the gradient s * grad F(x_t, t) shifts each step (0 = unguided)")));
        options.addAll(termOptions());
        return options;
    }

    @Override
    public Denoiser wrap(Denoiser denoiser, GuidanceContext context) {
        Config config = context.config();
        Map<SemanticTerm, Double> weights = weights(config);
        String reference = config.getString("clip");
        LoadedClip clip = loaded.computeIfAbsent(reference + "@" + context.device(),
                k -> ClipReference.load(reference, registry, context.device()));
        ClipModel model = clip.model();
        if (!model.noiseAware()) {
            throw new UserError(config.path() + ".clip: " + clip.source() + " reads clean images only; semantic"
                    + " guidance reads x_t: train the CLIP with model.noise_aware: true");
        }
        DiffusionSchedule clipSchedule = forwardProcess(model.noisedBy(), config);
        checkSameProcess(context.schedule(), clipSchedule, model.noisedBy(), config);
        NoisedReference noised = NoisedReference.seeded(clipSchedule, context.seed());
        return ScoreGuidance.wrap(denoiser, new SemanticScore(model, weights, noised), config.getDouble("scale"),
                context.schedule().timestepMap());
    }

    /** One estimator call and one backward pass through the CLIP's image encoder per step; none at s = 0. */
    @Override
    public GuidanceCost cost(Config config) {
        return config.getDouble("scale") == 0 ? GuidanceCost.UNGUIDED : new GuidanceCost(1, 1);
    }

    /** The captions (language) and reference images (image terms) it compares x_t with. */
    @Override
    public List<ConditionEncoder> conditions(Config config, DatasetInfo dataset) {
        Map<SemanticTerm, Double> weights = weights(config);
        List<ConditionEncoder> encoders = new ArrayList<>();
        if (weights.containsKey(SemanticTerm.LANGUAGE)) {
            String reference = config.getString("clip");
            encoders.add(new CaptionEncoder(device -> ClipReference.vocabulary(reference, registry, device)));
        }
        if (weights.keySet().stream().anyMatch(SemanticTerm::needsReference)) {
            encoders.add(new ReferenceImageEncoder(dataset.shape()));
        }
        return encoders;
    }

    /** The forward process {@code <schedule>:<T>} a noise-aware CLIP was trained on. */
    private DiffusionSchedule forwardProcess(String noisedBy, Config config) {
        int colon = noisedBy.lastIndexOf(':');
        if (colon < 1) {
            throw new UserError(config.path() + ".clip: the CLIP names no forward process ('" + noisedBy + "')");
        }
        NoiseSchedule schedule = registry.get(NoiseSchedule.class, noisedBy.substring(0, colon));
        return schedule.build(Integer.parseInt(noisedBy.substring(colon + 1)),
                Config.of(config.path() + ".clip", schedule.options(), Map.of()));
    }

    /**
     * The sampler's (possibly respaced) schedule must be the CLIP's forward process at the kept
     * timesteps: x_t of another process is not what the CLIP learnt to read.
     */
    static void checkSameProcess(DiffusionSchedule sampling, DiffusionSchedule clip, String noisedBy, Config config) {
        int[] map = sampling.timestepMap();
        for (int i = 0; i < map.length; i++) {
            boolean inside = map[i] < clip.timesteps();
            if (!inside || Math.abs(sampling.alphaCumprod(i) - clip.alphaCumprod(map[i])) > 1e-6) {
                throw new UserError(config.path() + ".clip: the CLIP reads x_t of " + noisedBy + ", and this model"
                        + " samples another forward process (at its timestep " + map[i] + " ᾱ = "
                        + sampling.alphaCumprod(i) + (inside ? " against " + clip.alphaCumprod(map[i]) : "")
                        + "); train the model with the CLIP's schedule and timesteps");
            }
        }
    }
}
