package io.difflab.core.nn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc/self/status (Linux): current (VmRSS) and peak (VmHWM). */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Current resident set size in MiB, or -1 where /proc is unavailable. */
    public static double rssMiB() {
        return read("VmRSS:");
    }

    /** Peak resident set size of the process so far in MiB (the high-water mark), or -1. */
    public static double peakMiB() {
        return read("VmHWM:");
    }

    private static double read(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
