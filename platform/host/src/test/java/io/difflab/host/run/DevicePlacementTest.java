package io.difflab.host.run;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every array of a run is placed through the run's device: no main source of the platform, the
 * model plugins or the dataset plugins makes a manager, a model or an array on a device of its own
 * choosing (DJL's default device, or the CPU named outright). On a CPU-only machine such code would
 * work and a GPU run would fail, or copy between devices every step; this finds it by reading the
 * sources, since no second device exists here to catch it at run time (DJL's PyTorch engine maps
 * every {@code cpu(N)} to the one CPU and refuses other device types outright). The few places that
 * name a device on purpose are listed with the reason.
 */
class DevicePlacementTest {

    /** What places arrays outside the run's device, and why that is wrong. */
    private static final Map<Pattern, String> FORBIDDEN = Map.of(
            Pattern.compile("newBaseManager\\(\\s*\\)"), "a manager on DJL's default device, not the run's",
            Pattern.compile("Device\\.(cpu|gpu|of)\\("), "a device named outright",
            Pattern.compile("new\\s+Device\\("), "a device named outright",
            Pattern.compile("Model\\.newInstance\\(\\s*[^,()]+\\)"), "a model on DJL's default device",
            Pattern.compile("defaultDevice\\(\\)"), "DJL's default device, not the run's");

    /** Files allowed to name a device, with the reason. */
    private static final Map<String, String> ALLOWED = Map.of(
            "platform/host/src/main/java/io/difflab/host/run/Devices.java",
            "turns the spec's device into a DJL device: the one place that names them",
            "platform/host/src/main/java/io/difflab/host/bench/UNetBench.java",
            "a CPU benchmark against PyTorch eager on the same threads (bench/), not a run",
            "platform/host/src/main/java/io/difflab/host/bench/ClipBench.java",
            "a CPU benchmark against PyTorch eager on the same threads (bench/), not a run",
            "plugins/dalle2/src/main/java/io/difflab/plugins/dalle2/FrozenClip.java",
            "a TorchScript CLIP's embedding size and context length only loading tells, at assembly, before a run "
                    + "device exists (briefly, on the CPU; a clip run's are read without its weights)");

    private static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("platform")) && Files.isDirectory(p.resolve("plugins"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository above " + here);
    }

    @Test
    void noMainSourcePlacesArraysOnADeviceOfItsOwn() throws IOException {
        Path root = repository();
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String top : List.of("platform", "plugins", "datasets")) {
            try (Stream<Path> walk = Files.walk(root.resolve(top))) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> p.toString().contains("/src/main/java/")).sorted().toList()) {
                    files++;
                    String relative = root.relativize(f).toString();
                    if (ALLOWED.containsKey(relative)) {
                        continue;
                    }
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        String code = lines.get(i).replaceFirst("//.*", "");
                        if (code.trim().startsWith("*")) {
                            continue; // Javadoc
                        }
                        for (Map.Entry<Pattern, String> rule : FORBIDDEN.entrySet()) {
                            if (rule.getKey().matcher(code).find()) {
                                found.add(relative + ":" + (i + 1) + ": " + rule.getValue() + ": " + lines.get(i).trim());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(files > 200, "read the sources: " + files + " files under " + root);
        assertEquals(List.of(), found, "place arrays through the run's device (RunContext.device(), the manager "
                + "handed in, or an array's own device)");
    }

    @Test
    void theCheckFindsWhatItLooksFor() {
        String[] offending = {
            "try (NDManager m = NDManager.newBaseManager()) {",
            "x.toDevice(Device.cpu(), false)",
            "Model model = Model.newInstance(\"evaluator\");",
            "Device d = Engine.getInstance().defaultDevice();",
        };
        for (String line : offending) {
            assertTrue(FORBIDDEN.keySet().stream().anyMatch(p -> p.matcher(line).find()), line);
        }
        String[] fine = {
            "try (NDManager m = NDManager.newBaseManager(device)) {",
            "Model model = Model.newInstance(\"evaluator\", device);",
            "x.toDevice(sub.getDevice(), false)",
        };
        for (String line : fine) {
            assertTrue(FORBIDDEN.keySet().stream().noneMatch(p -> p.matcher(line).find()), line);
        }
    }
}
