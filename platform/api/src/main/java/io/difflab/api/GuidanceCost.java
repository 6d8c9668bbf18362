package io.difflab.api;

/**
 * What a guidance method costs per sampling step and sample, for the survey's Table 3.
 *
 * @param estimatorCalls      network evaluations of the noise estimator (2 for classifier-free)
 * @param gradientEvaluations backward passes through an auxiliary network (1 for a classifier)
 */
public record GuidanceCost(int estimatorCalls, int gradientEvaluations) {

    /** One estimator call, no gradient: an unguided step. */
    public static final GuidanceCost UNGUIDED = new GuidanceCost(1, 0);
}
