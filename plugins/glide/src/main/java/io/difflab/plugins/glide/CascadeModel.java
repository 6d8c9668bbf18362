package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionFields;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.Model;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.kit.model.DiffusionModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GLIDE's cascade (Nichol et al. 2021, sec. 3.2): the base model samples the prompts at the low
 * resolution with its own sampler and guidance, then the upsampler refines each sample to the
 * dataset's resolution with its own respacing and no guidance. Trains the base model (the
 * {@code estimator}, {@code train.steps}) and then the upsampler ({@code upsampler}). Before the
 * upsampler is trained (an evaluation during the base's training) the base samples are returned
 * upsampled (nearest). Sampling facts add up over both stages; {@code sample.base_nfe} is the base's.
 */
final class CascadeModel implements Model {

    /** The name of the upsampler's network. */
    static final String UPSAMPLER = "upsampler";

    private final DiffusionModel base;
    private final DiffusionModel upsampler;
    private final List<TrainableNetwork> networks;
    private final int factor;

    /**
     * @param base      the base model at the low resolution, its networks trained as they are
     * @param upsampler the upsampler at the dataset's resolution
     * @param networks  the base's estimator then the upsampler's, as they train
     * @param factor    f, the ratio of the resolutions
     */
    CascadeModel(DiffusionModel base, DiffusionModel upsampler, List<TrainableNetwork> networks, int factor) {
        this.base = base;
        this.upsampler = upsampler;
        this.networks = List.copyOf(networks);
        this.factor = factor;
    }

    @Override
    public List<TrainableNetwork> networks() {
        return networks;
    }

    /** What the base model asks for (the prompts, its guidance's fields); the upsampler reads the base's samples. */
    @Override
    public Set<String> sampleFields() {
        return base.sampleFields();
    }

    @Override
    public Generation generate(GenerationRequest request) {
        Generation low = base.generate(request);
        if (!request.trained().has(UPSAMPLER)) {
            return new Generation(upsampled(low.images()), low.facts());
        }
        Map<String, List<Object>> requested = new LinkedHashMap<>(request.requested());
        requested.put(ConditionFields.REFERENCE_IMAGE, references(upsampled(low.images())));
        TrainedNetworks asEstimator = TrainedNetworks.of(Map.of(DiffusionModel.ESTIMATOR,
                request.trained().get(UPSAMPLER)));
        Generation high = upsampler.generate(new GenerationRequest(request.manager(), asEstimator, requested,
                request.count(), request.batchSize(), request.seed() + 1, request.progress()));
        Map<String, Double> facts = new LinkedHashMap<>();
        high.facts().forEach((key, value) -> facts.put(key, key.equals("sample.peak_bytes")
                ? Math.max(value, low.facts().getOrDefault(key, 0.0)) : value + low.facts().getOrDefault(key, 0.0)));
        facts.put("sample.base_nfe", low.facts().getOrDefault("sample.nfe", 0.0));
        return new Generation(high.images(), facts);
    }

    /** Low-resolution images (N, C, h, w) repeated f x f times per pixel: their block means are themselves. */
    private NDArray upsampled(NDArray images) {
        return images.repeat(2, factor).repeat(3, factor);
    }

    /** Each image as the float[] a reference image field holds. */
    private static List<Object> references(NDArray images) {
        List<Object> out = new ArrayList<>();
        long n = images.getShape().get(0);
        try (NDManager sub = images.getManager().newSubManager()) {
            for (long i = 0; i < n; i++) {
                NDArray one = images.get(i);
                one.attach(sub);
                out.add(one.toFloatArray());
            }
        }
        return out;
    }
}
