package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Condition;
import io.difflab.api.NoiseSource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The condition dropout that trains one network for conditional and unconditional prediction
 * (Ho &amp; Salimans 2021, Alg. 1, line 3: c ← ∅ with probability p_uncond), for any condition kind
 * and with a probability per condition (unCLIP's decoder drops the CLIP embedding 10% and the
 * caption 50% of the time, independently; Ramesh et al. 2022, sec. 2.1). Each sample of a batch is
 * dropped independently, decided by u &lt; p with u ~ U[0, 1) from the batch's seeded noise source,
 * one draw per sample and condition in the order the probabilities are given, so a run is
 * reproducible and resumable.
 */
public final class ConditionDropout {

    /** No dropout. */
    public static final ConditionDropout NONE = new ConditionDropout(Map.of());

    private final Map<String, Double> probabilities;

    /** @param probabilities p_uncond in [0, 1] per condition name; conditions not named are kept */
    public ConditionDropout(Map<String, Double> probabilities) {
        probabilities.forEach((name, p) -> {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("p_uncond of '" + name + "' must be in [0, 1], got " + p);
            }
        });
        this.probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
    }

    /** One probability for the condition {@code name}. */
    public static ConditionDropout of(String name, double probability) {
        return new ConditionDropout(Map.of(name, probability));
    }

    /** p_uncond per condition. */
    public Map<String, Double> probabilities() {
        return probabilities;
    }

    /** An (n) boolean mask, true for the samples whose condition becomes ∅; one uniform draw per sample. */
    public static NDArray mask(NoiseSource noise, NDManager manager, long n, double probability) {
        return noise.uniform(manager, n).lt(probability);
    }

    /**
     * {@code condition} with each named entry's rows dropped to ∅ by its own draws; the share of rows
     * dropped goes into {@code dropped} under {@code train.dropped} (one condition) or
     * {@code train.dropped.<name>}. Entries the batch lacks are skipped without a draw.
     */
    public Condition apply(Condition condition, NoiseSource noise, NDManager manager, Map<String, NDArray> dropped) {
        Condition out = condition;
        long n = condition.batchSize();
        for (Map.Entry<String, Double> e : probabilities.entrySet()) {
            if (!condition.has(e.getKey())) {
                continue;
            }
            NDArray mask = mask(noise, manager, n, e.getValue());
            out = out.dropRows(e.getKey(), mask);
            String key = probabilities.size() == 1 ? "train.dropped" : "train.dropped." + e.getKey();
            dropped.put(key, mask.toType(DataType.FLOAT32, false).mean());
        }
        return out;
    }
}
