package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.NoiseSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss-aware timestep sampler of Nichol &amp; Dhariwal 2021, sec. 3.3 (guided-diffusion's
 * {@code LossSecondMomentResampler}): p_t ∝ √E[L_t²] over the last {@value #HISTORY} losses seen at
 * each t, mixed with the uniform distribution at {@value #UNIFORM_PROB}, and uniform until every t
 * has {@value #HISTORY} losses. The losses are weighted by 1/(T·p_t), so their expectation is the
 * uniform one (importance sampling). Its history (exact doubles) is its checkpoint state.
 */
public final class LossSecondMomentSampler implements ScheduleSampler {

    /** Losses kept per timestep (Nichol &amp; Dhariwal 2021, sec. 3.3). */
    public static final int HISTORY = 10;
    /** The uniform share mixed into p (guided-diffusion's {@code uniform_prob}). */
    public static final double UNIFORM_PROB = 0.001;

    private final int timesteps;
    private final double[][] history;
    private final int[] counts;

    public LossSecondMomentSampler(int timesteps) {
        if (timesteps < 1) {
            throw new IllegalArgumentException("a schedule sampler needs at least 1 timestep, got " + timesteps);
        }
        this.timesteps = timesteps;
        this.history = new double[timesteps][HISTORY];
        this.counts = new int[timesteps];
    }

    @Override
    public Draw draw(NoiseSource noise, NDManager manager, long n) {
        if (!warmedUp()) {
            return new Draw(noise.randint(manager, timesteps, n), null);
        }
        double[] p = probabilities();
        double[] cumulative = new double[timesteps];
        double sum = 0;
        for (int t = 0; t < timesteps; t++) {
            sum += p[t];
            cumulative[t] = sum;
        }
        float[] u;
        try (NDArray uniform = noise.uniform(manager, n)) {
            u = uniform.toFloatArray();
        }
        int[] t = new int[u.length];
        float[] weights = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            int k = Arrays.binarySearch(cumulative, u[i] * sum);
            t[i] = Math.min(k >= 0 ? k + 1 : -k - 1, timesteps - 1);
            // the importance weight 1/(T·p_t) keeps E[w·L_t] the uniform expectation
            weights[i] = (float) (1.0 / (timesteps * p[t[i]]));
        }
        return new Draw(manager.create(t), manager.create(weights));
    }

    @Override
    public void update(int[] t, double[] losses) {
        for (int i = 0; i < t.length; i++) {
            double[] h = history[t[i]];
            if (counts[t[i]] == HISTORY) {
                System.arraycopy(h, 1, h, 0, HISTORY - 1);
                h[HISTORY - 1] = losses[i];
            } else {
                h[counts[t[i]]++] = losses[i];
            }
        }
    }

    @Override
    public boolean lossAware() {
        return true;
    }

    /** Whether every timestep has its full history (before that, t is uniform). */
    public boolean warmedUp() {
        for (int c : counts) {
            if (c < HISTORY) {
                return false;
            }
        }
        return true;
    }

    /**
     * p_t: uniform before warm-up, then √(mean of the squared losses at t), normalized, times
     * (1 − {@value #UNIFORM_PROB}), plus {@value #UNIFORM_PROB}/T.
     */
    public double[] probabilities() {
        double[] p = new double[timesteps];
        if (!warmedUp()) {
            Arrays.fill(p, 1.0 / timesteps);
            return p;
        }
        double sum = 0;
        for (int t = 0; t < timesteps; t++) {
            double squares = 0;
            for (double l : history[t]) {
                squares += l * l;
            }
            p[t] = Math.sqrt(squares / HISTORY);
            sum += p[t];
        }
        for (int t = 0; t < timesteps; t++) {
            p[t] = p[t] / sum * (1 - UNIFORM_PROB) + UNIFORM_PROB / timesteps;
        }
        return p;
    }

    @Override
    public Map<String, String> state() {
        ByteBuffer buffer = ByteBuffer.allocate(timesteps * (HISTORY * Double.BYTES + Integer.BYTES));
        for (int t = 0; t < timesteps; t++) {
            buffer.putInt(counts[t]);
            for (double l : history[t]) {
                buffer.putLong(Double.doubleToRawLongBits(l));
            }
        }
        Map<String, String> state = new LinkedHashMap<>();
        state.put("timesteps", Integer.toString(timesteps));
        state.put("history", Base64.getEncoder().encodeToString(buffer.array()));
        return state;
    }

    @Override
    public void restore(Map<String, String> state) {
        String saved = state.get("history");
        if (saved == null) {
            throw new IllegalArgumentException("the checkpoint holds no loss history of the schedule sampler "
                    + "(was it written with train.schedule_sampler uniform?)");
        }
        if (!Integer.toString(timesteps).equals(state.get("timesteps"))) {
            throw new IllegalArgumentException("the checkpoint's loss history is over " + state.get("timesteps")
                    + " timesteps, this schedule has " + timesteps);
        }
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(saved));
        for (int t = 0; t < timesteps; t++) {
            counts[t] = buffer.getInt();
            for (int k = 0; k < HISTORY; k++) {
                history[t][k] = Double.longBitsToDouble(buffer.getLong());
            }
        }
    }
}
