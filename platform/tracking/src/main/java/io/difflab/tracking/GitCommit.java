package io.difflab.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The commit checked out in a folder, read from the git files themselves (no git program
 * needed): {@code HEAD}, loose and packed refs, and linked worktrees ({@code .git} file with
 * {@code gitdir:}, {@code commondir}). Becomes the {@code mlflow.source.git.commit} tag.
 */
public final class GitCommit {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    private GitCommit() {
    }

    /** The commit of the checkout containing {@code folder}, if it is one. */
    public static Optional<String> of(Path folder) {
        try {
            for (Path dir = folder.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                Path dotGit = dir.resolve(".git");
                if (Files.isDirectory(dotGit)) {
                    return head(dotGit, dotGit);
                }
                if (Files.isRegularFile(dotGit)) {
                    String text = read(dotGit);
                    if (!text.startsWith("gitdir:")) {
                        return Optional.empty();
                    }
                    Path gitDir = dir.resolve(text.substring("gitdir:".length()).strip()).normalize();
                    Path common = Files.isRegularFile(gitDir.resolve("commondir"))
                            ? gitDir.resolve(read(gitDir.resolve("commondir"))).normalize() : gitDir;
                    return head(gitDir, common);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> head(Path gitDir, Path commonDir) throws IOException {
        String head = read(gitDir.resolve("HEAD"));
        if (!head.startsWith("ref:")) {
            return sha(head);
        }
        String ref = head.substring("ref:".length()).strip();
        for (Path dir : new Path[] {gitDir, commonDir}) {
            Path loose = dir.resolve(ref);
            if (Files.isRegularFile(loose)) {
                return sha(read(loose));
            }
        }
        Path packed = commonDir.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split(" ");
                if (parts.length == 2 && parts[1].equals(ref)) {
                    return sha(parts[0]);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> sha(String text) {
        String s = text.strip();
        return SHA.matcher(s).matches() ? Optional.of(s) : Optional.empty();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
