package io.difflab.cli;

import io.difflab.cli.report.Stats;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.MetricPoint;
import io.difflab.tracking.store.StoredRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code difflab report} on real runs: three tiny classifier-free guidance runs (real U-Net, real
 * Fashion-MNIST, 10 training steps, 8 samples, bits/dim and the cost metric) through the real
 * pipeline with the distribution's plugins, then the report through the built launcher. The table
 * must hold exactly what the store holds, and the grids and plots must be there and embedded.
 */
class ReportIT {

    private static final String TINY = """
            name: tiny-cfdg
            seed: 0
            device: cpu
            model: {name: cfdg, p_uncond: 0.2}
            dataset: {name: fashion-mnist, limit: 256}
            schedule: {name: linear, timesteps: 50}
            estimator: {name: unet, base_channels: 8, channel_mult: [1, 2], num_res_blocks: 1,
                        attention_resolutions: [], num_heads: 2, dropout: 0.0}
            train: {steps: 10, batch_size: 8, lr: 1.0e-3, warmup_steps: 2, log_every: 5, checkpoint_every: 10}
            sampler: {name: ddim, steps: 5}
            guidance: {name: classifier-free, scale: 1.0}
            sample: {count: 8, batch_size: 8}
            metrics: [{name: cost}, {name: bpd, count: 8, batch_size: 8}]
            tracking: {uri: "%s", experiment: report-it}
            """;

    @TempDir
    Path work;

    @Test
    void reportOfRealRunsHoldsWhatTheyLogged() throws Exception {
        Path store = work.resolve("mlruns");
        Files.writeString(work.resolve("tiny.yaml"), TINY.formatted(store));
        // guidance scale 1 with seeds 0 and 1 (one configuration, n = 2), scale 3 with seed 0
        String[][] cells = {{"1", "0"}, {"1", "1"}, {"3", "0"}};
        try (Difflab app = new Difflab(Map.of(), Launcher.DIST)) {
            for (String[] cell : cells) {
                StringWriter err = new StringWriter();
                int code = Difflab.commandLine(app).setErr(new PrintWriter(err)).execute("run",
                        work.resolve("tiny.yaml").toString(), "--runs-dir", work.resolve("runs").toString(),
                        "--set", "guidance.scale=" + cell[0], "--set", "seed=" + cell[1]);
                assertEquals(0, code, err.toString());
            }
        }
        FileStore mlruns = new FileStore(store);
        List<StoredRun> runs = new ArrayList<>(mlruns.allRuns());
        runs.sort((a, b) -> Long.compare(a.meta().startTime(), b.meta().startTime()));
        assertEquals(3, runs.size());

        Launcher.Result r = Launcher.launch(work, 300, "report", runs.get(0).id(), runs.get(1).meta().runName(),
                runs.get(2).id().substring(0, 12), "--store", "mlruns", "--name", "tiny");
        assertEquals(0, r.code(), r.toString());
        Path report = work.resolve("reports/tiny");
        String md = Files.readString(report.resolve("README.md"));

        // the table: exactly the values in the store, mean ± std over the two seeds of scale 1
        assertTrue(md.contains("| scale | bits/dim ↓ | NFE | grad evals | s/sample | runs (seeds) |"), md);
        // (the resolved spec writes the scale as a double: 1.0)
        assertEquals(row("1.0", runs.subList(0, 2), "0, 1"), tableRow(md, "| 1.0 |"));
        assertEquals(row("3.0", runs.subList(2, 3), "0"), tableRow(md, "| 3.0 |"));
        String csv = Files.readString(report.resolve("results.csv"));
        Stats bpd = stats(runs.subList(0, 2), "eval.bpd");
        assertTrue(csv.contains("1.0,eval.bpd," + bpd.mean() + "," + bpd.std() + ",2,\"0, 1\""), csv);
        assertTrue(csv.contains("3.0,eval.bpd," + latest(runs.get(2), "eval.bpd") + ",0.0,1,0"), csv);
        assertEquals(10.0, latest(runs.get(0), "sample.nfe"), "DDIM's 5 steps x 2 calls of classifier-free guidance");
        assertTrue(md.contains("| cfdg | fashion-mnist | classifier-free | 1.0, 3.0 | ddim | 5 | 10 | 0 |"), md);
        assertTrue(md.contains("| cfdg | fashion-mnist | estimator | 10 ± 0 | "), "10 steps of batch 8: " + md);

        // the grids: each run's own samples.png; the plots: real PNGs; the HTML page: all of them inside
        String html = Files.readString(report.resolve("index.html"));
        for (StoredRun run : runs) {
            Path grid = report.resolve("grids/" + run.meta().runName() + ".png");
            assertArrayEquals(Files.readAllBytes(run.files().artifactsDir().resolve("samples.png")), Files.readAllBytes(grid));
            assertTrue(html.contains(Base64.getEncoder().encodeToString(Files.readAllBytes(grid))), "grid embedded");
        }
        for (String plot : List.of("plots/eval.bpd-vs-guidance-scale.png", "plots/training-loss.png")) {
            BufferedImage image = ImageIO.read(report.resolve(plot).toFile());
            assertEquals(800, image.getWidth());
            assertEquals(500, image.getHeight());
            assertTrue(md.contains("](" + plot + ")"), plot + " on the page");
            assertTrue(html.contains(Base64.getEncoder().encodeToString(Files.readAllBytes(report.resolve(plot)))));
        }
        assertFalse(html.contains("src=\"grids/") || html.contains("src=\"plots/"), "no image left outside the page");

        // an unreachable server: one message, non-zero, the report as it was
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StringWriter err = new StringWriter();
        int code = Difflab.commandLine(new Difflab(Map.of(), null)).setErr(new PrintWriter(err)).execute("report",
                "tiny", "--uri", "http://127.0.0.1:" + port, "--out", report.toString());
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("127.0.0.1:" + port) && !err.toString().contains("\tat "), err.toString());
        assertEquals(md, Files.readString(report.resolve("README.md")), "nothing lost");
    }

    private static double latest(StoredRun run, String key) throws Exception {
        MetricPoint p = run.latestMetrics().get(key);
        assertTrue(p != null, key + " logged by " + run.id());
        return p.value();
    }

    private static Stats stats(List<StoredRun> runs, String key) throws Exception {
        List<Double> values = new ArrayList<>();
        for (StoredRun run : runs) {
            values.add(latest(run, key));
        }
        return Stats.of(values);
    }

    /** The row the table must hold for these runs, built from the store's values. */
    private static String row(String scale, List<StoredRun> runs, String seeds) throws Exception {
        StringBuilder row = new StringBuilder("| " + scale + " |");
        for (String key : List.of("eval.bpd", "sample.nfe", "sample.grad_evals", "sample.seconds")) {
            row.append(' ').append(stats(runs, key).format()).append(" |");
        }
        return row.append(' ').append(runs.size()).append(" (").append(seeds).append(") |").toString();
    }

    private static String tableRow(String md, String start) {
        return md.lines().filter(l -> l.startsWith(start)).findFirst().orElse("no row " + start + " in\n" + md);
    }
}
