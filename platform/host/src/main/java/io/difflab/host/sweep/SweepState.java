package io.difflab.host.sweep;

import io.difflab.kit.train.SharedFiles;
import io.difflab.host.spec.SpecYaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a sweep has done so far, in {@code <runs>/<sweep>/sweep-state.yaml}: its parent run and,
 * per cell, its run folder, status, attempts and last failure. Rewritten atomically (a temporary
 * file moved into place) after every change, so a killed sweep leaves a state the next start
 * continues from.
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

    /** The state in {@code sweepDir}, or an empty one. */
    @SuppressWarnings("unchecked")
    static SweepState load(Path sweepDir) {
        SweepState state = new SweepState(sweepDir.resolve(FILE));
        if (!Files.isRegularFile(state.file)) {
            return state;
        }
        try {
            if (SpecYaml.load(Files.readString(state.file, StandardCharsets.UTF_8)) instanceof Map<?, ?> top) {
                state.parentRunId = top.get("parent_run_id") instanceof String s ? s : null;
                if (top.get("cells") instanceof Map<?, ?> cells) {
                    cells.forEach((id, raw) -> {
                        Map<String, Object> c = (Map<String, Object>) raw;
                        state.cells.put(String.valueOf(id), new Cell((String) c.get("run_dir"),
                                CellStatus.valueOf(String.valueOf(c.getOrDefault("status", "PENDING"))),
                                ((Number) c.getOrDefault("attempts", 0)).intValue(), (String) c.get("failure")));
                    });
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new io.difflab.api.UserError("cannot read the sweep state " + state.file + " (" + e.getMessage()
                    + "): move it away to start the sweep afresh", e);
        }
        return state;
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
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep state " + file, e);
        }
    }
}
