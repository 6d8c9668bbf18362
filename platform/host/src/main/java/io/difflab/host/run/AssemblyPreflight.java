package io.difflab.host.run;

import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.DatasetProvider;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.Metric;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import io.difflab.api.UserError;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.SpecPreflight;
import io.difflab.host.spec.SpecProblem;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The preflight of every spec: asks the dataset what it provides (once per dataset section) and
 * assembles the run's model the way {@code run} will, then checks that every condition a sample
 * needs can be had (a family that learns from the training items, e.g. a vocabulary from the captions,
 * has the split loaded), or, for a model that generates nothing, that no metric needs samples. A
 * {@link UserError} or a rejected setting becomes the spec's problem.
 */
@Singleton
public final class AssemblyPreflight implements SpecPreflight {

    private final ExtensionRegistry registry;
    private final Map<Map<String, Object>, DatasetInfo> described = new ConcurrentHashMap<>();
    private final Map<Map<String, Object>, ImageDataset> loaded = new ConcurrentHashMap<>();

    @Inject
    public AssemblyPreflight(ExtensionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public List<SpecProblem> check(ExperimentSpec spec) {
        try {
            DatasetInfo dataset = describe(spec.dataset());
            ModelAssembly assembly = ModelAssembly.of(registry, spec, dataset, () -> load(spec.dataset()));
            if (!assembly.model().generates()) {
                List<SpecProblem> problems = new ArrayList<>();
                for (int i = 0; i < spec.metrics().size(); i++) {
                    Metric metric = assembly.components().metrics().get(i);
                    if (metric.scoresSamples()) {
                        problems.add(new SpecProblem(spec.metrics().get(i).path(), "metric '" + metric.name()
                                + "' scores generated samples, and model '" + spec.model().getString("name")
                                + "' generates none"));
                    }
                }
                return problems;
            }
            String problem = SampleRequests.problem(assembly.model().sampleFields(), spec.sample(), dataset);
            return problem == null ? List.of() : List.of(new SpecProblem("", problem));
        } catch (UserError | IllegalArgumentException e) {
            return List.of(new SpecProblem("", String.valueOf(e.getMessage())));
        }
    }

    /** The training split, loaded once per dataset section: only a family that learns from its items asks. */
    private ImageDataset load(Config dataset) {
        return loaded.computeIfAbsent(dataset.asMap(), k -> registry.get(DatasetProvider.class,
                dataset.getString("name")).load(dataset, Split.TRAIN));
    }

    private DatasetInfo describe(Config dataset) {
        DatasetInfo known = described.get(dataset.asMap());
        if (known != null) {
            return known;
        }
        DatasetInfo info = registry.get(DatasetProvider.class, dataset.getString("name")).describe(dataset);
        described.put(dataset.asMap(), info);
        return info;
    }
}
