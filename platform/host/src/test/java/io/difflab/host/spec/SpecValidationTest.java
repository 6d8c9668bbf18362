package io.difflab.host.spec;

import io.difflab.api.GuidanceHead;
import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of spec error names its key path; all errors are reported at once. */
class SpecValidationTest {

    private static final String MINIMAL = SpecResolverTest.MINIMAL;

    private static List<SpecProblem> problems(FakeExtensions extensions, String yaml, String... sets) {
        SpecResolver resolver = new SpecResolver(extensions.registry());
        SpecException e = assertThrows(SpecException.class,
                () -> resolver.resolve(yaml, "bad.yaml", "bad", List.of(sets)));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith("bad.yaml is not a valid spec"), e.getMessage());
        e.problems().forEach(p -> assertTrue(e.getMessage().contains(p.toString())));
        return e.problems();
    }

    private static List<SpecProblem> problems(String yaml, String... sets) {
        return problems(FakeExtensions.standard(), yaml, sets);
    }

    private static ExperimentSpec resolve(String yaml, String... sets) {
        return new SpecResolver(FakeExtensions.standard().registry()).resolve(yaml, "ok.yaml", "ok", List.of(sets));
    }

    /** The one problem at {@code path}; fails when there is not exactly one. */
    private static String at(List<SpecProblem> problems, String path) {
        List<String> found = problems.stream().filter(p -> p.path().equals(path)).map(SpecProblem::message).toList();
        assertEquals(1, found.size(), "problems at " + path + " in " + problems);
        return found.get(0);
    }

    @Test
    void unknownTopLevelKeySuggestsTheClosest() {
        String m = at(problems(MINIMAL + "seeed: 3\n"), "seeed");
        assertTrue(m.startsWith("unknown key; did you mean 'seed'?"), m);
    }

    @Test
    void unknownKeyInAComponentListsWhatItAccepts() {
        String m = at(problems(MINIMAL + "estimator: {name: unet, base_chanels: 64}\n"), "estimator.base_chanels");
        assertTrue(m.contains("did you mean 'base_channels'?"), m);
        assertTrue(m.contains("noise estimator 'unet' accepts: base_channels, channel_mult"), m);
    }

    @Test
    void unknownKeyInAHostSection() {
        String m = at(problems(MINIMAL + "train: {stpes: 10}\n"), "train.stpes");
        assertTrue(m.contains("did you mean 'steps'?"), m);
    }

    @Test
    void wrongTypes() {
        List<SpecProblem> p = problems(MINIMAL + "train: {steps: many, lr: fast}\nseed: 1.5\n"
                + "estimator: {name: unet, channel_mult: 2}\nsampler: {name: ancestral, steps: true}\ntrain2: 1\n");
        assertEquals("expected an integer, got 'many' (a string)", at(p, "train.steps"));
        assertEquals("expected a number, got 'fast' (a string)", at(p, "train.lr"));
        assertEquals("expected an integer, got 1.5", at(p, "seed"));
        assertEquals("expected a list of integers, got 2", at(p, "estimator.channel_mult"));
        assertEquals("expected a step count N, 'ddimN' or counts per section like '10,15,20', got true",
                at(p, "sampler.steps"));
        assertTrue(at(p, "train2").startsWith("unknown key; did you mean 'train'?"));
    }

    @Test
    void sectionOfTheWrongShape() {
        List<SpecProblem> p = problems(MINIMAL + "train: 5\nmetrics: {name: fd}\nschedule: [linear]\n");
        assertEquals("expected a section of key: value pairs, got 5", at(p, "train"));
        assertTrue(at(p, "metrics").startsWith("expected a list of sections"));
        assertTrue(at(p, "schedule").startsWith("expected a section like {name: ...}"));
    }

    @Test
    void outOfRangeValuesAndChoices() {
        List<SpecProblem> p = problems(MINIMAL + "train: {ema_decay: 1.5, batch_size: 0}\n"
                + "estimator: {name: unet, channel_mult: [1, 0, 2]}\nsampler: {name: ancestral, variance: fixed_smal}\n"
                + "schedule: {name: linear, timesteps: 100}\n", "device=tpu");
        assertEquals("must be at most 1, got 1.5", at(p, "train.ema_decay"));
        assertEquals("must be at least 1, got 0", at(p, "train.batch_size"));
        assertEquals("must be at least 1, got 0", at(p, "estimator.channel_mult[1]"));
        assertEquals("must be one of auto, fixed_small, fixed_large, learned; got 'fixed_smal'; did you mean 'fixed_small'?",
                at(p, "sampler.variance"));
        assertTrue(at(p, "device").startsWith("must be auto, cpu, gpu or gpu:N, got 'tpu'"));
    }

    @Test
    void samplingStepsCannotExceedTheTimesteps() {
        List<SpecProblem> p = problems(MINIMAL + "schedule: {name: linear, timesteps: 100}\n", "sampler.steps=200");
        assertEquals("cannot take 200 steps of 100 timesteps; use between 1 and 100", at(p, "sampler.steps"));
    }

    /** guided-diffusion's space_timesteps forms: N, ddimN, counts per section; a bad one is a spec problem. */
    @Test
    void samplingStepsTakeACountDdimStridesOrSectionCounts() {
        String spec = MINIMAL + "schedule: {name: linear, timesteps: 300}\n";
        assertEquals(25, resolve(spec, "sampler.steps=25").sampler().asMap().get("steps"), "a count stays an integer");
        assertEquals("ddim25", resolve(spec, "sampler.steps=ddim25").sampler().getString("steps"));
        assertEquals("10,15,20", resolve(spec, "sampler.steps='10,15,20'").sampler().getString("steps"));
        assertEquals("cannot take exactly 200 of 300 timesteps with an integer stride; use evenly spaced steps instead",
                at(problems(spec, "sampler.steps=ddim200"), "sampler.steps"));
        assertEquals("cannot take 120 steps from section 2 of 3, 100 of the 300 timesteps; use between 1 and 100",
                at(problems(spec, "sampler.steps='10,120,20'"), "sampler.steps"));
        assertTrue(at(problems(spec, "sampler.steps=fast"), "sampler.steps")
                .startsWith("timestep spacing 'fast' is neither a step count N, 'ddimN'"));
        assertTrue(at(problems(spec, "sampler.steps='10,,20'"), "sampler.steps").startsWith("timestep spacing '10,,20'"));
        assertEquals("cannot take 0 steps of 300 timesteps; use between 1 and 300",
                at(problems(spec, "sampler.steps=0"), "sampler.steps"));
        assertEquals("expected a step count N, 'ddimN' or counts per section like '10,15,20', got 2.5",
                at(problems(spec, "sampler.steps=2.5"), "sampler.steps"));
    }

    @Test
    void unknownExtensionNamesListTheInstalledOnes() {
        List<SpecProblem> p = problems(MINIMAL + "schedule: {name: cosin}\nmetrics: [{name: fd}, {name: fid}]\n");
        assertEquals("no noise schedule named 'cosin'; did you mean 'cosine'? (installed: cosine, linear)",
                at(p, "schedule.name"));
        assertEquals("no metric named 'fid'; did you mean 'fd'? (installed: bpd, fd)", at(p, "metrics[1].name"));
    }

    @Test
    void unknownHostDefaultSaysWhereItCameFrom() {
        FakeExtensions without = new FakeExtensions()
                .add(io.difflab.api.ModelFamily.class, "ddpm", List.of(), java.util.Map.of())
                .add(io.difflab.api.DatasetProvider.class, "fashion-mnist", List.of(), java.util.Map.of());
        List<SpecProblem> p = problems(without, MINIMAL);
        assertEquals("no guidance head named 'none': none is installed (see `difflab plugins`) [host default]",
                at(p, "guidance.name"));
        assertEquals(4, p.size(), "schedule, estimator, sampler and guidance: " + p);
    }

    @Test
    void badFamilyDefaultNamesTheFamily() {
        FakeExtensions ext = FakeExtensions.standard()
                .add(io.difflab.api.ModelFamily.class, "odd", List.of(), java.util.Map.of("estimator.depth", 3));
        String m = at(problems(ext, "model: odd\ndataset: fashion-mnist\n"), "estimator.depth");
        assertTrue(m.endsWith("[default of model family 'odd']"), m);
    }

    @Test
    void missingRequiredKeys() {
        List<SpecProblem> p = problems("dataset: {name: image-folder}\n");
        assertEquals("missing required section: which model family to use, as {name: ...} (installed: autoregressive, ddpm, gd)",
                at(p, "model"));
        assertEquals("missing required key (the folder of images)", at(p, "dataset.root"));
        assertTrue(at(problems("model: {}\ndataset: fashion-mnist\n"), "model.name")
                .startsWith("missing required key: which model family to use"));
    }

    @Test
    void duplicateExtensionNamesCannotBeUsed() {
        FakeExtensions ext = FakeExtensions.standard().duplicate(GuidanceHead.class, "classifier", "other-plugin");
        String m = at(problems(ext, MINIMAL + "guidance: classifier\n"), "guidance.name");
        assertTrue(m.contains("provided by more than one plugin: other-plugin, test"), m);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<SpecProblem> p = problems("seeed: 1\nmodel: {name: ddpm}\ndataset: {name: mnist}\n"
                + "train: {steps: -1}\nestimator: {name: unet, depth: 2}\n", "sample.count=0", "metrics[2].name=fd");
        assertEquals(List.of("metrics[2].name", "seeed", "dataset.name", "estimator.depth", "train.steps", "sample.count"),
                p.stream().map(SpecProblem::path).collect(Collectors.toList()));
    }

    @Test
    void malformedOverrides() {
        List<SpecProblem> p = problems(MINIMAL, "train.steps", "train..x=1", "model.name.x=1");
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).message().contains("expected key=value"), p.toString());
        assertTrue(p.get(1).message().contains("is not a key path"), p.toString());
        assertTrue(p.get(2).message().contains("'model.name' is not a section"), p.toString());
    }

    @Test
    void yamlSyntaxErrorsGiveTheLine() {
        List<SpecProblem> p = problems("model: {name: ddpm}\ndataset: [oops\n");
        assertTrue(p.get(0).message().contains("line 3"), p.toString());
    }

    @Test
    void duplicateYamlKeysAreErrors() {
        List<SpecProblem> p = problems(MINIMAL + "seed: 1\nseed: 2\n");
        assertTrue(p.get(0).message().contains("duplicate key seed"), p.toString());
    }

    @Test
    void theSafeLoaderBuildsNoArbitraryTypes() {
        List<SpecProblem> p = problems(MINIMAL + "name: !!java.io.File /tmp/x\n");
        assertEquals("invalid YAML at line 3, column 7: type tags (!!name) are not allowed in a spec: it holds plain "
                + "values, lists and sections", p.get(0).message(), "refused, and the class it names is not echoed");
    }

    @Test
    void aSpecExceptionIsAUserError() {
        assertTrue(UserError.class.isAssignableFrom(SpecException.class));
    }
}
