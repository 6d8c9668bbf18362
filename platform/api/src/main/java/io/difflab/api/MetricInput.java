package io.difflab.api;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * What a metric gets.
 *
 * @param samples         generated images (N,C,H,W) in [−1, 1]
 * @param requestedLabels the class each sample was asked for, or {@code null} when unconditional
 * @param train           the training split (for evaluators and floors)
 * @param test            the reference (test) split
 * @param schedule        the full diffusion schedule, or {@code null} for non-diffusion models
 * @param denoiser        the trained estimator on the full schedule (for likelihoods), or {@code null}
 * @param sampling        facts about how the samples were made: {@code sample.nfe},
 *                        {@code sample.grad_evals}, {@code sample.seconds}, {@code sample.peak_bytes}
 * @param config          the validated section of this metric
 * @param run             the run it belongs to
 */
public record MetricInput(NDArray samples, int[] requestedLabels, ImageDataset train, ImageDataset test,
                          DiffusionSchedule schedule, Denoiser denoiser, Map<String, Double> sampling,
                          Config config, RunContext run) { }
