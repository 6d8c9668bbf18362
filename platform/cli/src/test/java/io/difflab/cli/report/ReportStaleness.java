package io.difflab.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a committed report could be reproduced from this checkout: its page names the commit
 * its runs were made at, and nothing that shapes a result (the platform's and plugins' main code,
 * the metrics' evaluator, the experiment specs) changed since. Compares with git.
 */
final class ReportStaleness {

    /** What shapes a run's results. */
    static final List<String> RESULT_PATHS = List.of("platform/api/src/main", "platform/kit/src/main",
            "platform/host/src/main", ":(glob)plugins/*/src/main/**", ":(glob)datasets/*/src/main/**", "experiments");

    private static final Pattern COMMIT = Pattern.compile("`([0-9a-f]{40})`");

    private final Path repo;

    private ReportStaleness(Path repo) {
        this.repo = repo;
    }

    /** For the checkout at {@code repo}, or null when git or the repository's history is not at hand. */
    static ReportStaleness of(Path repo) {
        try {
            return git(repo, "rev-parse", "--is-inside-work-tree").code() == 0 ? new ReportStaleness(repo) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Why the report in {@code folder} is stale, or null when its commit's code is the current one. */
    String whyStale(Path folder) throws IOException {
        Path readme = folder.resolve("README.md");
        if (!Files.isRegularFile(readme)) {
            return "a copy of a run's files: it names no commit";
        }
        Set<String> commits = new LinkedHashSet<>();
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            if (line.startsWith("- Commit:")) {
                Matcher m = COMMIT.matcher(line);
                while (m.find()) {
                    commits.add(m.group(1));
                }
            }
        }
        if (commits.isEmpty()) {
            return "its page names no commit";
        }
        for (String commit : commits) {
            if (git(repo, "cat-file", "-e", commit + "^{commit}").code() != 0) {
                return "commit " + commit + " is not in this repository";
            }
            List<String> args = new ArrayList<>(List.of("diff", "--name-only", commit, "--"));
            args.addAll(RESULT_PATHS);
            Result changed = git(repo, args.toArray(String[]::new));
            if (changed.code() != 0) {
                throw new IOException("git diff failed: " + changed.out());
            }
            List<String> files = changed.out().lines().filter(l -> !l.isBlank()).toList();
            if (!files.isEmpty()) {
                return files.size() + " files that shape results changed since " + commit.substring(0, 7) + " (e.g. "
                        + String.join(", ", files.subList(0, Math.min(3, files.size()))) + ")";
            }
        }
        return null;
    }

    private record Result(int code, String out) { }

    private static Result git(Path repo, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
