package io.difflab.plugins.cfdg.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page holds exactly the values the runs logged, in scale order, and the plot is a PNG. */
class GuidanceSweepReportTest {

    @TempDir
    Path dir;

    private void run(String scale, double fd, double accuracy) throws IOException {
        Files.writeString(dir.resolve("runs/s-" + scale + ".properties"), "# final results of this run\n"
                + "eval.fd=" + fd + "\neval.fd.n=500\neval.cond_accuracy=" + accuracy + "\neval.precision=0.5\n"
                + "sample.nfe=100.0\nsample.seconds=0.25\n");
    }

    @Test
    void theTableAndTheReadingComeFromTheLoggedValues() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir.resolve("runs"));
        run("3", 41.5, 0.97);
        run("0", 60.25, 0.1);
        run("1.5", 35.0, 0.8);
        Files.writeString(dir.resolve("runs/sweep.properties"), "command=reports/cfdg/sweep.sh\n"
                + "run.0=difflab run a\nrun.1=difflab run b\ntrain.steps=3000\ntrain.seconds=1200\n");
        GuidanceSweepReport.write(dir, SweepResults.read(dir));

        String md = Files.readString(dir.resolve("README.md"));
        int s0 = md.indexOf("| 0 | -1 | 60.25 |");
        int s15 = md.indexOf("| 1.5 | 0.5 | 35.00 |");
        int s3 = md.indexOf("| 3 | 2 | 41.50 |");
        assertTrue(s0 > 0 && s15 > s0 && s3 > s15, md);
        assertTrue(md.contains("| 0.970 | 0.500 | – |"), "missing recall is a dash: " + md);
        assertTrue(md.contains("cond-accuracy rises from 0.100 at s = 0 to 0.970 at s = 3."), md);
        assertTrue(md.contains("FD is lowest at s = 1.5 (35.00)"), md);
        assertTrue(md.contains("difflab run a\ndifflab run b\n"), md);
        assertTrue(md.contains("3000 steps"), md);
        assertTrue(md.contains("(grids/s-1.5.png)"), md);
        BufferedImage plot = ImageIO.read(dir.resolve(GuidanceSweepReport.PLOT).toFile());
        assertNotNull(plot);
        assertEquals(800, plot.getWidth());
    }
}
