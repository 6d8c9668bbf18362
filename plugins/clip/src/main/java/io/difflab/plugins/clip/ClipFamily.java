package io.difflab.plugins.clip;

import io.difflab.api.ConditionFields;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.DatasetProvider;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Option;
import io.difflab.api.Split;
import io.difflab.api.Tokenizer;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;
import io.difflab.kit.clip.ClipArchitecture;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.nn.TextTransformer;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CLIP (Radford et al. 2021): a vision transformer and a text transformer trained together with the
 * symmetric contrastive loss and a learned temperature on the dataset's captioned images; with
 * {@code noise_aware}, GLIDE's noised CLIP (Nichol et al. 2021, sec. 2.3), whose image encoder reads
 * x_t and t of a diffusion, for CLIP guidance along the reverse process.
 *
 * <p>Not a diffusion model: it reads no schedule, estimator, sampler or guidance section and
 * generates no images. A run trains the CLIP (network {@code clip}, in {@code checkpoints/} with
 * {@value ClipArchitecture#FILE} and its vocabulary beside them) and evaluates it with metrics that
 * need no samples ({@code clip-zero-shot}, {@code clip-retrieval}, ...). Other plugins load it by
 * naming the run (see {@link io.difflab.kit.clip.ClipReference}).
 */
@Extension
public class ClipFamily implements ModelFamily {

    /** The trained network's name. */
    public static final String NETWORK = "clip";

    static final List<Option> OPTIONS = List.of(
            Option.integer("patch_size", 4, 1, 512, "the vision transformer's patch side (divides the image side)"),
            Option.integer("image_width", 64, 8, 4096, "the vision transformer's width"),
            Option.integer("image_layers", 3, 1, 64, "the vision transformer's layers"),
            Option.integer("image_heads", 4, 1, 64, "the vision transformer's attention heads"),
            Option.integer("text_width", 64, 8, 4096, "the text transformer's width"),
            Option.integer("text_layers", 2, 1, 64, "the text transformer's layers"),
            Option.integer("text_heads", 4, 1, 64, "the text transformer's attention heads"),
            Option.bool("causal", true, "causal text attention, as CLIP (false: bidirectional)"),
            Option.choice("pooling", "end_token", List.of("end_token", "last"),
                    "where the text is pooled: the end token (CLIP) or the last position (GLIDE)"),
            Option.integer("embedding_size", 64, 1, 4096, "E, the size of the shared embedding"),
            Option.choice("tokenizer", "word", List.of(), "the tokenizer of the captions (word, clip-bpe)"),
            Option.integer("context_length", 16, 3, 4096, "token ids per caption: start, text, end, padding"),
            Option.choice("vocabulary", "", List.of(),
                    "the tokenizer's vocabulary file; empty: learn one from the training captions (word)"),
            Option.bool("noise_aware", false,
                    "GLIDE's noised CLIP: the image encoder reads x_t and t of the diffusion below"),
            Option.choice("noise_schedule", "cosine", List.of(), "the diffusion's noise schedule (noise-aware only)"),
            Option.integer("timesteps", 1000, 1, 100_000, "the diffusion's T (noise-aware only)"));

    @Override
    public String name() {
        return NETWORK;
    }

    @Override
    public String description() {
        return "CLIP (Radford et al. 2021): contrastive image and text encoders; noise-aware for CLIP guidance (GLIDE)";
    }

    @Override
    public List<Option> options() {
        return OPTIONS;
    }

    @Override
    public Map<String, Object> defaults() {
        return Map.of();
    }

    /** The dataset section only: its training captions teach a word vocabulary. */
    @Override
    public Set<String> sections() {
        return Set.of("dataset");
    }

    @Override
    public Model assemble(ModelContext context) {
        Config model = context.model();
        DatasetInfo dataset = context.dataset();
        if (!dataset.has(ConditionFields.CAPTION)) {
            throw new UserError("model clip trains on captioned images, and the dataset has no captions (it has "
                    + dataset.fields().keySet() + ")");
        }
        if (dataset.shape().height() != dataset.shape().width()) {
            throw new UserError("model clip reads square images, and the dataset's are " + dataset.shape());
        }
        Vocabulary vocabulary = vocabulary(context);
        try {
            ClipArchitecture architecture = architecture(model, dataset, vocabulary);
            GaussianDiffusion diffusion = null;
            if (architecture.noiseAware()) {
                NoiseSchedule schedule = context.registry().get(NoiseSchedule.class, architecture.schedule());
                diffusion = new GaussianDiffusion(schedule.build(architecture.timesteps(),
                        Config.of(model.path() + ".noise_schedule", schedule.options(), Map.of())));
            }
            return new ContrastiveModel(architecture, vocabulary, diffusion);
        } catch (IllegalArgumentException e) {
            throw new UserError(model.path() + ": the CLIP settings do not fit: " + e.getMessage(), e);
        }
    }

    /** The architecture the settings describe for this dataset and vocabulary. */
    static ClipArchitecture architecture(Config model, DatasetInfo dataset, Vocabulary vocabulary) {
        int side = dataset.shape().height();
        int patch = model.getInt("patch_size");
        if (side % patch != 0) {
            throw new IllegalArgumentException("patch_size " + patch + " does not divide the image side " + side);
        }
        boolean noised = model.getBoolean("noise_aware");
        return new ClipArchitecture(dataset.shape().channels(), side, patch, model.getInt("image_width"),
                model.getInt("image_layers"), model.getInt("image_heads"), noised ? model.getInt("timesteps") : 0,
                noised ? model.getString("noise_schedule") : "", vocabulary.size(), vocabulary.contextLength(),
                model.getInt("text_width"), model.getInt("text_layers"), model.getInt("text_heads"),
                model.getBoolean("causal"),
                TextTransformer.Pooling.valueOf(model.getString("pooling").toUpperCase(Locale.ROOT)),
                model.getInt("embedding_size"), model.getString("tokenizer"),
                model.getString("tokenizer").equals("word") ? "vocabulary.txt" : "tokenizer.json");
    }

    /** The vocabulary the tokenizer makes: read from its file, or learnt from the training captions. */
    private static Vocabulary vocabulary(ModelContext context) {
        Config model = context.model();
        Tokenizer tokenizer = context.registry().get(Tokenizer.class, model.getString("tokenizer"));
        Map<String, Object> values = Map.of("context_length", model.getInt("context_length"),
                "vocabulary", model.getString("vocabulary"));
        return tokenizer.vocabulary(Config.of(model.path(), tokenizer.options(), values),
                () -> trainingCaptions(context));
    }

    /** Every training caption, from the dataset the spec names. */
    private static List<String> trainingCaptions(ModelContext context) {
        Config dataset = context.section("dataset");
        var train = context.registry().get(DatasetProvider.class, dataset.getString("name")).load(dataset, Split.TRAIN);
        List<String> captions = new ArrayList<>(train.size());
        for (int i = 0; i < train.size(); i++) {
            captions.add(train.caption(i));
        }
        return captions;
    }
}
