package io.difflab.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor side of a cell: its process, its environment and its log. */
class CellProcessTest {

    @TempDir
    Path dir;

    @Test
    void runsTheCommandInTheWorkFolderAppendingToTheLogAndReturnsItsExitCode() throws Exception {
        Path log = dir.resolve("cell.log");
        Files.writeString(log, "earlier attempt\n");
        CellTask task = new CellTask("c", List.of("sh", "-c", "pwd; echo \"store=$DIFFLAB_MLRUNS\"; exit 3"),
                Map.of("DIFFLAB_MLRUNS", "/shared/runs/s/mlruns"), dir.toString(), dir.toString(), log.toString(),
                false, false);
        assertEquals(3, new CellProcess().call(task));
        String text = Files.readString(log);
        assertTrue(text.startsWith("earlier attempt\n[spark] attempt 0 of Spark task - on "), text);
        assertTrue(text.contains(dir.toRealPath() + "\nstore=/shared/runs/s/mlruns\n"), text);
    }

    @Test
    void aMissingWorkFolderMeansTheRunFolder() throws Exception {
        Path log = dir.resolve("cell.log");
        CellTask task = new CellTask("c", List.of("pwd"), Map.of(), "/no/such/folder", dir.toString(), log.toString(),
                false, false);
        assertEquals(0, new CellProcess().call(task));
        assertTrue(Files.readString(log).endsWith(dir.toRealPath() + "\n"));
    }

    @Test
    void outsideATaskOnlyTheTaskVariablesAndJavaAreAdded() {
        Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", "/opt/jdk"));
        CellProcess.environment(env, new CellTask("c", List.of("x"), Map.of("A", "1"), "/", "/", "/l", true, true),
                null);
        assertEquals(Map.of("JAVA_HOME", "/opt/jdk", "A", "1"), env);
        Map<String, String> bare = new HashMap<>();
        CellProcess.environment(bare, new CellTask("c", List.of("x"), Map.of(), "/", "/", "/l", false, false), null);
        assertEquals(System.getProperty("java.home"), bare.get("JAVA_HOME"));
        assertFalse(bare.containsKey("CUDA_VISIBLE_DEVICES"));
    }
}
