package io.difflab.kit.model;

import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionInput;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.GuidanceHead;
import io.difflab.api.ModelContext;
import io.difflab.api.NoiseEstimator;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Sampler;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainingObjective;
import io.difflab.api.UserError;
import io.difflab.api.VarianceType;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.diffusion.DiffusionObjective;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.diffusion.HybridLossObjective;
import io.difflab.kit.diffusion.ScheduleSampler;
import io.difflab.kit.diffusion.SimpleLossObjective;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * How a diffusion family states its recipe: the estimator it needs, the conditions it trains on,
 * its objective and auxiliary networks; the schedule, estimator, sampler and guidance come from the
 * spec's sections. {@link #build()} checks that the pieces fit (conditions the dataset has, networks
 * the guidance needs, a variance the estimator can give) and throws {@link UserError} naming the key.
 */
public final class DiffusionRecipe {

    private final ModelContext context;
    private final DiffusionSchedule schedule;
    private EstimatorSpec estimatorSpec;
    private List<ConditionEncoder> conditions = List.of();
    private List<ConditionEncoder> derived = List.of();
    private Function<EstimatorNetwork, TrainingObjective> objective;
    private List<TrainableNetwork> auxiliary = List.of();

    private DiffusionRecipe(ModelContext context) {
        this.context = context;
        Config s = context.section("schedule");
        this.schedule = context.component("schedule", NoiseSchedule.class).build(s.getInt("timesteps"), s);
    }

    /** A recipe over {@code context}'s sections; builds the schedule at once. */
    public static DiffusionRecipe of(ModelContext context) {
        return new DiffusionRecipe(context);
    }

    /** The full training schedule. */
    public DiffusionSchedule schedule() {
        return schedule;
    }

    /** What the dataset provides. */
    public DatasetInfo dataset() {
        return context.dataset();
    }

    /** The {@code model} section. */
    public Config model() {
        return context.model();
    }

    /** What the estimator must output and consume (required). */
    public DiffusionRecipe setEstimatorSpec(EstimatorSpec spec) {
        this.estimatorSpec = spec;
        return this;
    }

    /** The encoders of the estimator's conditions, one per {@link EstimatorSpec#conditions()} entry, same order. */
    public DiffusionRecipe setConditions(List<ConditionEncoder> conditions) {
        this.conditions = List.copyOf(conditions);
        return this;
    }

    /**
     * Conditions the estimator consumes after those of {@link #setConditions}, one per remaining
     * {@link EstimatorSpec#conditions()} entry, that training derives from the batch itself (the
     * objective adds them, e.g. an upsampler's low-resolution copy of each image) and sampling encodes
     * from the sample requests (e.g. {@code sample.reference_images}). Their fields need not be the
     * dataset's.
     */
    public DiffusionRecipe optDerivedConditions(List<ConditionEncoder> derived) {
        this.derived = List.copyOf(derived);
        return this;
    }

    /** The estimator's loss, made for the built estimator (required). */
    public DiffusionRecipe setObjective(Function<EstimatorNetwork, TrainingObjective> objective) {
        this.objective = objective;
        return this;
    }

    /**
     * L_simple (Ho et al. 2020, eq. 14) for the built estimator: its target is what the estimator
     * declares it predicts (ε, x_0 or v), t comes from {@code train.schedule_sampler}.
     */
    public Function<EstimatorNetwork, TrainingObjective> simpleLoss(ConditionDropout dropout) {
        return network -> new SimpleLossObjective(new GaussianDiffusion(schedule), network.parameterization(),
                scheduleSampler(), dropout);
    }

    /**
     * L_hybrid = L_simple + λ·L_vlb (Nichol &amp; Dhariwal 2021, eq. 16) for the built estimator (which
     * must learn its variance), with its parameterization's target and {@code train.schedule_sampler}.
     */
    public Function<EstimatorNetwork, TrainingObjective> hybridLoss(double vlbWeight, ConditionDropout dropout) {
        return network -> new HybridLossObjective(new GaussianDiffusion(schedule), vlbWeight,
                network.parameterization(), scheduleSampler(), dropout);
    }

    /** A fresh timestep sampler as {@code train.schedule_sampler} names it (uniform without a train section). */
    public ScheduleSampler scheduleSampler() {
        Config train = context.sections().get("train");
        String name = train == null || !train.has("schedule_sampler") ? ScheduleSampler.UNIFORM
                : train.getString("schedule_sampler");
        return ScheduleSampler.named(name, schedule.timesteps());
    }

    /** Networks trained after the estimator (e.g. a noise-aware classifier). */
    public DiffusionRecipe optAuxiliary(List<TrainableNetwork> auxiliary) {
        this.auxiliary = List.copyOf(auxiliary);
        return this;
    }

    /** Checks the pieces and builds the model (networks uninitialized). */
    public DiffusionModel build() {
        if (estimatorSpec == null || objective == null) {
            throw new IllegalStateException("a diffusion recipe needs setEstimatorSpec and setObjective");
        }
        checkConditions();
        EstimatorNetwork network = context.component("estimator", NoiseEstimator.class)
                .build(context.section("estimator"), estimatorSpec);
        TrainingObjective loss = objective.apply(network);
        if (loss instanceof DiffusionObjective d && d.parameterization() != network.parameterization()) {
            throw new UserError(context.section("estimator").path() + ": the estimator predicts "
                    + network.parameterization() + ", but model '" + model().getString("name") + "' trains it with a "
                    + d.parameterization() + "-prediction loss; build the objective with the recipe's simpleLoss or "
                    + "hybridLoss, which follow the estimator");
        }
        TrainableNetwork estimator = TrainableNetwork.primary(DiffusionModel.ESTIMATOR, network.block(),
                DiffusionModel.inputShapes(network), loss, conditions);
        Config guidanceConfig = context.section("guidance");
        GuidanceHead guidance = context.component("guidance", GuidanceHead.class);
        Set<String> trained = new TreeSet<>(List.of(DiffusionModel.ESTIMATOR));
        auxiliary.forEach(a -> trained.add(a.name()));
        for (String needed : guidance.requiredNetworks(guidanceConfig)) {
            if (!trained.contains(needed)) {
                throw new UserError(guidanceConfig.path() + ".name: guidance '" + guidance.name() + "' needs a trained "
                        + "network '" + needed + "', but model '" + model().getString("name") + "' trains " + trained
                        + " with these settings; choose another guidance (e.g. none)");
            }
        }
        List<ConditionEncoder> guidanceConditions = new ArrayList<>(derived);
        guidanceConditions.addAll(guidance.conditions(guidanceConfig, dataset()));
        Config samplerConfig = context.section("sampler");
        VarianceType variance = varianceType(samplerConfig, network.spec());
        return new DiffusionModel(schedule, network, estimator, auxiliary, guidanceConditions,
                context.component("sampler", Sampler.class), samplerConfig, variance, guidance, guidanceConfig);
    }

    private void checkConditions() {
        List<ConditionInput> inputs = estimatorSpec.conditions();
        if (inputs.size() != conditions.size() + derived.size()) {
            throw new IllegalStateException("the estimator consumes " + inputs.size() + " conditions, the recipe "
                    + "encodes " + conditions.size() + " and derives " + derived.size());
        }
        List<ConditionEncoder> all = new ArrayList<>(conditions);
        all.addAll(derived);
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            ConditionEncoder e = all.get(i);
            if (!e.name().equals(inputs.get(i).name()) || e.kind() != inputs.get(i).kind()) {
                throw new IllegalStateException("condition " + i + " is " + inputs.get(i).name() + ":"
                        + inputs.get(i).kind().name() + " in the estimator but " + e.name() + ":" + e.kind().name()
                        + " in its encoder");
            }
            if (i < conditions.size() && !dataset().has(e.field())) {
                missing.add(e.field());
            }
        }
        if (!missing.isEmpty()) {
            throw new UserError("model '" + model().getString("name") + "' trains on the condition fields " + missing
                    + ", but the dataset provides " + dataset().fields().keySet() + "; use a dataset that has them");
        }
    }

    /** {@code sampler.variance}: {@code auto} is learned when the estimator learns it, else β_t as in DDPM. */
    static VarianceType varianceType(Config sampler, EstimatorSpec spec) {
        String name = sampler.getString("variance");
        if (name.equals("learned") && !spec.learnsVariance()) {
            throw new UserError(sampler.path() + ".variance: 'learned' needs an estimator that learns its variance "
                    + "(e.g. model gd); this model's has a fixed one: use auto, fixed_small or fixed_large");
        }
        return switch (name) {
            case "fixed_small" -> VarianceType.FIXED_SMALL;
            case "fixed_large" -> VarianceType.FIXED_LARGE;
            case "learned" -> VarianceType.LEARNED_RANGE;
            default -> spec.learnsVariance() ? VarianceType.LEARNED_RANGE : VarianceType.FIXED_LARGE;
        };
    }
}
