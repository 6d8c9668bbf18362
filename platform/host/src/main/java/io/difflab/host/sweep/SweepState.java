package io.difflab.host.sweep;

import io.difflab.kit.train.SharedFiles;
import io.difflab.host.spec.SpecYaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a sweep has done so far, in {@code <runs>/<sweep>/sweep-state.yaml}: its parent run and,
 * per cell, its run folder, status, attempts and last failure. Rewritten atomically (a temporary
 * file, forced to disk, moved into place) after every change, so a killed sweep leaves a state the
 * next start continues from. A damaged file is reported by path and never overwritten.
 */
final class SweepState {

    static final String FILE = "sweep-state.yaml";

    /** One cell's record. */
    record Cell(String runDir, CellStatus status, int attempts, String failure) { }

    private final Path file;
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private String parentRunId;

    private SweepState(Path file) {
        this.file = file;
    }

    /**
     * The state in {@code sweepDir}, or an empty one.
     *
     * @throws io.difflab.api.UserError naming the file when it is damaged (torn, empty, not this format):
     *                                  it is left as it is for the user to look at or move away
     */
    static SweepState load(Path sweepDir) {
        SweepState state = new SweepState(sweepDir.resolve(FILE));
        if (!Files.isRegularFile(state.file)) {
            return state;
        }
        try {
            if (!(SpecYaml.load(Files.readString(state.file, StandardCharsets.UTF_8)) instanceof Map<?, ?> top)) {
                throw new IllegalArgumentException("it holds no parent_run_id and cells");
            }
            Object parent = top.get("parent_run_id");
            if (parent != null && !(parent instanceof String)) {
                throw new IllegalArgumentException("parent_run_id is " + parent);
            }
            state.parentRunId = (String) parent;
            if (!(top.get("cells") instanceof Map<?, ?> cells)) {
                throw new IllegalArgumentException("it has no cells map");
            }
            cells.forEach((id, raw) -> state.cells.put(String.valueOf(id), cell(id, raw)));
        } catch (IOException | RuntimeException e) {
            throw new io.difflab.api.UserError("the sweep state " + state.file + " is damaged (" + e.getMessage()
                    + "); it is left as it is. Move it away (e.g. to " + FILE + ".damaged) and start the sweep again: "
                    + "it continues from its run folders and parent run", e);
        }
        return state;
    }

    private static Cell cell(Object id, Object raw) {
        if (!(raw instanceof Map<?, ?> c) || !(c.get("run_dir") == null || c.get("run_dir") instanceof String)
                || !(c.get("attempts") instanceof Number attempts) || !(c.get("status") instanceof String status)) {
            throw new IllegalArgumentException("cell " + id + " is " + raw);
        }
        Object failure = c.get("failure");
        return new Cell((String) c.get("run_dir"), CellStatus.valueOf(status), attempts.intValue(),
                failure == null ? null : String.valueOf(failure));
    }

    synchronized Optional<String> parentRunId() {
        return Optional.ofNullable(parentRunId);
    }

    synchronized void parentRunId(String id) {
        parentRunId = id;
        save();
    }

    synchronized Optional<Cell> cell(String id) {
        return Optional.ofNullable(cells.get(id));
    }

    synchronized void put(String id, Cell cell) {
        cells.put(id, cell);
        save();
    }

    private void save() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("parent_run_id", parentRunId);
        Map<String, Object> all = new LinkedHashMap<>();
        cells.forEach((id, c) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run_dir", c.runDir());
            m.put("status", c.status().name());
            m.put("attempts", c.attempts());
            if (c.failure() != null) {
                m.put("failure", c.failure());
            }
            all.put(id, m);
        });
        tree.put("cells", all);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = SharedFiles.createTempFile(file.getParent(), "." + FILE, ".tmp");
            Files.writeString(tmp, "# which run folder holds each cell of this sweep, and how it went\n"
                    + SpecYaml.dump(tree), StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true); // on disk before the rename: a crash leaves the old state or the new, not an empty file
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep state " + file, e);
        }
    }
}
