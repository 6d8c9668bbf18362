package io.difflab.host.spec;

import io.difflab.api.UserError;
import io.difflab.host.sweep.SweepResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files and values that are not what a spec should be (binary files, other encodings, huge
 * scalars, terminal escape codes, the wrong file named as a base): the message says where and
 * what, quotes at most a short excerpt, and holds no control character.
 */
class UntrustedInputTest {

    @TempDir
    Path dir;

    private final SpecResolver resolver = new SpecResolver(FakeExtensions.standard().registry());

    private UserError invalid(Path file) {
        UserError e = assertThrows(UserError.class, () -> resolver.resolve(file, List.of()));
        assertEquals(2, e.exitCode(), e.getMessage());
        assertPrintable(e.getMessage());
        return e;
    }

    private static void assertPrintable(String message) {
        assertTrue(message.codePoints().noneMatch(c -> Character.isISOControl(c) && c != '\n'),
                "no control character but line breaks: " + message);
    }

    @Test
    void textInAnotherEncodingSaysWhereTheFirstBadByteIs() throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.yaml"),
                "model: ddpm\ndataset: fashion-mnist\nname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        String m = invalid(latin1).getMessage();
        assertEquals("spec " + latin1 + " is not UTF-8 text: byte 0xE9 at line 3, column 10 cannot start a character "
                + "(is it a binary file, or text in another encoding? save it as UTF-8)", m);
    }

    @Test
    void aBinaryFileIsRefusedWithoutEchoingIt() throws IOException {
        byte[] noise = new byte[4096];
        new Random(13).nextBytes(noise);
        String m = invalid(Files.write(dir.resolve("binary.yaml"), noise)).getMessage();
        assertTrue(m.contains("is not UTF-8 text") || m.contains("binary file"), m);
        assertTrue(m.length() < 300, "one short line: " + m);
    }

    @Test
    void aHugeScalarIsQuotedAsAShortExcerpt() throws IOException {
        Path big = Files.writeString(dir.resolve("big.yaml"), "x".repeat(1_000_000) + "\n");
        String m = invalid(big).getMessage();
        assertTrue(m.contains("got 'xxxxxxxx"), m);
        assertTrue(m.contains("... (1000000 characters)"), m);
        assertTrue(m.length() < 400, "an excerpt, not the value: " + m.length() + " characters");
    }

    @Test
    void aFileLargerThanASpecCanBeIsRefusedUnread() throws IOException {
        Path huge = Files.write(dir.resolve("huge.yaml"), new byte[(int) SpecFiles.MAX_BYTES + 1]);
        String m = invalid(huge).getMessage();
        assertTrue(m.contains("has " + (SpecFiles.MAX_BYTES + 1) + " bytes, more than a spec can"), m);
    }

    @Test
    void escapeCodesInANameAreShownEscapedWithTheirPosition() throws IOException {
        Path ansi = Files.writeString(dir.resolve("ansi.yaml"), "model: ddpm\ndataset: fashion-mnist\n"
                + "name: \"\u001b[31mred\u001b[0m\"\n");
        String m = invalid(ansi).getMessage();
        assertTrue(m.contains("at line 3, column 8: character U+001B is not allowed in YAML"), m);
        Path quoted = Files.writeString(dir.resolve("escaped.yaml"), "model: ddpm\ndataset: fashion-mnist\n"
                + "name: \"\\e[31mred\"\n");
        String q = invalid(quoted).getMessage();
        assertTrue(q.contains("name: must be letters, digits") && q.contains("got '\\u001B[31mred'"), q);
    }

    @Test
    void aNameTooLongForAFolderIsASpecProblem() throws IOException {
        Path longName = Files.writeString(dir.resolve("long.yaml"), "model: ddpm\ndataset: fashion-mnist\nname: "
                + "n".repeat(300) + "\n");
        String m = invalid(longName).getMessage();
        assertTrue(m.contains("name: must be at most 128 characters (it names the run folder, a file name), got 300"), m);
    }

    @Test
    void aBatchBeyondWhatAnArrayHoldsIsASpecProblem() {
        SpecException e = assertThrows(SpecException.class, () -> resolver.resolve(SpecResolverTest.MINIMAL,
                "big.yaml", "big", List.of("train.batch_size=1000000000")));
        assertEquals("train.batch_size: must be at most 4096, got 1000000000", e.problems().get(0).toString());
    }

    @Test
    void aHugeOrEscapedKeyIsShownShortAndEscaped() {
        SpecException e = assertThrows(SpecException.class, () -> resolver.resolve(SpecResolverTest.MINIMAL
                + "k".repeat(1000) + ": 1\n\"a\\e[2Jb\": 2\n", "keys.yaml", "keys", List.of()));
        String m = e.getMessage();
        assertTrue(m.contains("kkkk... (1000 characters): unknown key"), m);
        assertTrue(m.contains("a\\u001B[2Jb: unknown key"), m);
        assertTrue(m.length() < 1000, m);
        assertPrintable(m);
    }

    @Test
    void aSweepWhoseBaseIsAnotherKindOfFileQuotesNoMoreThanAnExcerpt() throws IOException {
        String secret = "root:x:0:0:root:/root:/bin/bash\n" + "line two with a token s3cr3t-t0k3n-value\n".repeat(40);
        Path notASpec = Files.writeString(dir.resolve("passwd"), secret);
        Path sweep = Files.writeString(dir.resolve("sweep.yaml"), "name: s\nbase: " + notASpec + "\n"
                + "axes: {seed: [1, 2]}\n");
        SweepResolver sweeps = new SweepResolver(resolver);
        UserError e = assertThrows(UserError.class, () -> sweeps.resolve(sweep));
        assertEquals(2, e.exitCode());
        assertFalse(e.getMessage().contains("s3cr3t-t0k3n"), "the file's content stays out: " + e.getMessage());
        assertTrue(e.getMessage().length() < 600, e.getMessage());
        assertPrintable(e.getMessage());
    }
}
