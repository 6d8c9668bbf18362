package io.difflab.kit.schedule;

import io.difflab.api.UserError;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * Which original timesteps a respaced schedule keeps, as guided-diffusion's
 * {@code space_timesteps} (Nichol &amp; Dhariwal 2021, sec. 4): evenly spaced counts per section,
 * or the DDIM form {@code ddimN}, an integer stride from 0 (Song et al. 2021, sec. 4.2). The
 * result goes to {@link io.difflab.api.DiffusionSchedule#respace(int[])}.
 */
public final class TimestepSpacing {

    private TimestepSpacing() {
    }

    /** {@code count} timesteps evenly spaced over 0..T−1, first and last included (for count ≥ 2). */
    public static int[] evenly(int timesteps, int count) {
        return sections(timesteps, count);
    }

    /**
     * Splits 0..T−1 into {@code counts.length} equal sections (the first T mod k one longer) and
     * takes {@code counts[i]} evenly spaced steps from section i, rounding half to even as Python's
     * {@code round} does.
     */
    public static int[] sections(int timesteps, int... counts) {
        requirePositive(timesteps);
        if (counts.length == 0 || counts.length > timesteps) {
            throw new UserError("cannot split " + timesteps + " timesteps into " + counts.length + " sections");
        }
        int sizePer = timesteps / counts.length;
        int extra = timesteps % counts.length;
        int start = 0;
        TreeSet<Integer> kept = new TreeSet<>();
        for (int i = 0; i < counts.length; i++) {
            int size = sizePer + (i < extra ? 1 : 0);
            int count = counts[i];
            if (count < 1 || count > size) {
                throw new UserError("cannot take " + count + " steps from a section of " + size
                        + " timesteps (of " + timesteps + "); use between 1 and " + size);
            }
            double fracStride = count <= 1 ? 1.0 : (double) (size - 1) / (count - 1);
            double cur = 0.0;
            for (int k = 0; k < count; k++) {
                kept.add(start + (int) Math.rint(cur));
                cur += fracStride;
            }
            start += size;
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The DDIM form: 0, s, 2s, ... below T for the integer stride s that gives exactly {@code count} steps. */
    public static int[] ddim(int timesteps, int count) {
        requirePositive(timesteps);
        for (int stride = 1; stride < Math.max(timesteps, 2); stride++) {
            if ((timesteps + stride - 1) / stride == count) {
                int[] kept = new int[count];
                for (int i = 0; i < count; i++) {
                    kept[i] = i * stride;
                }
                return kept;
            }
        }
        throw new UserError("cannot take exactly " + count + " of " + timesteps
                + " timesteps with an integer stride; use evenly spaced steps instead");
    }

    /**
     * Parses guided-diffusion's string form: {@code "ddim50"} or comma-separated section counts
     * such as {@code "10,15,20"}.
     */
    public static int[] parse(int timesteps, String spacing) {
        String s = spacing.strip();
        try {
            if (s.startsWith("ddim")) {
                return ddim(timesteps, Integer.parseInt(s.substring(4)));
            }
            return sections(timesteps, Arrays.stream(s.split(",")).map(String::strip)
                    .mapToInt(Integer::parseInt).toArray());
        } catch (NumberFormatException e) {
            throw new UserError("timestep spacing '" + spacing + "' is neither 'ddimN' nor a list of counts like '10,15,20'");
        }
    }

    private static void requirePositive(int timesteps) {
        if (timesteps < 1) {
            throw new UserError("a schedule needs at least 1 timestep, got " + timesteps);
        }
    }
}
