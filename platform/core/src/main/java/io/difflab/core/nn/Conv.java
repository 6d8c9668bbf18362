package io.difflab.core.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * A k×k 2-D convolution with "same" padding, its channels fixed at construction and initialised
 * as PyTorch does (weight and bias uniform in ±1/√fan_in, i.e. kaiming_uniform with a = √5,
 * which the reference U-Net relies on), or zero-initialised (guided-diffusion's zero_module).
 *
 * <p>On the CPU, a convolution with fewer than {@value #MIN_CPU_FILTERS} output channels runs
 * as one with {@value #MIN_CPU_FILTERS} whose extra filters are zero, and the extra outputs are
 * dropped: the oneDNN 3.7.1 inside DJL's PyTorch 2.7.1 computes the input gradient of such a
 * narrow convolution from uninitialised memory on AVX-512 machines (NaN or wrong values,
 * mostly in a process's first backward; see the U-Net's gradient test). The output is the same.
 */
public final class Conv extends AbstractBlock {

    /** One AVX-512 register of float32: narrower outputs are padded inside oneDNN, which is what goes wrong. */
    static final int MIN_CPU_FILTERS = 16;

    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final Shape stride;
    private final Shape padding;
    private final Parameter weight;
    private final Parameter bias;

    private Conv(int in, int out, int kernel, int stride, Initializer init) {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException("bad convolution " + in + "->" + out + " k" + kernel + " s" + stride);
        }
        this.inChannels = in;
        this.outChannels = out;
        this.kernel = kernel;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(kernel / 2, kernel / 2);
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in, kernel, kernel)).optInitializer(init).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).optInitializer(init).build());
    }

    /** A k×k convolution from {@code in} to {@code out} channels, PyTorch's default initialisation. */
    public static Conv of(int in, int out, int kernel, int stride) {
        return new Conv(in, out, kernel, stride,
                new UniformInitializer((float) (1 / Math.sqrt((double) in * kernel * kernel))));
    }

    /** A stride-1 k×k convolution whose weight and bias start at zero. */
    public static Conv zero(int in, int out, int kernel) {
        return new Conv(in, out, kernel, 1, Initializer.ZEROS);
    }

    /** Convolves x (N, in, H, W), in the manager of {@code x}. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        if (outChannels >= MIN_CPU_FILTERS || !Device.Type.CPU.equals(x.getDevice().getDeviceType())) {
            return Conv2d.conv2d(x, w, b, stride, padding).head();
        }
        try (ForwardScope s = ForwardScope.open(x)) {
            int extra = MIN_CPU_FILTERS - outChannels;
            NDArray wide = NDArrays.concat(new NDList(w, s.manager().zeros(new Shape(extra, inChannels, kernel, kernel))), 0);
            NDArray wideBias = NDArrays.concat(new NDList(b, s.manager().zeros(new Shape(extra))), 0);
            s.own(wide);
            s.own(wideBias);
            NDArray y = Conv2d.conv2d(x, wide, wideBias, stride, padding).head();
            return s.keep(y.get(new NDIndex(":, :{}", outChannels)));
        }
    }

    /** Output channels. */
    public int getOutChannels() {
        return outChannels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        long h = (x.get(2) + 2 * padding.get(0) - kernel) / stride.get(0) + 1;
        long w = (x.get(3) + 2 * padding.get(1) - kernel) / stride.get(1) + 1;
        return new Shape[] {new Shape(x.get(0), outChannels, h, w)};
    }
}
