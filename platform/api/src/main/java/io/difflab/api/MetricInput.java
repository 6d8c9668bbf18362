package io.difflab.api;

import ai.djl.ndarray.NDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a metric gets.
 *
 * @param samples   generated images (N,C,H,W) in [−1, 1]; {@code null} when the model generates none (then
 *                  only metrics that score no samples run: {@link Metric#scoresSamples()})
 * @param requested the raw condition values each sample was asked for, per field ({@code label}: the
 *                  class, {@code caption}: the prompt); empty when unconditional
 * @param train     the training split (for evaluators and floors)
 * @param test      the reference (test) split
 * @param schedule  the full diffusion schedule, or {@code null} for non-diffusion models
 * @param denoiser  the trained estimator on the full schedule (for likelihoods), or {@code null}
 * @param sampling  facts about how the samples were made: {@code sample.nfe}, {@code sample.grad_evals},
 *                  {@code sample.seconds}, {@code sample.peak_bytes}
 * @param config    the validated section of this metric
 * @param run       the run it belongs to
 */
public record MetricInput(NDArray samples, Map<String, List<Object>> requested, ImageDataset train,
                          ImageDataset test, DiffusionSchedule schedule, Denoiser denoiser,
                          Map<String, Double> sampling, Config config, RunContext run) {

    public MetricInput {
        requested = Collections.unmodifiableMap(new LinkedHashMap<>(requested));
    }

    /** With the class each sample was asked for, or {@code null} when unconditional. */
    public MetricInput(NDArray samples, int[] requestedLabels, ImageDataset train, ImageDataset test,
                       DiffusionSchedule schedule, Denoiser denoiser, Map<String, Double> sampling, Config config,
                       RunContext run) {
        this(samples, labelsField(requestedLabels), train, test, schedule, denoiser, sampling, config, run);
    }

    /** The class each sample was asked for, or {@code null} when no labels were requested. */
    public int[] requestedLabels() {
        List<Object> labels = requested.get(ConditionFields.LABEL);
        if (labels == null) {
            return null;
        }
        int[] out = new int[labels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) labels.get(i)).intValue();
        }
        return out;
    }

    /** The caption each sample was asked for, or {@code null} when no captions were requested. */
    @SuppressWarnings("unchecked")
    public List<String> requestedCaptions() {
        List<Object> captions = requested.get(ConditionFields.CAPTION);
        return captions == null ? null : (List<String>) (List<?>) captions;
    }

    private static Map<String, List<Object>> labelsField(int[] labels) {
        if (labels == null) {
            return Map.of();
        }
        List<Object> list = new java.util.ArrayList<>(labels.length);
        for (int l : labels) {
            list.add(l);
        }
        return Map.of(ConditionFields.LABEL, list);
    }
}
