package io.difflab.host.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.difflab.api.UserError;

/** Turns the spec's {@code device} ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}) into a DJL device. */
public final class Devices {

    private Devices() {
    }

    /**
     * @throws UserError when a GPU is asked for and the engine sees none (or not that many)
     */
    public static Device resolve(String spec) {
        int gpus = Engine.getInstance().getGpuCount();
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            int id = s.equals("gpu") ? 0 : Integer.parseInt(s.substring(4));
            if (id >= gpus) {
                throw new UserError("device: " + spec + " asked for, but the engine sees " + gpus + " GPU(s)"
                        + (gpus == 0 ? " (build with -Pgpu on a CUDA machine, or use device: cpu)" : ""),
                        io.difflab.host.spec.SpecException.EXIT_CODE, null);
            }
            return Device.gpu(id);
        }
        throw new UserError("device: '" + spec + "' is not one of auto, cpu, gpu, gpu:N");
    }
}
