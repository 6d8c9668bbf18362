package io.difflab.kit.model;

import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.GuidanceHead;
import io.difflab.api.ImageDataset;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.Named;
import io.difflab.api.NoiseEstimator;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Sampler;
import io.difflab.api.UserError;
import io.difflab.kit.guidance.ClassifierFreeGuidance;
import io.difflab.kit.guidance.ClassifierGuidance;
import io.difflab.kit.nn.UNetEstimator;
import io.difflab.kit.sampling.AncestralSampler;
import io.difflab.kit.sampling.DdimSampler;
import io.difflab.kit.sampling.DpmSolverPlusPlusSampler;
import io.difflab.kit.sampling.EulerSampler;
import io.difflab.kit.sampling.HeunSampler;
import io.difflab.kit.sampling.PlmsSampler;
import io.difflab.kit.sampling.NoGuidance;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.text.ClipBpeTokenizer;
import io.difflab.kit.text.WordTokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Assembles a family's model outside the host, with the kit's own extensions (schedules, the U-Net,
 * samplers, guidance heads) and any given: the family's defaults, then the given values (dotted keys
 * such as {@code estimator.base_channels}), then every option's default, as the spec resolver layers
 * them, without its validation. For plugin tests and tools; runs go through the host.
 */
public final class StandaloneAssembly {

    /** The sections the host's schema adds to a component's own options. */
    private static final Map<String, Map<String, Object>> HOST_KEYS = Map.of(
            "schedule", Map.of("timesteps", 1000), "sampler", Map.of("variance", "auto"));

    private StandaloneAssembly() {
    }

    /** The kit's built-in extensions plus {@code more}. */
    public static ExtensionRegistry registry(Named... more) {
        List<Named> all = new ArrayList<>(List.of(new LinearSchedule(), new CosineSchedule(), new UNetEstimator(),
                new AncestralSampler(), new DdimSampler(), new EulerSampler(), new HeunSampler(),
                new DpmSolverPlusPlusSampler(), new PlmsSampler(), new NoGuidance(), new ClassifierGuidance(),
                new ClassifierFreeGuidance(), new WordTokenizer(), new ClipBpeTokenizer()));
        all.addAll(List.of(more));
        return new ExtensionRegistry() {
            @Override
            public <T extends Named> T get(Class<T> point, String name) {
                return all(point).stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(
                        () -> new UserError("no " + point.getSimpleName() + " named '" + name + "'"));
            }

            @Override
            public <T extends Named> List<T> all(Class<T> point) {
                return all.stream().filter(point::isInstance).map(point::cast)
                        .sorted(Comparator.comparing(Named::name)).toList();
            }
        };
    }

    /** The context {@code family} assembles from for {@code dataset} and {@code values}. */
    public static ModelContext context(ModelFamily family, DatasetInfo dataset, Map<String, Object> values,
                                       Named... more) {
        return context(family, dataset, field -> {
            throw new UserError("no training items in this standalone assembly (give the training split)");
        }, values, more);
    }

    /** The context {@code family} assembles from for the training split {@code train} and {@code values}. */
    public static ModelContext context(ModelFamily family, ImageDataset train, Map<String, Object> values,
                                       Named... more) {
        return context(family, DatasetInfo.of(train), field -> {
            int[] all = java.util.stream.IntStream.range(0, train.size()).toArray();
            return train.fieldValues(field, all);
        }, values, more);
    }

    private static ModelContext context(ModelFamily family, DatasetInfo dataset,
                                        Function<String, List<?>> trainingValues, Map<String, Object> values,
                                        Named... more) {
        ExtensionRegistry registry = registry(more);
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        Map<String, Object> layered = new LinkedHashMap<>(Map.of("schedule.name", "linear", "estimator.name", "unet",
                "sampler.name", "ancestral", "guidance.name", "none"));
        layered.putAll(family.defaults());
        layered.putAll(values);
        layered.put("model.name", family.name());
        layered.forEach((key, value) -> {
            int dot = key.indexOf('.');
            sections.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>()).put(key.substring(dot + 1),
                    value);
        });
        Map<String, Config> configs = new LinkedHashMap<>();
        configs.put("model", Config.of("model", family.options(), sections.get("model")));
        Map<String, Class<? extends Named>> points = Map.of("schedule", NoiseSchedule.class, "estimator",
                NoiseEstimator.class, "sampler", Sampler.class, "guidance", GuidanceHead.class);
        for (String section : family.sections()) {
            Map<String, Object> given = sections.getOrDefault(section, Map.of());
            Named extension = registry.get(points.get(section), String.valueOf(given.get("name")));
            Map<String, Object> withHost = new LinkedHashMap<>(HOST_KEYS.getOrDefault(section, Map.of()));
            if (section.equals("sampler")) {
                Object timesteps = sections.getOrDefault("schedule", Map.of()).getOrDefault("timesteps", 1000);
                withHost.put("steps", timesteps);
            }
            withHost.putAll(given);
            configs.put(section, Config.of(section, extension.options(), withHost));
        }
        if (sections.containsKey("train")) { // the host's train section: what families read of it
            configs.put("train", new Config("train", sections.get("train")));
        }
        return new ModelContext(configs, dataset, Set.of(), registry, trainingValues);
    }

    /** The model {@code family} assembles for the training split {@code train} and {@code values}. */
    public static Model assemble(ModelFamily family, ImageDataset train, Map<String, Object> values, Named... more) {
        return family.assemble(context(family, train, values, more));
    }

    /** The model {@code family} assembles for {@code dataset} and {@code values}. */
    public static Model assemble(ModelFamily family, DatasetInfo dataset, Map<String, Object> values, Named... more) {
        return family.assemble(context(family, dataset, values, more));
    }
}
