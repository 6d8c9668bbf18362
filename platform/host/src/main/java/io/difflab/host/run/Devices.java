package io.difflab.host.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.difflab.api.UserError;

import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Turns the spec's {@code device} ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}) into a DJL
 * device, refusing one this machine cannot provide with what to do about it. Commands call it
 * before they create a run folder or a tracked run, so a refused device leaves nothing behind.
 */
public final class Devices {

    private Devices() {
    }

    /**
     * @throws UserError when the device is not one of the four forms, when a GPU is asked for and
     *                   this process has no CUDA build of PyTorch or sees no GPU (the spec's device
     *                   cannot be had here: exit 2, as validation's problems), or when the engine's
     *                   native library cannot be loaded (e.g. offline, nothing to load: exit 1)
     */
    public static Device resolve(String spec) {
        return resolve(spec, NativeTorch.ofThisProcess(), () -> Engine.getInstance().getGpuCount());
    }

    /** {@link #resolve(String)} with the native library found and the engine's GPU count given. */
    static Device resolve(String spec, NativeTorch torch, IntSupplier gpuCount) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int gpu = -1;
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            try {
                gpu = s.equals("gpu") ? 0 : Integer.parseInt(s.substring(4));
            } catch (NumberFormatException e) {
                gpu = -2;
            }
        }
        if (!(s.equals("auto") || s.equals("cpu") || gpu >= 0)) {
            throw new UserError("device: '" + spec + "' is not one of auto, cpu, gpu, gpu:N");
        }
        if (gpu >= 0 && !torch.cuda() && (torch.source() == NativeTorch.Source.BUNDLED
                || torch.source() == NativeTorch.Source.LIBRARY_PATH)) {
            throw new UserError("device: " + spec + " needs a CUDA build of PyTorch, but this process would load "
                    + torch.where() + ", a CPU build. " + (torch.source() == NativeTorch.Source.BUNDLED
                    ? "Build the GPU distribution (./mvnw -Pgpu -DskipTests package) and run its bin/difflab; "
                    : "Point PYTORCH_LIBRARY_PATH at a CUDA libtorch " + torch.version() + " (its lib/ folder holds "
                    + "libtorch_cuda.so), or unset it; ") + howToProvideCuda(torch) + ". Or use device: cpu.",
                    io.difflab.host.spec.SpecException.EXIT_CODE, null);
        }
        int gpus;
        try {
            gpus = gpuCount.getAsInt();
        } catch (RuntimeException | UnsatisfiedLinkError | AssertionError e) {
            boolean download = torch.source() == NativeTorch.Source.NONE;
            throw new UserError("the PyTorch engine cannot start: " + e.getMessage() + " (" + (download
                    ? "this process has no PyTorch library and its download from publish.djl.ai failed" : "it loads "
                    + torch.where()) + "). " + (gpu >= 0 ? "For device: " + spec + ", " + howToProvideCuda(torch)
                    : "The default distribution (./mvnw -DskipTests package) bundles PyTorch's CPU library; for a GPU, "
                    + howToProvideCuda(torch)) + ".", e);
        }
        if (s.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (gpu >= gpus) {
            throw new UserError("device: " + spec + " asked for, but the engine (" + torch.where() + ") sees " + gpus
                    + " GPU" + (gpus == 1 ? "" : "s") + (gpus == 0 ? ": no NVIDIA GPU or driver is visible to this "
                    + "process (check nvidia-smi and CUDA_VISIBLE_DEVICES), or use device: cpu" : ""),
                    io.difflab.host.spec.SpecException.EXIT_CODE, null);
        }
        return Device.gpu(gpu);
    }

    /** The ways to give this engine a CUDA libtorch without a download. */
    private static String howToProvideCuda(NativeTorch torch) {
        return "a CUDA libtorch " + torch.version() + " is found in PYTORCH_LIBRARY_PATH (a folder holding libtorch.so "
                + "and libtorch_cuda.so) or in DJL's cache folder " + torch.cudaCacheFolder() + " (DJL downloads it "
                + "there on a machine that can reach publish.djl.ai: copy that folder to an offline one, or point "
                + "DJL_CACHE_DIR at a shared copy); PYTORCH_FLAVOR=" + NativeTorch.CUDA_FLAVOR + " chooses the flavor";
    }
}
