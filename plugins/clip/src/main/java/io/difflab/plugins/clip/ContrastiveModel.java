package io.difflab.plugins.clip;

import ai.djl.ndarray.types.Shape;
import io.difflab.api.Generation;
import io.difflab.api.GenerationRequest;
import io.difflab.api.Model;
import io.difflab.api.NetworkFile;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.Vocabulary;
import io.difflab.kit.clip.ClipArchitecture;
import io.difflab.kit.clip.ClipNetwork;
import io.difflab.kit.clip.ClipReference;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.diffusion.GaussianDiffusion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CLIP run's model: one network, {@value ClipFamily#NETWORK}, trained contrastively on the
 * dataset's captions, with its architecture and vocabulary written beside its checkpoints so that
 * other runs can load it. It generates nothing.
 */
final class ContrastiveModel implements Model {

    private final ClipNetwork network;
    private final TrainableNetwork trainable;

    ContrastiveModel(ClipArchitecture architecture, Vocabulary vocabulary, GaussianDiffusion diffusion) {
        network = new ClipNetwork(architecture);
        Shape[] inputs = network.inputShapes(1);
        Map<String, NetworkFile> files = new LinkedHashMap<>();
        files.put(ClipArchitecture.FILE, file -> ClipReference.writeArchitecture(architecture, file));
        files.put(architecture.vocabularyFile(), vocabulary::save);
        trainable = TrainableNetwork.primary(ClipFamily.NETWORK, network, inputs,
                new ContrastiveObjective(TokenEncoder.CAPTION, diffusion), List.of(TokenEncoder.captions(vocabulary)))
                .withFiles(files);
    }

    /** The network it trains. */
    ClipNetwork network() {
        return network;
    }

    @Override
    public List<TrainableNetwork> networks() {
        return List.of(trainable);
    }

    @Override
    public Set<String> sampleFields() {
        return Set.of();
    }

    @Override
    public boolean generates() {
        return false;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        throw new UnsupportedOperationException("a CLIP generates no images: it is evaluated by metrics that need none");
    }
}
