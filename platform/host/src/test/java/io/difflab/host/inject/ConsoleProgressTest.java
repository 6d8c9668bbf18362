package io.difflab.host.inject;

import io.difflab.api.Progress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleProgressTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void lineShowsRateEtaAndStatus() {
        ConsoleProgress p = new ConsoleProgress(out, false, nanos::get, "train", 2000, "steps");
        nanos.set(40_000_000_000L); // 40 s for 500 steps: 12.5 steps/s, 1500 left: 120 s
        p.step(500, "loss 0.031");
        assertEquals("train  25% 500/2000 steps  12.5 steps/s  ETA 2m00s  loss 0.031", p.line(nanos.get(), false));
        assertEquals("train [######------------------]  25% 500/2000 steps  12.5 steps/s  ETA 2m00s  loss 0.031",
                p.line(nanos.get(), true));
    }

    @Test
    void durations() {
        assertEquals("45s", ConsoleProgress.duration(45.2));
        assertEquals("2m01s", ConsoleProgress.duration(121));
        assertEquals("1h02m", ConsoleProgress.duration(3725));
    }

    @Test
    void plainOutputPrintsEveryTenthAndTheEnd() {
        try (Progress p = new ConsoleProgressFactory(out, false, nanos::get).start("sample", 100, "images")) {
            for (int i = 0; i < 100; i++) {
                nanos.addAndGet(10_000_000L);
                p.step(1, "");
            }
        }
        String[] lines = output().split("\n");
        assertEquals(10, lines.length, output());
        assertTrue(lines[9].startsWith("sample 100% 100/100 images  100.0 images/s  in 1s"), lines[9]);
        assertTrue(!output().contains("\r"));
    }

    @Test
    void terminalOutputRedrawsOneLine() {
        try (Progress p = new ConsoleProgressFactory(out, true, nanos::get).start("train", 10, "steps")) {
            for (int i = 0; i < 10; i++) {
                nanos.addAndGet(50_000_000L);
                p.step(1, "loss " + i);
            }
        }
        String s = output();
        assertEquals(1, s.chars().filter(c -> c == '\n').count(), s);
        assertTrue(s.contains("\r"), s);
        assertTrue(s.endsWith("train [########################] 100% 10/10 steps  20.0 steps/s  in 1s  loss 9\033[K\n"), s);
    }

    @Test
    void unknownTotalShowsCountAndRate() {
        ConsoleProgress p = new ConsoleProgress(out, false, nanos::get, "load", 0, "files");
        nanos.set(2_000_000_000L);
        p.step(10, null);
        assertEquals("load 10 files  5.0 files/s  in 2s", p.line(nanos.get(), false));
    }
}
