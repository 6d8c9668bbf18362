package io.difflab.kit.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.TrainingBatch;
import io.difflab.kit.condition.Conditions;
import io.difflab.kit.engine.ShardedStep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The training loop shared by every model family: batches in a seeded order, the family's loss,
 * backward, global-norm clipping, Adam with warm-up, the weight EMA, reports to listeners and
 * atomic checkpoints. Every step's arrays live in a sub-manager closed at the step's end.
 * Each report also carries the training cost so far: {@code train.seconds} (wall time of the
 * training steps, summed over resumed segments through the checkpoints) and {@code train.images}
 * (images seen: steps × batch size).
 *
 * <p>A step is a pure function of (state, seed, step): the data order, the noise source and the
 * engine's RNG (dropout) are all derived from the seed and the step, and the objective's own state
 * (a loss-aware timestep sampler's history) is checkpointed with the weights, so a run resumed from
 * a checkpoint continues exactly as an uninterrupted one. The averages of a report in progress are
 * part of the checkpoint too, so the first report after a resume averages the same steps.
 */
public final class Trainer {

    /** Report key: wall seconds spent in training steps, over every segment of a resumed run. */
    public static final String SECONDS = "train.seconds";
    /** Report key: images seen so far (steps × batch size). */
    public static final String IMAGES = "train.images";
    /** Checkpoint state keys of the objective's own state ({@link io.difflab.api.TrainingObjective#state()}). */
    static final String OBJECTIVE = "objective.";
    /** Checkpoint state key: the shards each training pass was cut into ({@link ShardedStep}). */
    static final String SHARDS = "train.shards";

    private final TrainSettings settings;
    private final List<TrainingListener> listeners;

    public Trainer(TrainSettings settings, List<TrainingListener> listeners) {
        this.settings = settings;
        this.listeners = List.copyOf(listeners);
    }

    /** Trains until {@code settings.steps()}; returns the number of steps done. */
    public long train(TrainingJob job) {
        TrainingSession session = job.session();
        long start = 0;
        String lastCheckpoint = "none";
        double secondsBefore = 0;
        ReportAverager averager = new ReportAverager();
        // a step's rounding depends on its shard count: a resumed run keeps the count it started with
        int shards = ShardedStep.shardsFor(session.block(), job.manager());
        if (job.resume()) {
            Optional<Checkpoint> latest = job.checkpoints().latest();
            if (latest.isPresent()) {
                session.restore(latest.get());
                start = latest.get().step();
                lastCheckpoint = latest.get().dir().toString();
                Properties state = CheckpointStore.readState(latest.get());
                secondsBefore = Double.parseDouble(state.getProperty(SECONDS, "0"));
                averager.restore(state);
                shards = Integer.parseInt(state.getProperty(SHARDS, "1")); // checkpoints from before sharding: 1
                job.objective().restore(objectiveState(state));
            }
        }
        String network = job.checkpoints().root().getFileName().toString();
        long segmentStart = System.nanoTime();
        DataOrder order = new DataOrder(job.data().size(), job.seed());
        ParameterStore store = session.trainingStore();
        for (TrainingListener l : listeners) {
            l.onStart(start, settings.steps());
        }
        long step = start;
        try {
            while (step < settings.steps()) {
                Map<String, Double> metrics = step(job, order, store, step, shards);
                step++;
                double loss = metrics.get("train.loss");
                if (!Double.isFinite(loss)) {
                    throw new NonFiniteLossException(step, "the loss is " + loss, lastCheckpoint);
                }
                Double norm = metrics.get("train.grad_norm");
                if (norm != null && !Double.isFinite(norm)) {
                    // clipping cannot rescue it (inf · 0 = NaN): fail before the weights are poisoned
                    throw new NonFiniteLossException(step, "the gradient norm is " + norm, lastCheckpoint);
                }
                averager.add(metrics);
                FaultPoint.reach("train.step", network + "@" + step);
                for (TrainingListener l : listeners) {
                    l.onStep(step, metrics);
                }
                if (step % settings.logEvery() == 0 || step == settings.steps()) {
                    Map<String, Double> report = averager.drain();
                    report.put(SECONDS, secondsBefore + (System.nanoTime() - segmentStart) / 1e9);
                    report.put(IMAGES, (double) step * settings.batchSize());
                    for (TrainingListener l : listeners) {
                        l.onReport(step, report);
                    }
                }
                if (step % settings.checkpointEvery() == 0 || step == settings.steps()) {
                    Properties state = stateOf(job, step, loss, shards);
                    averager.save(state);
                    state.setProperty(SECONDS, Double.toString(secondsBefore + (System.nanoTime() - segmentStart) / 1e9));
                    Checkpoint c = session.checkpoint(job.checkpoints(), step, state);
                    lastCheckpoint = c.dir().toString();
                    for (TrainingListener l : listeners) {
                        l.onCheckpoint(c);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            for (TrainingListener l : listeners) {
                l.onEnd(step, e);
            }
            throw e;
        }
        for (TrainingListener l : listeners) {
            l.onEnd(step, null);
        }
        return step;
    }

    private Map<String, Double> step(TrainingJob job, DataOrder order, ParameterStore store, long step, int shards) {
        TrainingSession session = job.session();
        // dropout and any other engine-side randomness: a function of (seed, step)
        Engine.getEngine(job.manager().getEngine().getEngineName())
                .setRandomSeed((int) (StepSeeds.mix(job.seed(), step) & 0x7fffffffL));
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (NDManager sub = job.manager().newSubManager()) {
            int[] indices = order.batch(step, settings.batchSize());
            NDArray images = job.data().images(sub, indices);
            Condition condition = Conditions.of(job.conditions(), job.data(), indices, sub);
            TrainingBatch batch = new TrainingBatch(sub, images, condition, job.noiseForStep().apply(step),
                    job.trained(), step);
            Map<String, NDArray> extra = new LinkedHashMap<>();
            NDArray loss;
            // on a multi-core CPU each network pass runs as shards of the batch side by side (ShardedStep)
            try (ShardedStep passes = ShardedStep.of(session.block(), store, shards);
                 GradientCollector collector = Engine.getEngine(sub.getEngine().getEngineName())
                         .newGradientCollector()) {
                loss = job.objective().loss(batch, passes::forward, extra);
                collector.backward(loss);
                passes.backward();
            }
            double lossValue = loss.getFloat();
            metrics.put("train.loss", lossValue);
            for (Map.Entry<String, NDArray> e : extra.entrySet()) {
                metrics.put(e.getKey(), (double) e.getValue().getFloat());
            }
            if (!Double.isFinite(lossValue)) {
                return metrics;
            }
            double norm = session.gradientNorm();
            metrics.put("train.grad_norm", norm);
            if (!Double.isFinite(norm)) {
                return metrics;
            }
            double scale = settings.gradClip() > 0 && norm > settings.gradClip() ? settings.gradClip() / norm : 1.0;
            double lr = learningRateAt(settings, step);
            session.optimizer().step(lr, scale);
            session.ema().update(settings.emaDecay());
            metrics.put("train.lr", lr);
        }
        return metrics;
    }

    /** The learning rate at 0-based {@code step}: linear warm-up, then constant (Ho et al. 2020, App. B). */
    static double learningRateAt(TrainSettings settings, long step) {
        if (settings.warmupSteps() <= 0) {
            return settings.lr();
        }
        return settings.lr() * Math.min(1.0, (step + 1.0) / settings.warmupSteps());
    }

    private Properties stateOf(TrainingJob job, long step, double loss, int shards) {
        Properties p = new Properties();
        p.setProperty("seed", Long.toString(job.seed()));
        p.setProperty("data_position", Long.toString(step * settings.batchSize()));
        p.setProperty("train.loss", Double.toString(loss));
        p.setProperty(SHARDS, Integer.toString(shards));
        job.objective().state().forEach((k, v) -> p.setProperty(OBJECTIVE + k, v));
        return p;
    }

    /** The objective's entries of a checkpoint state, without their prefix. */
    static Map<String, String> objectiveState(Properties state) {
        Map<String, String> own = new LinkedHashMap<>();
        for (String key : state.stringPropertyNames()) {
            if (key.startsWith(OBJECTIVE)) {
                own.put(key.substring(OBJECTIVE.length()), state.getProperty(key));
            }
        }
        return own;
    }

    /** Averages metrics between reports; its sums go into checkpoints (exactly: Double.toString round-trips). */
    private static final class ReportAverager {
        private static final String SUM = "report.sum.";
        private static final String COUNT = "report.count.";
        private final Map<String, double[]> sums = new LinkedHashMap<>();

        void save(Properties state) {
            sums.forEach((k, s) -> {
                state.setProperty(SUM + k, Double.toString(s[0]));
                state.setProperty(COUNT + k, Double.toString(s[1]));
            });
            state.setProperty("report.keys", String.join(",", sums.keySet()));
        }

        void restore(Properties state) {
            sums.clear();
            String keys = state.getProperty("report.keys", "");
            for (String k : keys.isEmpty() ? new String[0] : keys.split(",")) {
                sums.put(k, new double[] {Double.parseDouble(state.getProperty(SUM + k)),
                    Double.parseDouble(state.getProperty(COUNT + k))});
            }
        }

        void add(Map<String, Double> metrics) {
            metrics.forEach((k, v) -> {
                double[] s = sums.computeIfAbsent(k, x -> new double[2]);
                s[0] += v;
                s[1]++;
            });
        }

        Map<String, Double> drain() {
            Map<String, Double> out = new LinkedHashMap<>();
            sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
            sums.clear();
            return out;
        }
    }
}
