package io.difflab.kit.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.difflab.api.Config;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.Tokenizer;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;
import io.difflab.kit.train.Checkpoint;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.TrainingSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads a CLIP that a spec names by reference, so any plugin (CLIP guidance, CLIP score, re-ranking,
 * unCLIP) reuses one trained elsewhere:
 * <ul>
 * <li>a run folder: the newest checkpoint of the CLIP its model trained, found by the
 * {@value ClipArchitecture#FILE} beside it (the primary network's {@code checkpoints/}, or an
 * auxiliary network's {@code checkpoints/<name>/}), with the weight average and the saved vocabulary;</li>
 * <li>a run name with its folder, {@code runs/clip-shapes}: the newest finished run folder
 * {@code runs/clip-shapes-<yyyyMMdd-HHmmss>} holding such a CLIP;</li>
 * <li>a TorchScript file with OpenAI's CLIP interface ({@link TorchScriptClip}), its vocabulary the
 * {@code tokenizer.json} beside it (tools/clip/bpe_to_tokenizer_json.py makes one).</li>
 * </ul>
 */
public final class ClipReference {

    /** The marker of a finished training in a run folder (the host's trained.properties). */
    static final String FINISHED = "trained.properties";

    private ClipReference() {
    }

    /**
     * The CLIP {@code reference} names, on {@code device}.
     *
     * @param registry where the tokenizer of a trained CLIP's vocabulary is found
     * @throws UserError when nothing usable is there, saying what was looked for
     */
    public static LoadedClip load(String reference, ExtensionRegistry registry, Device device) {
        Path path = resolve(reference);
        return Files.isRegularFile(path) ? torchScript(path, registry, device) : trained(path, registry, device);
    }

    /**
     * The vocabulary alone of the CLIP {@code reference} names, without its weights where it can
     * (a trained CLIP's saved vocabulary; a TorchScript file is opened on {@code device} to read its
     * context length). Close it when done.
     *
     * @throws UserError when nothing usable is there
     */
    public static Vocabulary vocabulary(String reference, ExtensionRegistry registry, Device device) {
        Path path = resolve(reference);
        if (Files.isRegularFile(path)) {
            try (TorchScriptClip clip = TorchScriptClip.load(path, device)) {
                return bpeVocabulary(path.resolveSibling("tokenizer.json"), clip.contextLength(), registry);
            }
        }
        Path folder = Files.isRegularFile(path.resolve(ClipArchitecture.FILE)) ? path : clipFolder(path);
        return vocabulary(readArchitecture(folder.resolve(ClipArchitecture.FILE)), folder, registry);
    }

    /**
     * The architecture of the trained CLIP {@code reference} names, read from its run without loading
     * its weights (so on no device); empty for a TorchScript file, whose shape only loading tells.
     *
     * @throws UserError when nothing usable is there
     */
    public static Optional<ClipArchitecture> architecture(String reference) {
        Path path = resolve(reference);
        if (Files.isRegularFile(path)) {
            return Optional.empty();
        }
        Path folder = Files.isRegularFile(path.resolve(ClipArchitecture.FILE)) ? path : clipFolder(path);
        return Optional.of(readArchitecture(folder.resolve(ClipArchitecture.FILE)));
    }

    /** The TorchScript file, or the run folder (a named run resolved to its newest finished folder). */
    private static Path resolve(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new UserError("no CLIP named: give a run folder, a run name with its folder, or a TorchScript file");
        }
        Path path = Path.of(reference.startsWith("~/") ? System.getProperty("user.home") + reference.substring(1)
                : reference);
        if (Files.isRegularFile(path) || Files.isDirectory(path)) {
            return path;
        }
        return newestRun(path).orElseThrow(() -> new UserError("no CLIP at '"
                + reference + "': neither a run folder, nor a TorchScript file, nor the name of finished runs "
                + path.getFileName() + "-<yyyyMMdd-HHmmss> in " + parentOf(path)));
    }

    /** The folder beside a run's checkpoints that holds its CLIP's architecture. */
    static Path clipFolder(Path run) {
        Path checkpoints = run.resolve("checkpoints");
        if (Files.isRegularFile(checkpoints.resolve(ClipArchitecture.FILE))) {
            return checkpoints;
        }
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(checkpoints)) {
            try (Stream<Path> dirs = Files.list(checkpoints)) {
                dirs.filter(d -> Files.isRegularFile(d.resolve(ClipArchitecture.FILE))).sorted().forEach(found::add);
            } catch (IOException e) {
                throw new UserError("cannot read " + checkpoints + ": " + e.getMessage(), e);
            }
        }
        if (found.isEmpty()) {
            throw new UserError(run + " holds no CLIP: no " + ClipArchitecture.FILE + " under " + checkpoints
                    + " (was it trained by a model with a CLIP, e.g. model: clip?)");
        }
        if (found.size() > 1) {
            throw new UserError(run + " holds more than one CLIP (" + found + "): name the checkpoints folder of one");
        }
        return found.get(0);
    }

    private static LoadedClip trained(Path run, ExtensionRegistry registry, Device device) {
        Path folder = Files.isRegularFile(run.resolve(ClipArchitecture.FILE)) ? run : clipFolder(run);
        ClipArchitecture architecture = readArchitecture(folder.resolve(ClipArchitecture.FILE));
        Checkpoint checkpoint = new CheckpointStore(folder, 1).latest().orElseThrow(() -> new UserError(
                folder + " holds no complete checkpoint of its CLIP yet"));
        Vocabulary vocabulary = vocabulary(architecture, folder, registry);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            ClipNetwork network = new ClipNetwork(architecture);
            network.initialize(manager, DataType.FLOAT32, network.inputShapes(1));
            TrainingSession session = new TrainingSession(network, manager);
            session.restoreWeights(checkpoint);
            TrainedClip clip = new TrainedClip(network, session.ema().parameterStore(manager), vocabulary.endId());
            return new LoadedClip(clip, vocabulary, checkpoint.dir().toString(), List.of(manager));
        } catch (RuntimeException e) {
            manager.close();
            vocabulary.close();
            throw e instanceof UserError ? e : new UserError("cannot load the CLIP of " + checkpoint.dir() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Reads a {@value ClipArchitecture#FILE}. */
    public static ClipArchitecture readArchitecture(Path file) {
        try {
            ClipArchitecture a = new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    ClipArchitecture.class);
            if (a == null || a.pooling() == null || a.tokenizer() == null || a.vocabularyFile() == null) {
                throw new UserError(file + " is not a CLIP architecture: fields are missing");
            }
            return a; // Gson builds records through their canonical constructor, which checks them
        } catch (IOException | JsonParseException | IllegalArgumentException e) {
            throw new UserError("cannot read the CLIP architecture " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code architecture} as JSON to {@code file}. */
    public static void writeArchitecture(ClipArchitecture architecture, Path file) throws IOException {
        Files.writeString(file, new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(architecture),
                StandardCharsets.UTF_8);
    }

    private static Vocabulary vocabulary(ClipArchitecture a, Path folder, ExtensionRegistry registry) {
        Path file = folder.resolve(a.vocabularyFile());
        Tokenizer tokenizer = registry.get(Tokenizer.class, a.tokenizer());
        Config config = Config.of("tokenizer", tokenizer.options(), Map.of("vocabulary", file.toString(),
                "context_length", a.contextLength()));
        Vocabulary vocabulary = tokenizer.vocabulary(config, List::of);
        if (vocabulary.size() != a.vocabularySize()) {
            vocabulary.close();
            throw new UserError(file + " holds " + vocabulary.size() + " tokens, and the CLIP beside it reads "
                    + a.vocabularySize());
        }
        return vocabulary;
    }

    private static LoadedClip torchScript(Path file, ExtensionRegistry registry, Device device) {
        Path json = file.resolveSibling("tokenizer.json");
        if (!Files.isRegularFile(json)) {
            throw noTokenizer(file);
        }
        TorchScriptClip clip = TorchScriptClip.load(file, device);
        try {
            return new LoadedClip(clip, bpeVocabulary(json, clip.contextLength(), registry), file.toString(),
                    List.of(clip));
        } catch (RuntimeException e) {
            clip.close();
            throw e;
        }
    }

    private static Vocabulary bpeVocabulary(Path json, int contextLength, ExtensionRegistry registry) {
        if (!Files.isRegularFile(json)) {
            throw noTokenizer(json.resolveSibling("model.pt"));
        }
        Tokenizer tokenizer = registry.get(Tokenizer.class, "clip-bpe");
        return tokenizer.vocabulary(Config.of("tokenizer", tokenizer.options(),
                Map.of("vocabulary", json.toString(), "context_length", contextLength)), List::of);
    }

    private static UserError noTokenizer(Path file) {
        return new UserError("a TorchScript CLIP needs its vocabulary: no tokenizer.json beside " + file
                + " (tools/clip/bpe_to_tokenizer_json.py converts OpenAI's bpe_simple_vocab_16e6.txt.gz)");
    }

    /** The newest finished run folder {@code <name>-<stamp>} beside {@code prefix}, if any. */
    static Optional<Path> newestRun(Path prefix) {
        Path parent = parentOf(prefix);
        String name = prefix.getFileName() == null ? "" : prefix.getFileName().toString();
        if (!Files.isDirectory(parent) || name.isEmpty()) {
            return Optional.empty();
        }
        String pattern = java.util.regex.Pattern.quote(name) + "-\\d{8}-\\d{6}(-\\d+)?";
        try (Stream<Path> dirs = Files.list(parent)) {
            return dirs.filter(d -> d.getFileName().toString().matches(pattern))
                    .filter(d -> Files.isRegularFile(d.resolve(FINISHED)))
                    .max(Comparator.comparing((Path d) -> d.getFileName().toString().substring(name.length() + 1, name.length() + 16))
                            .thenComparing(d -> d.getFileName().toString().length())
                            .thenComparing(d -> d.getFileName().toString()));
        } catch (IOException e) {
            throw new UserError("cannot list " + parent + ": " + e.getMessage(), e);
        }
    }

    private static Path parentOf(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
