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
 * the metrics' evaluator, the experiment specs its runs were made from) changed since. Compares with
 * git. The specs are those the page names ({@code - Spec:}) and every file under experiments/ they
 * name in turn outside comments (bases, prompt files), so a new sweep file elsewhere does not make a report stale; a
 * page naming no spec counts every file under experiments/.
 */
final class ReportStaleness {

    /** What shapes a run's results. */
    static final List<String> CODE_PATHS = List.of("platform/api/src/main", "platform/kit/src/main",
            "platform/host/src/main", ":(glob)plugins/*/src/main/**", ":(glob)datasets/*/src/main/**");

    /** Where the experiment specs are. */
    static final String EXPERIMENTS = "experiments";

    private static final Pattern COMMIT = Pattern.compile("`([0-9a-f]{40})`");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    /** A file a spec names: a base spec, a prompt list. */
    /** A YAML comment: commands named there do not shape the spec. */
    private static final Pattern COMMENT = Pattern.compile("(?m)(^|\\s)#.*$");
    private static final Pattern SPEC_FILE = Pattern.compile("[\\w./-]+\\.(?:yaml|yml|txt)");

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
        Set<String> specs = new LinkedHashSet<>();
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            if (line.startsWith("- Commit:")) {
                Matcher m = COMMIT.matcher(line);
                while (m.find()) {
                    commits.add(m.group(1));
                }
            } else if (line.startsWith("- Spec:")) {
                Matcher m = CODE_SPAN.matcher(line);
                while (m.find()) {
                    specs.add(m.group(1));
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
            args.addAll(CODE_PATHS);
            args.addAll(specs.isEmpty() ? List.of(EXPERIMENTS) : specFiles(specs));
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

    /** The specs and, transitively, the files under experiments/ they name, as repository paths. */
    Set<String> specFiles(Set<String> specs) throws IOException {
        Set<String> found = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>(specs);
        while (!pending.isEmpty()) {
            String spec = pending.remove(pending.size() - 1);
            if (!found.add(spec)) {
                continue;
            }
            Path file = repo.resolve(spec);
            if (!Files.isRegularFile(file)) {
                continue; // deleted since: git diff names it
            }
            Matcher m = SPEC_FILE.matcher(COMMENT.matcher(Files.readString(file, StandardCharsets.UTF_8))
                    .replaceAll(""));
            while (m.find()) {
                for (Path named : List.of(file.getParent().resolve(m.group()), repo.resolve(m.group()))) {
                    Path relative = repo.relativize(named.normalize());
                    if (relative.startsWith(EXPERIMENTS) && Files.isRegularFile(named)) {
                        pending.add(relative.toString().replace('\\', '/'));
                    }
                }
            }
        }
        return found;
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
