package io.difflab.cli;

import io.difflab.cli.fixtures.FixturePlugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code difflab sweep} in-process with the toy plugins: the dry-run table and invalid sweeps (running: SweepIT). */
class SweepCommandTest {

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) { }

    private Result difflab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Difflab app = new Difflab(Map.of(Difflab.PLUGINS_ENV, dir.resolve("plugins").toString()), null)) {
            int code = Difflab.commandLine(app).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
            return new Result(code, out.toString(), err.toString());
        }
    }

    private Path sweep(String axes) throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        FixturePlugins.writeGood(dir.resolve("plugins"));
        Files.writeString(dir.resolve("toy.yaml"), "model: toy\ndataset: toy-data\n");
        return Files.writeString(dir.resolve("toy-sweep.yaml"), """
                base: toy.yaml
                variants:
                  dropout: {low: {model.dropout: 0.1}, high: {model.dropout: 0.5}}
                """ + axes);
    }

    @Test
    void dryRunListsTheCellsTheirValuesAndWhichShareATraining() throws Exception {
        Path sweep = sweep("axes: {sampler.steps: [5, 10]}\nskip: [{dropout: high, sampler.steps: 10}]\n");
        Path runs = dir.resolve("runs");
        Result r = difflab("sweep", sweep.toString(), "--dry-run", "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("sweep toy-sweep (" + sweep + "): 4 cells, 3 to run, 2 trainings"), r.out());
        assertTrue(lines.get(1).matches("#\\s+cell\\s+dropout\\s+sampler\\.steps\\s+training\\s+status"), lines.get(1));
        assertTrue(lines.get(2).matches("1\\s+low_steps5\\s+low\\s+5\\s+[0-9a-f]{8} trains\\s+run"), lines.get(2));
        assertTrue(lines.get(3).matches("2\\s+low_steps10\\s+low\\s+10\\s+[0-9a-f]{8} shares #1\\s+run"), lines.get(3));
        assertTrue(lines.get(4).matches("3\\s+high_steps5\\s+high\\s+5\\s+[0-9a-f]{8} trains\\s+run"), lines.get(4));
        assertTrue(lines.get(5).contains("skipped: skip[0] (dropout=high, sampler.steps=10)"), lines.get(5));
        assertFalse(Files.exists(runs), "a dry run creates nothing");
    }

    @Test
    void anInvalidSweepExits2NamingEveryProblemAndItsCells() throws Exception {
        Path sweep = sweep("axes: {sampler.steps: [5, 20]}\nseedz: [1]\n");
        Result r = difflab("sweep", sweep.toString(), "--runs-dir", dir.resolve("runs").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("seedz: unknown key; did you mean 'seeds'?"), r.err());
        assertTrue(r.err().contains("sampler.steps: cannot take 20 steps of 10 timesteps; use between 1 and 10")
                && r.err().contains("[cells low_steps20, high_steps20]"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    @Test
    void clusterOptionsAreCheckedBeforeAnythingRuns() throws Exception {
        Path sweep = sweep("axes: {sampler.steps: [5, 10]}\n");
        Path runs = dir.resolve("runs");
        Result conf = difflab("sweep", sweep.toString(), "--conf", "spark.executor.memory=1g", "--runs-dir",
                runs.toString());
        assertEquals(2, conf.code(), conf.toString());
        assertTrue(conf.err().contains("--conf sets Spark properties for --master: give --master too"), conf.err());

        Result hdfs = difflab("sweep", sweep.toString(), "--runs-dir", "hdfs://nn:8020/runs");
        assertEquals(2, hdfs.code(), hdfs.toString());
        assertTrue(hdfs.err().contains("mount that storage on every machine"), hdfs.err());

        Result plan = difflab("sweep", sweep.toString(), "--dry-run", "--master", "local[2]", "--runs-dir",
                runs.toUri().toString());
        assertEquals(0, plan.code(), "a dry run needs no Spark: " + plan);
        assertTrue(plan.out().contains("4 cells, 4 to run"), plan.out());
        assertFalse(Files.exists(runs));
    }
}
