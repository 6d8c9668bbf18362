package io.difflab.host.run;

import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ImageDataset;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.Split;
import io.difflab.host.spec.ExperimentSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The assemble stage, one for {@code run}, {@code eval}, {@code bench} and {@code validate}: the
 * spec's model family builds the run's {@link Model} from the validated sections and what the
 * dataset provides. Nothing is initialized, so validation assembles too and finds every problem
 * (settings that do not fit, conditions the dataset lacks, networks a guidance head needs) before
 * a run folder exists.
 *
 * @param model      the assembled model
 * @param dataset    what the training split provides
 * @param components the extensions the spec names
 */
public record ModelAssembly(Model model, DatasetInfo dataset, Components components) {

    /** Assembles {@code spec}'s model for its loaded training split. */
    public static ModelAssembly of(ExtensionRegistry registry, ExperimentSpec spec, ImageDataset train) {
        return of(registry, spec, DatasetInfo.of(train), () -> train);
    }

    /**
     * Assembles {@code spec}'s model; {@code dataset} is what its dataset provides, {@code train} loads the
     * training split if the family asks for its items' values (a vocabulary learnt from the captions).
     */
    public static ModelAssembly of(ExtensionRegistry registry, ExperimentSpec spec, DatasetInfo dataset,
                                   Supplier<ImageDataset> train) {
        Components components = Components.resolve(registry, spec);
        Map<String, Config> sections = new LinkedHashMap<>();
        sections.put("model", spec.model());
        sections.put("train", spec.trainSection());
        for (String section : components.family().sections()) {
            sections.put(section, spec.section(section));
        }
        Supplier<ImageDataset> split = DefaultRunPipeline.once(train);
        ModelContext context = new ModelContext(sections, dataset, SampleRequests.givenFields(spec.sample()),
                registry, field -> allValues(split.get(), field));
        ModelFamily family = components.family();
        return new ModelAssembly(family.assemble(context), dataset, components);
    }

    /** Assembles {@code spec}'s model, asking its dataset what it provides (loading it only if the family asks). */
    public static ModelAssembly of(ExtensionRegistry registry, ExperimentSpec spec) {
        Components components = Components.resolve(registry, spec);
        return of(registry, spec, components.dataset().describe(spec.dataset()),
                () -> components.dataset().load(spec.dataset(), Split.TRAIN));
    }

    /** {@code field}'s value for every item of {@code data}, in order. */
    static List<Object> allValues(ImageDataset data, String field) {
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return data.fieldValues(field, all);
    }
}
