package io.difflab.kit.clip;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import io.difflab.api.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CLIP loaded from a TorchScript file with the interface of OpenAI's released checkpoints:
 * methods {@code encode_image(image)} and {@code encode_text(text)}, the parameter
 * {@code logit_scale}, and {@code forward(image, text)} returning (logits_per_image, logits_per_text).
 *
 * <p>How it calls the methods: DJL 0.36's {@link IValueUtils#forward(PtSymbolBlock, NDList, boolean)}
 * runs the module method named by an input array called {@code module_method:<name>} (that array is
 * not passed on). With {@code isTrain} true it runs without DJL's inference-mode guard, so autograd
 * works as anywhere else: gradients reach the inputs inside a {@code GradientCollector}, and the
 * outputs are ordinary tensors later graphs may use. ({@link IValueUtils#runMethod} would run in
 * inference mode, whose outputs cannot be saved for a backward pass.) The file is loaded with
 * {@code trainParam=true}, so that its parameters are not inference tensors either, and they are
 * frozen: nothing trains them, and without a gradient-requiring input no graph is recorded.
 * The module stays in eval mode.
 *
 * <p>OpenAI's released files were traced on CUDA in float16, with casts to half precision in their
 * graphs; this class does not change precision, so they run where the device does float16.
 */
public final class TorchScriptClip implements ClipModel, AutoCloseable {

    private final Model model;
    private final PtSymbolBlock block;
    private final ClipGeometry geometry;
    private final double logitScale;

    private TorchScriptClip(Model model, PtSymbolBlock block, ClipGeometry geometry, double logitScale) {
        this.model = model;
        this.block = block;
        this.geometry = geometry;
        this.logitScale = logitScale;
    }

    /**
     * Loads {@code file} onto {@code device}.
     *
     * @throws UserError when the file is missing, is not TorchScript, or lacks CLIP's interface
     */
    public static TorchScriptClip load(Path file, Device device) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("no CLIP TorchScript file at " + file);
        }
        Model model = Model.newInstance("clip", device, "PyTorch");
        try {
            model.load(file, null, Map.of("trainParam", "true", "mapLocation", "true"));
            PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
            block.freezeParameters(true);
            List<String> methods = Arrays.asList(JniUtils.getMethodNames(block));
            for (String needed : List.of("encode_image", "encode_text", "forward")) {
                if (!methods.contains(needed)) {
                    throw new UserError(file + " is not a CLIP TorchScript file: it has no method " + needed
                            + " (it has " + String.join(", ", methods) + ")");
                }
            }
            Map<String, Shape> shapes = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                shapes.put(p.getKey(), p.getValue().getArray().getShape());
            }
            if (!shapes.containsKey("logit_scale")) {
                throw new UserError(file + " is not a CLIP TorchScript file: it has no parameter logit_scale");
            }
            ClipGeometry geometry;
            try {
                geometry = ClipGeometry.of(shapes);
            } catch (UserError e) {
                throw new UserError(file + " is " + e.getMessage(), e);
            }
            double scale = block.getParameters().get("logit_scale").getArray().toType(
                    DataType.FLOAT64, false).getDouble();
            return new TorchScriptClip(model, block, geometry, scale);
        } catch (IOException | MalformedModelException | EngineException e) {
            model.close();
            throw new UserError("cannot load " + file + " as TorchScript: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public NDArray encodeImage(NDArray images) {
        return run("encode_image", images).singletonOrThrow();
    }

    @Override
    public NDArray encodeText(NDArray ids) {
        return run("encode_text", ids).singletonOrThrow();
    }

    /** The module's own {@code forward(image, text)}: logits_per_image, then logits_per_text. */
    public NDList forward(NDArray images, NDArray ids) {
        return run("forward", images, ids);
    }

    @Override
    public double logitScale() {
        return logitScale;
    }

    @Override
    public int inputResolution() {
        return geometry.inputResolution();
    }

    @Override
    public int contextLength() {
        return geometry.contextLength();
    }

    @Override
    public int embeddingSize() {
        return geometry.embeddingSize();
    }

    /** All the sizes read from the file. */
    public ClipGeometry geometry() {
        return geometry;
    }

    /** Runs a module method; the outputs belong to the first input's manager. */
    private NDList run(String method, NDArray... inputs) {
        NDList list = new NDList(inputs);
        try (NDArray selector = inputs[0].getManager().create(0f)) {
            selector.setName("module_method:" + method);
            list.add(selector);
            return IValueUtils.forward(block, list, true);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
