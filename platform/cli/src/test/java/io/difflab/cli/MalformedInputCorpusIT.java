package io.difflab.cli;

import com.google.inject.AbstractModule;
import io.difflab.host.inject.Host;
import io.difflab.host.run.TrackerSource;
import io.difflab.tracking.TrackerFactory;
import io.difflab.tracking.TrackingSettings;
import io.difflab.tracking.remote.SenderSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The malformed-input corpus ({@link MalformedCorpus}) against the distribution's real plugins, on one
 * host in this process: every case makes {@code validate} (for sweep files {@code sweep --dry-run})
 * exit 2 with one message that names where the problem is (its key path, or its line and column),
 * with no stack trace, no Java class name, no control character and no echo longer than a short
 * excerpt; and {@code run} (or {@code sweep}) on it creates nothing: no run folder, no tracking store.
 */
class MalformedInputCorpusIT {

    /** A Java class name, qualified ({@code org.x.Foo}) or an exception's simple name. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z]\\w*|\\b[A-Z][A-Za-z]*(Exception|Error)\\b");
    /** Quoted values in messages: each is at most an excerpt. */
    private static final Pattern QUOTED = Pattern.compile("'([^'\\n]*)'");

    @TempDir
    static Path work;

    private static Host host;
    private static Path store;

    @BeforeAll
    static void startHost() {
        store = work.resolve("mlruns");
        host = Host.start(List.of(Launcher.DIST.resolve("plugins")), Difflab.extraModules(), List.of(new AbstractModule() {
            @Override
            protected void configure() {
                bind(TrackerSource.class).toInstance(uri -> new TrackerFactory(new TrackingSettings(uri, store, Map.of(),
                        work, SenderSettings.defaults())).create());
            }
        }));
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    private record Result(int code, String err) { }

    private static Result difflab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Difflab app = new Difflab(Map.of(), null, host)) {
            int code = Difflab.commandLine(app).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
            return new Result(code, err.toString());
        }
    }

    static List<MalformedCorpus.Case> corpus() {
        return MalformedCorpus.cases();
    }

    @Test
    void theCorpusIsLargeAndItsBaseIsValid() throws Exception {
        List<MalformedCorpus.Case> cases = corpus();
        assertTrue(cases.size() >= 100, cases.size() + " cases");
        assertEquals(cases.size(), cases.stream().map(MalformedCorpus.Case::id).distinct().count(), "ids are unique");
        Path base = Files.writeString(work.resolve("base.yaml"), MalformedCorpus.BASE);
        Result r = difflab("validate", base.toString());
        assertEquals(0, r.code(), r.err());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void validateExits2NamingWhereAndRunCreatesNothing(MalformedCorpus.Case c) throws Exception {
        assumeTrue(!c.needsAssembly() || MalformedCorpus.ASSEMBLY_IN_VALIDATION,
                "caught once validate assembles the model family");
        Path dir = Files.createDirectories(work.resolve("cases").resolve(c.id()));
        Path file = Files.write(dir.resolve(c.kind() == MalformedCorpus.Kind.SWEEP ? "sweep.yaml" : "spec.yaml"),
                c.content());
        Files.writeString(dir.resolve("base.yaml"), MalformedCorpus.BASE);
        Path runs = dir.resolve("runs");
        List<String> sets = new ArrayList<>();
        c.sets().forEach(s -> sets.addAll(List.of("--set", s)));

        Result validate = c.kind() == MalformedCorpus.Kind.SWEEP
                ? difflab("sweep", file.toString(), "--dry-run", "--runs-dir", runs.toString())
                : difflab(concat(List.of("validate", file.toString()), sets));
        assertEquals(2, validate.code(), validate.err());
        assertOneCleanMessage(validate.err(), c);

        Result run = c.kind() == MalformedCorpus.Kind.SWEEP
                ? difflab("sweep", file.toString(), "--runs-dir", runs.toString())
                : difflab(concat(List.of("run", file.toString(), "--runs-dir", runs.toString()), sets));
        assertEquals(2, run.code(), run.err());
        assertFalse(Files.exists(runs), "run created " + runs);
        assertFalse(Files.exists(store), "run created the tracking store " + store);
    }

    private static void assertOneCleanMessage(String err, MalformedCorpus.Case c) {
        assertTrue(err.contains(c.expect()), "names where: '" + c.expect() + "' in\n" + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception in thread"), "no stack trace:\n" + err);
        Matcher className = CLASS_NAME.matcher(err);
        assertFalse(className.find(), "no Java class name (" + (className.find(0) ? className.group() : "") + "):\n" + err);
        assertTrue(err.codePoints().noneMatch(cp -> Character.isISOControl(cp) && cp != '\n'), "no control character:\n" + err);
        assertTrue(err.length() < 3000, "one message, not an echo: " + err.length() + " characters");
        Matcher quoted = QUOTED.matcher(err);
        while (quoted.find()) {
            assertTrue(quoted.group(1).length() <= 100, "a quote is a short excerpt: " + quoted.group(1).length()
                    + " characters");
        }
        String content = new String(c.content(), StandardCharsets.UTF_8);
        if (content.length() > 200) {
            for (String line : err.split("\n")) {
                for (int i = 0; i + 80 <= line.length(); i += 40) {
                    String window = line.substring(i, i + 80);
                    assertFalse(content.contains(window) && !MalformedCorpus.BASE.contains(window),
                            "echoes more than an excerpt of the input: " + window);
                }
            }
        }
    }

    private static String[] concat(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(String[]::new);
    }
}
