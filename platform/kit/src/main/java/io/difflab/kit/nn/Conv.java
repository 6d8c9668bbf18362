package io.difflab.kit.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
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
 * <p>On the CPU, the channels that the oneDNN 3.7.1 inside DJL's PyTorch 2.7.1 would pad to its
 * {@value #MIN_CPU_FILTERS}-channel blocks on AVX-512 machines are padded here with explicit zeros,
 * because oneDNN reads its own padding from uninitialised memory (NaN or wrong values wherever
 * that memory held them):
 * <ul>
 * <li>fewer than {@value #MIN_CPU_FILTERS} output channels run as {@value #MIN_CPU_FILTERS} whose
 * extra filters are zero, and the extra outputs are dropped (else the input gradient goes wrong,
 * mostly in a process's first backward; see the U-Net's gradient test);</li>
 * <li>more than {@value #MIN_CPU_FILTERS} input channels that are not a multiple of it (a small
 * U-Net's decoder: 16 + 8 = 24 after a skip concatenation) get zero input channels, with zero
 * weights, up to the next multiple (else the forward pass itself comes out NaN now and then;
 * see ConvTest). Fewer input channels take oneDNN's unblocked path and are left alone.</li>
 * </ul>
 * The result is the same convolution.
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
        boolean cpu = Device.Type.CPU.equals(x.getDevice().getDeviceType());
        int extraIn = cpu ? paddedInputChannels(inChannels) - inChannels : 0;
        int extraOut = cpu && outChannels < MIN_CPU_FILTERS ? MIN_CPU_FILTERS - outChannels : 0;
        if (extraIn == 0 && extraOut == 0) {
            return Conv2d.conv2d(x, w, b, stride, padding).head();
        }
        try (ForwardScope s = ForwardScope.open(x)) {
            NDArray input = x;
            if (extraIn > 0) {
                Shape shape = x.getShape();
                input = x.concat(s.manager().zeros(new Shape(shape.get(0), extraIn, shape.get(2), shape.get(3)),
                        x.getDataType()), 1);
                w = s.own(w.concat(s.manager().zeros(new Shape(outChannels, extraIn, kernel, kernel),
                        w.getDataType()), 1));
            }
            if (extraOut > 0) {
                w = s.own(w.concat(s.manager().zeros(new Shape(extraOut, inChannels + extraIn, kernel, kernel),
                        w.getDataType()), 0));
                b = s.own(b.concat(s.manager().zeros(new Shape(extraOut), b.getDataType()), 0));
            }
            NDArray y = Conv2d.conv2d(input, w, b, stride, padding).head();
            return s.keep(extraOut > 0 ? y.get(new NDIndex(":, :{}", outChannels)) : y);
        }
    }

    /** The input channels oneDNN sees: more than one block that is not a whole number of blocks is rounded up. */
    static int paddedInputChannels(int in) {
        if (in <= MIN_CPU_FILTERS || in % MIN_CPU_FILTERS == 0) {
            return in;
        }
        return (in / MIN_CPU_FILTERS + 1) * MIN_CPU_FILTERS;
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
