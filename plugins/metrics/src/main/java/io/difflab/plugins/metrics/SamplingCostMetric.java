package io.difflab.plugins.metrics;

import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code cost}: what sampling cost, from the facts the sampler recorded. {@code sample.nfe} and
 * {@code sample.grad_evals} count the estimator calls and gradient evaluations along one sample's
 * trajectory (the NFE of the literature: 1000 for DDPM, 50 for DDIM-50, twice that with
 * classifier-free guidance); {@code sample.seconds} is the wall time of sampling divided by the
 * number of samples (as the host's sample generator records it); {@code sample.peak_bytes} the
 * peak memory while sampling. Facts that were not recorded are left out.
 */
@Extension
public final class SamplingCostMetric implements Metric {

    private static final Logger LOG = LoggerFactory.getLogger(SamplingCostMetric.class);
    private static final double MEBIBYTE = 1024.0 * 1024.0;

    public SamplingCostMetric() { }

    @Override
    public String name() {
        return "cost";
    }

    @Override
    public String description() {
        return "sampling cost: estimator calls (NFE) and gradient evaluations per sample, seconds per sample, peak memory";
    }

    @Override
    public Map<String, Double> compute(MetricInput input) {
        Map<String, Double> facts = input.sampling() == null ? Map.of() : input.sampling();
        Map<String, Double> out = new LinkedHashMap<>();
        copy(facts, "sample.nfe", out, "eval.nfe", 1);
        copy(facts, "sample.grad_evals", out, "eval.grad_evals", 1);
        copy(facts, "sample.seconds", out, "eval.seconds_per_sample", 1);
        copy(facts, "sample.peak_bytes", out, "eval.peak_mb", 1.0 / MEBIBYTE);
        if (out.isEmpty()) {
            LOG.warn("cost skipped: the run recorded no sampling facts (sample.nfe, sample.seconds, ...)");
        }
        return out;
    }

    private static void copy(Map<String, Double> facts, String from, Map<String, Double> out, String to, double scale) {
        Double value = facts.get(from);
        if (value != null) {
            out.put(to, value * scale);
        }
    }
}
