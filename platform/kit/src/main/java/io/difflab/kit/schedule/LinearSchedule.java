package io.difflab.kit.schedule;

import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import org.pf4j.Extension;

import java.util.List;

/**
 * The linear β schedule of Ho et al. 2020 (sec. 4: β from 10⁻⁴ to 0.02 over T = 1000), with the
 * endpoints scaled by 1000/T as in Nichol &amp; Dhariwal's {@code get_named_beta_schedule}, so that
 * other T keep a comparable total amount of noise.
 */
@Extension
public class LinearSchedule implements NoiseSchedule {

    /** β_1 at T = 1000 (Ho et al. 2020, sec. 4). */
    public static final double DEFAULT_BETA_START = 1e-4;
    /** β_T at T = 1000 (Ho et al. 2020, sec. 4). */
    public static final double DEFAULT_BETA_END = 0.02;
    /** The T at which the endpoints are given; other T scale them by REFERENCE_TIMESTEPS / T. */
    public static final int REFERENCE_TIMESTEPS = 1000;
    /** The exit code of a spec that cannot work, as the host's spec validation uses. */
    static final int INVALID_SPEC = 2;

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String description() {
        return "linear betas from beta_start to beta_end at T=1000, scaled by 1000/T (Ho et al. 2020)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.real("beta_start", DEFAULT_BETA_START, 0.0, 1.0, "beta at t=1 for T=1000"),
                Option.real("beta_end", DEFAULT_BETA_END, 0.0, 1.0, "beta at t=T for T=1000"));
    }

    @Override
    public DiffusionSchedule build(int timesteps, Config config) {
        return DiffusionSchedule.fromBetas(betas(timesteps, config.getDouble("beta_start"),
                config.getDouble("beta_end"), config.path()));
    }

    /** Ho et al. 2020's schedule (β from 10⁻⁴ to 0.02 at T = 1000) over {@code timesteps}. */
    public static DiffusionSchedule of(int timesteps) {
        LinearSchedule linear = new LinearSchedule();
        return linear.build(timesteps, Config.of("schedule", linear.options(), java.util.Map.of()));
    }

    /**
     * β_t = linspace(scale·betaStart, scale·betaEnd, T), scale = 1000/T, in double precision
     * (guided-diffusion {@code get_named_beta_schedule("linear", T)}).
     */
    static double[] betas(int timesteps, double betaStart, double betaEnd, String path) {
        if (timesteps < 1) {
            throw new UserError(path + ".timesteps: must be at least 1, got " + timesteps, INVALID_SPEC, null);
        }
        if (!(betaStart > 0)) {
            throw new UserError(path + ".beta_start: must be above 0, got " + betaStart, INVALID_SPEC, null);
        }
        if (betaEnd < betaStart) {
            throw new UserError(path + ".beta_start: must be at most " + path + ".beta_end (" + betaEnd + "), got "
                    + betaStart + ": the noise grows from beta_start to beta_end", INVALID_SPEC, null);
        }
        double scale = (double) REFERENCE_TIMESTEPS / timesteps;
        double start = scale * betaStart;
        double end = scale * betaEnd;
        if (end >= 1.0) {
            throw new UserError(path + ".beta_end: with timesteps " + timesteps + " the scaled beta_end is " + end
                    + " (at least 1, which erases the image in one step); use more timesteps or a smaller beta_end",
                    INVALID_SPEC, null);
        }
        double[] betas = new double[timesteps];
        // numpy.linspace: t·step + start, the last value exactly `end` (T = 1 gives just `start`)
        double step = timesteps == 1 ? 0.0 : (end - start) / (timesteps - 1);
        for (int t = 0; t < timesteps; t++) {
            betas[t] = t * step + start;
        }
        if (timesteps > 1) {
            betas[timesteps - 1] = end;
        }
        return betas;
    }
}
