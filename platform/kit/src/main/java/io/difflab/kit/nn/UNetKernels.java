package io.difflab.kit.nn;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The U-Net's fused kernels: PyTorch's native group norm (one kernel forward, one backward) and
 * SiLU, which DJL 0.36 does not expose, called as methods of a stateless TorchScript module
 * ({@code unet_kernels.pt}, written by tools/kernels/make_unet_kernels.py with Debian's
 * python3-torch 1.13 and committed with it).
 *
 * <p>The methods run in the caller's grad mode, as any other op: inside a {@code GradientCollector}
 * with autograd, so gradients reach x and the parameters; outside it (sampling; DJL keeps grad
 * mode off there) without a graph, and the SiLU then works in place. (DJL's own no-autograd guard
 * for module calls is not used: it adds nothing when grad mode is already off.) Each group norm
 * passes γ and β as
 * (G, C/G) views, so the group count is their shape and no call allocates a constant. A method
 * is selected by a named, never-read array created once per device (DJL's
 * {@code module_method:} convention). The graph executor's optimisation is off during a call
 * (thread-local in PyTorch, restored to its default after), so every call runs the native
 * kernels and their native backward: the results do not depend on the calls before.
 *
 * <p>{@code -Ddifflab.kernels=plain} turns them off (the NDArray compositions in {@link GroupNorm}
 * and {@link Silu} then run), for comparison and tests.
 */
public final class UNetKernels {

    /** The group norm ε the module is written for (Wu &amp; He 2018; PyTorch's default). */
    public static final float EPSILON = 1e-5f;

    private static final String RESOURCE = "unet_kernels.pt";
    private static final Map<Device, UNetKernels> LOADED = new ConcurrentHashMap<>();

    private final PtSymbolBlock module;
    private final Map<String, NDArray> selectors = new ConcurrentHashMap<>();
    private final NDManager manager;

    private UNetKernels(Device device) {
        manager = NDManager.newBaseManager(device, "PyTorch");
        try (InputStream in = UNetKernels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the kit jar lacks " + RESOURCE);
            }
            module = JniUtils.loadModule((PtNDManager) manager, in, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        } catch (EngineException e) {
            throw new IllegalStateException("cannot load " + RESOURCE + " into PyTorch: " + e.getMessage(), e);
        }
    }

    /** Whether the fused kernels are on (the default; {@code -Ddifflab.kernels=plain} turns them off). */
    public static boolean enabled() {
        return !"plain".equals(System.getProperty("difflab.kernels"));
    }

    /** The kernels for the device of {@code x}, loaded on first use. */
    static UNetKernels on(NDArray x) {
        return LOADED.computeIfAbsent(x.getDevice(), UNetKernels::new);
    }

    /** GN(x), γ and β given as (G, C/G) views. */
    NDArray groupNorm(NDArray x, NDArray gamma, NDArray beta) {
        return call("group_norm", x, gamma, beta);
    }

    /** SiLU(GN(x)). */
    NDArray groupNormSilu(NDArray x, NDArray gamma, NDArray beta) {
        return call("group_norm_silu", x, gamma, beta);
    }

    /** SiLU(GN(x + e)), e (N, C, 1, 1). */
    NDArray addGroupNormSilu(NDArray x, NDArray e, NDArray gamma, NDArray beta) {
        return call("add_group_norm_silu", x, e, gamma, beta);
    }

    /** SiLU(GN(x)·(1 + s) + b), (s, b) the channel halves of {@code scaleShift} (N, 2C, 1, 1). */
    NDArray scaleShiftNormSilu(NDArray x, NDArray scaleShift, NDArray gamma, NDArray beta) {
        return call("scale_shift_norm_silu", x, scaleShift, gamma, beta);
    }

    /** softmax(QᵀK/√d)V per head: qkv (B·heads, 3d, T) to (B·heads, d, T) (a transposed view). */
    NDArray attention(NDArray qkv) {
        return call("attention", qkv);
    }

    /** x·σ(x) in one kernel. */
    NDArray silu(NDArray x) {
        return call("silu", x);
    }

    /** Runs a method; the result belongs to the manager of the first input. */
    private NDArray call(String method, NDArray... inputs) {
        NDList list = new NDList(inputs.length + 1);
        for (NDArray input : inputs) {
            list.add(input);
        }
        list.add(selectors.computeIfAbsent(method, this::selector));
        // the plain interpreter: the profiling executor's optimised graphs differentiate with
        // TorchScript's own formulas once warmed up, so a step's gradients would depend on how many
        // calls came before it (and a resumed run would not repeat an uninterrupted one bit for bit)
        JniUtils.setGraphExecutorOptimize(false);
        try {
            return IValueUtils.forward(module, list, true).singletonOrThrow();
        } finally {
            JniUtils.setGraphExecutorOptimize(true);
        }
    }

    private NDArray selector(String method) {
        NDArray selector = manager.create(0f);
        selector.setName("module_method:" + method);
        return selector;
    }
}
