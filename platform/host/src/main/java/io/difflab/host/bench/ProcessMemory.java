package io.difflab.host.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory, page faults and CPU time of this process from /proc/self (Linux; -1 elsewhere). */
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

    /** Minor page faults of the process so far (field 10 of /proc/self/stat), or -1. */
    public static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User and system CPU time of the process so far in ms (fields 14 and 15 of /proc/self/stat), or -1s. */
    public static long[] cpuUserSystemMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]) * 10, Long.parseLong(fields[12]) * 10};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
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
