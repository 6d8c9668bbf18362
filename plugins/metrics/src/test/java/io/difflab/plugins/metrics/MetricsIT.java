package io.difflab.plugins.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.Config;
import io.difflab.api.ImageDataset;
import io.difflab.api.MetricInput;
import io.difflab.api.RunContext;
import io.difflab.plugins.metrics.evaluator.Evaluator;
import io.difflab.plugins.metrics.evaluator.EvaluatorManifest;
import io.difflab.plugins.metrics.evaluator.Evaluators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The metrics on real Fashion-MNIST: trains the standard evaluator once (in a temporary cache),
 * checks the accuracy bar, then runs the metric extensions on real test images.
 */
class MetricsIT {

    private static final int N = 1000;

    @TempDir
    static Path cache;

    private static ImageDataset train;
    private static ImageDataset test;
    private static NDManager manager;
    private static EvaluatorManifest manifest;

    @BeforeAll
    static void trainEvaluator() {
        assumeTrue(IdxFashionMnist.available(), "Fashion-MNIST is not installed at " + IdxFashionMnist.FOLDER);
        System.setProperty("difflab.cache.dir", cache.toString());
        train = IdxFashionMnist.load("train");
        test = IdxFashionMnist.load("t10k");
        manager = NDManager.newBaseManager(Device.cpu());
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        Evaluator evaluator = Evaluators.get(train, test, Device.cpu(), StderrProgress.FACTORY);
        manifest = evaluator.manifest();
        System.err.printf("evaluator: test accuracy %.4f, trained in %.1f s wall (%.1f s CPU incl. testing), sha256 %s%n",
                manifest.testAccuracy(), manifest.trainSeconds(), (os.getProcessCpuTime() - cpuBefore) / 1e9,
                manifest.sha256());
    }

    @AfterAll
    static void close() {
        System.clearProperty("difflab.cache.dir");
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void evaluatorReachesTheAccuracyBarAndIsCached() throws Exception {
        assertTrue(manifest.testAccuracy() >= 0.90, "test accuracy " + manifest.testAccuracy());
        Path folder = new io.difflab.plugins.metrics.evaluator.EvaluatorCache(cache.resolve("evaluators"),
                io.difflab.plugins.metrics.evaluator.EvaluatorRecipe.STANDARD, StderrProgress.FACTORY).folderFor(train, test);
        assertTrue(folder.getFileName().toString().matches("fashion-mnist-[0-9a-f]{12}"), folder.toString());
        assertTrue(Files.isRegularFile(folder.resolve(EvaluatorManifest.PARAMETERS)));
        assertTrue(Files.readString(folder.resolve(EvaluatorManifest.FILE)).contains(manifest.sha256()));
    }

    @Test
    void conditionalAccuracyIsTheEvaluatorAccuracyWithTrueLabelsAndChanceWithShuffledOnes() {
        int[] indices = testIndices(1);
        int[] truth = Arrays.stream(indices).map(test::label).toArray();
        NDArray images = test.images(manager, indices);
        ConditionalAccuracyMetric metric = new ConditionalAccuracyMetric(StderrProgress.FACTORY);
        double matching = metric.compute(input(images, truth, Config.empty("metrics[0]"))).get("eval.cond_accuracy");
        assertEquals(manifest.testAccuracy(), matching, 0.03);

        int[] shuffled = truth.clone();
        shuffle(shuffled, new Random(2));
        double chance = metric.compute(input(images, shuffled, Config.empty("metrics[0]"))).get("eval.cond_accuracy");
        assertEquals(0.10, chance, 0.04);
        assertEquals(Map.of(), metric.compute(input(images, null, Config.empty("metrics[0]"))));
        assertEquals(manifest.sha256(), metric.tags(input(images, truth, Config.empty("metrics[0]")))
                .get(EvaluatorMetric.TAG_CHECKSUM));
    }

    @Test
    void realImagesScoreNearTheFloorAndNoiseFarAboveIt() {
        Config fd = new Config("metrics[0]", Map.of("floor", true));
        NDArray real = test.images(manager, testIndices(3));
        Map<String, Double> onReal = new FrechetDistanceMetric(StderrProgress.FACTORY).compute(input(real, null, fd));
        NDArray noise = manager.randomUniform(-1, 1, real.getShape());
        Map<String, Double> onNoise = new FrechetDistanceMetric(StderrProgress.FACTORY).compute(input(noise, null, fd));
        System.err.println("fd on real test images " + onReal + ", on uniform noise " + onNoise);
        assertEquals(N, onReal.get("eval.fd.n"));
        double floor = onReal.get("eval.fd.floor");
        assertTrue(floor > 0 && onReal.get("eval.fd") < 2 * floor, "real " + onReal);
        assertTrue(onNoise.get("eval.fd") > 20 * floor, "noise " + onNoise);
    }

    @Test
    void realImagesArePreciseDiverseAndConfidentlyClassified() {
        NDArray real = test.images(manager, testIndices(4));
        Config k3 = new Config("metrics[0]", Map.of("k", 3));
        double precision = new PrecisionMetric(StderrProgress.FACTORY).compute(input(real, null, k3)).get("eval.precision");
        double recall = new RecallMetric(StderrProgress.FACTORY).compute(input(real, null, k3)).get("eval.recall");
        double is = new InceptionScoreMetric(StderrProgress.FACTORY)
                .compute(input(real, null, new Config("metrics[0]", Map.of("splits", 1)))).get("eval.is");
        System.err.printf("real test images: precision %.3f recall %.3f IS %.2f%n", precision, recall, is);
        assertTrue(precision > 0.6 && recall > 0.6, "precision " + precision + ", recall " + recall);
        assertTrue(is > 6 && is <= 10, "IS " + is);
    }

    private static MetricInput input(NDArray samples, int[] labels, Config config) {
        return new MetricInput(samples, labels, train, test, null, null, Map.of(), config,
                new RunContext("metrics-it", 0, Device.cpu(), cache));
    }

    /** N distinct test indices, drawn with {@code seed}. */
    private static int[] testIndices(long seed) {
        int[] all = new int[test.size()];
        Arrays.setAll(all, i -> i);
        shuffle(all, new Random(seed));
        return Arrays.copyOf(all, N);
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
