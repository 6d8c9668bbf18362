package io.difflab.plugins.glide;

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
import io.difflab.kit.clip.ClipArchitecture;
import io.difflab.kit.clip.ClipModel;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.clip.LoadedClip;
import io.difflab.kit.guidance.ScoreGuidance;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GLIDE's CLIP guidance (Nichol et al. 2021, sec. 2.3): gradient guidance by F = e^τ·f̂(x_t, t)·ĝ(c) of
 * a noise-aware CLIP named by reference ({@code clip}: a run folder, a run name with its folder, as
 * {@code io.difflab.kit.clip.ClipReference} reads them), μ̂ = μ + s·Σ·∇_x F on ancestral steps and the
 * score form on DDIM steps ({@link ScoreGuidance}). The estimator keeps its own caption (GLIDE's
 * clip-guided sampling feeds the conditional model, without classifier-free guidance). The CLIP must
 * have been noised by the same forward process the sampler runs (schedule and T). One estimator call
 * and one CLIP gradient per step.
 */
@Extension
public class ClipGuidance implements GuidanceHead {

    /** glide-text2im's clip_guided notebook samples with a guidance scale of 3. */
    static final double DEFAULT_SCALE = 3.0;

    private final ExtensionRegistry registry;
    private final LoadedClips clips;

    @Inject
    public ClipGuidance(ExtensionRegistry registry) {
        this.registry = registry;
        this.clips = new LoadedClips(registry);
    }

    @Override
    public String name() {
        return "glide-clip";
    }

    @Override
    public String description() {
        return "CLIP guidance with a noise-aware CLIP: mu + s*Sigma*grad(f(x_t,t).g(c)) (GLIDE, Nichol et al. 2021)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.choice("clip", "", List.of(),
                        "the noise-aware CLIP: a run folder or a run name with its folder (e.g. runs/clip-noised)"),
                Option.real("scale", DEFAULT_SCALE, 0.0, 1000.0,
                        "guidance scale s: the mean moves by s * Sigma * grad(f(x_t,t).g(c)) (0 = unguided)"));
    }

    @Override
    public Denoiser wrap(Denoiser denoiser, GuidanceContext context) {
        Config c = context.config();
        LoadedClip loaded = clips.get(reference(c), context.device());
        ClipModel clip = loaded.model();
        if (!clip.noiseAware()) {
            throw new UserError(c.path() + ".clip: " + loaded.source() + " is not noise-aware; CLIP guidance reads "
                    + "x_t: train one with model.noise_aware: true");
        }
        checkSameForwardProcess(c, loaded, forwardProcess(c, loaded), context.schedule());
        return ScoreGuidance.wrap(denoiser, new NoisedClipScore(clip, ClipTextEmbedding.NAME), c.getDouble("scale"),
                context.schedule().timestepMap());
    }

    /**
     * The captions' CLIP text embeddings, ĝ(c). Validation calls this before a run creates anything, so
     * the CLIP named by {@code clip} must be there and noise-aware: read from its run's architecture,
     * without loading its weights (they load on the run's device when the first captions are encoded).
     */
    @Override
    public List<ConditionEncoder> conditions(Config config, DatasetInfo dataset) {
        String reference = reference(config);
        Optional<ClipArchitecture> architecture;
        try {
            architecture = ClipReference.architecture(reference);
        } catch (UserError e) {
            throw new UserError(config.path() + ".clip: " + e.getMessage(), e);
        }
        if (architecture.isEmpty() || !architecture.get().noiseAware()) {
            throw new UserError(config.path() + ".clip: " + reference + " is not noise-aware" + (architecture.isEmpty()
                    ? " (a TorchScript CLIP reads clean images)" : "") + "; CLIP guidance reads x_t: train one with "
                    + "model.noise_aware: true");
        }
        return List.of(new ClipTextEmbedding(device -> clips.get(reference, device)));
    }

    /** One estimator call and one CLIP backward pass per step; none at s = 0, which is unguided. */
    @Override
    public GuidanceCost cost(Config config) {
        return config.getDouble("scale") == 0 ? GuidanceCost.UNGUIDED : new GuidanceCost(1, 1);
    }

    private static String reference(Config config) {
        String reference = config.getString("clip");
        if (reference.isBlank()) {
            throw new UserError(config.path() + ".clip: CLIP guidance needs a noise-aware CLIP: name its run folder "
                    + "or run name (e.g. runs/clip-noised, trained with model: {name: clip, noise_aware: true})");
        }
        return reference;
    }

    /** The forward process a noise-aware CLIP names, {@code <schedule>:<T>}, rebuilt from the registry. */
    private DiffusionSchedule forwardProcess(Config config, LoadedClip loaded) {
        String noisedBy = loaded.model().noisedBy();
        int colon = noisedBy.lastIndexOf(':');
        try {
            NoiseSchedule schedule = registry.get(NoiseSchedule.class, noisedBy.substring(0, colon));
            return schedule.build(Integer.parseInt(noisedBy.substring(colon + 1)),
                    Config.of(config.path() + ".clip", schedule.options(), Map.of()));
        } catch (RuntimeException e) {
            throw new UserError(config.path() + ".clip: " + loaded.source() + " names no forward process this "
                    + "platform can rebuild ('" + noisedBy + "')", e);
        }
    }

    /**
     * The CLIP read x_t of its own forward process: its ᾱ at each sampled step's original timestep must
     * be the sampler's ᾱ there.
     */
    static void checkSameForwardProcess(Config config, LoadedClip loaded, DiffusionSchedule clipSchedule,
                                        DiffusionSchedule sampler) {
        int[] map = sampler.timestepMap();
        for (int k = 0; k < map.length; k++) {
            if (map[k] >= clipSchedule.timesteps()
                    || Math.abs(clipSchedule.alphaCumprod(map[k]) - sampler.alphaCumprod(k)) > 1e-6) {
                throw new UserError(config.path() + ".clip: " + loaded.source() + " was noised by "
                        + loaded.model().noisedBy() + ", and this model's schedule differs (at timestep " + map[k]
                        + "); train the CLIP with the model's schedule and timesteps (model.noise_schedule, "
                        + "model.timesteps)");
            }
        }
    }
}
