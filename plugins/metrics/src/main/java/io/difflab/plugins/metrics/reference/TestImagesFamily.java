package io.difflab.plugins.metrics.reference;

import io.difflab.api.ConditionFields;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.DatasetProvider;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.Option;
import org.pf4j.Extension;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code test-images}: the dataset's own test images as a run's "samples", the ceiling row of a
 * benchmark (what real images score on FD, caption faithfulness, CLIP score). It trains nothing;
 * each sample is the next test image that is what it was asked for: the image of that caption (the
 * test captions in order unless {@code sample.prompts} names others) or, on an uncaptioned labelled
 * dataset, of that class.
 */
@Extension
public class TestImagesFamily implements ModelFamily {

    @Override
    public String name() {
        return "test-images";
    }

    @Override
    public String description() {
        return "the dataset's test images, matched to what each sample asks for: the real-data row of a benchmark";
    }

    @Override
    public List<Option> options() {
        return List.of();
    }

    @Override
    public Map<String, Object> defaults() {
        return Map.of();
    }

    /** The dataset section: it shows the test split of that dataset. */
    @Override
    public Set<String> sections() {
        return Set.of("dataset");
    }

    @Override
    public Model assemble(ModelContext context) {
        DatasetInfo dataset = context.dataset();
        String field = dataset.has(ConditionFields.CAPTION) ? ConditionFields.CAPTION
                : dataset.has(ConditionFields.LABEL) ? ConditionFields.LABEL : null;
        Config section = context.section("dataset");
        DatasetProvider provider = context.registry().get(DatasetProvider.class, section.getString("name"));
        return new TestImagesModel(field, () -> provider.load(section, io.difflab.api.Split.TEST));
    }
}
