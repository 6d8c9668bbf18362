package io.difflab.host.run;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Sampler;
import io.difflab.api.VarianceType;

import java.util.Map;

/**
 * How to draw samples from a trained estimator.
 *
 * @param manager        where the samples end up (its device is used throughout)
 * @param schedule       the full training schedule
 * @param steps          sampling steps: the schedule is respaced to this many evenly spaced steps
 * @param network        the trained estimator
 * @param parameters     the weights to use (the EMA store)
 * @param sampler        the sampler
 * @param samplerConfig  its validated section
 * @param varianceType   Σ for stochastic samplers
 * @param guidance       the guidance head
 * @param guidanceConfig its validated section
 * @param auxiliary      networks the guidance may use (e.g. a classifier)
 * @param count          how many samples
 * @param batchSize      samples per batch
 * @param numClasses     classes to cycle through as requested labels; 0 for unconditional
 * @param seed           the run's seed
 */
public record SamplingPlan(NDManager manager, DiffusionSchedule schedule, int steps, EstimatorNetwork network,
                           ParameterStore parameters, Sampler sampler, Config samplerConfig,
                           VarianceType varianceType, GuidanceHead guidance, Config guidanceConfig,
                           Map<String, Block> auxiliary, int count, int batchSize, int numClasses, long seed) { }
