package io.difflab.plugins.clip;

import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.DatasetProvider;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ModelContext;
import io.difflab.api.Named;
import io.difflab.api.UserError;
import io.difflab.datasets.shapes.ShapesCaptionsProvider;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.text.WordTokenizer;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small real shapes-captions splits and the context the clip family assembles from. */
final class ShapesFixture {

    static final ExtensionRegistry REGISTRY = registry(new ShapesCaptionsProvider(), new WordTokenizer(),
            new CosineSchedule());

    private ShapesFixture() {
    }

    /** The dataset section of {@code train} and {@code test} items cached under {@code folder}. */
    static Config dataset(Path folder, int train, int test) {
        return Config.of("dataset", new ShapesCaptionsProvider().options(), Map.of("name", "shapes-captions",
                "train_size", train, "test_size", test, "folder", folder.toString()));
    }

    /** The context of the clip family for {@code dataset} and model {@code values} over the defaults. */
    static ModelContext context(Config dataset, Map<String, Object> values) {
        DatasetInfo info = REGISTRY.get(DatasetProvider.class, "shapes-captions").describe(dataset);
        Map<String, Object> model = new LinkedHashMap<>(values);
        model.put("name", "clip");
        Map<String, Config> sections = Map.of("model", Config.of("model", ClipFamily.OPTIONS, model), "dataset", dataset);
        return new ModelContext(sections, info, Set.of(), REGISTRY);
    }

    static ExtensionRegistry registry(Named... extensions) {
        return new ExtensionRegistry() {
            @Override
            public <T extends Named> T get(Class<T> point, String name) {
                return all(point).stream().filter(e -> e.name().equals(name)).findFirst()
                        .orElseThrow(() -> new UserError("no " + point.getSimpleName() + " named '" + name + "'"));
            }

            @Override
            public <T extends Named> List<T> all(Class<T> point) {
                return List.of(extensions).stream().filter(point::isInstance).map(point::cast)
                        .sorted(Comparator.comparing(Named::name)).toList();
            }
        };
    }
}
