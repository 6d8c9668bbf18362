package io.difflab.host.spec;

import io.difflab.api.UserError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads spec and sweep files: regular files of at most {@value #MAX_BYTES} bytes holding UTF-8
 * text. Anything else (a folder, a device, a binary file, text in another encoding) is refused
 * with the reason and, for bad bytes, where they are; exit code 2.
 */
public final class SpecFiles {

    /** The largest spec or sweep file read. */
    public static final long MAX_BYTES = 1 << 20;

    private SpecFiles() { }

    /**
     * The text of {@code file}.
     *
     * @param what what the file is, for messages ({@code spec}, {@code base spec}, {@code sweep file})
     */
    public static String read(Path file, String what) {
        String name = Excerpt.printable(file.toString(), false);
        if (!Files.exists(file)) {
            throw invalid("no " + what + " file " + name);
        }
        if (!Files.isRegularFile(file)) {
            throw invalid(what + " " + name + " is not a file" + (Files.isDirectory(file) ? " but a folder" : ""));
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw invalid(what + " " + name + " has " + size + " bytes, more than a spec can (at most "
                        + MAX_BYTES + "): is it the right file?");
            }
            bytes = Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw invalid("cannot read the " + what + " " + name + ": permission denied");
        } catch (NoSuchFileException e) {
            throw invalid("no " + what + " file " + name);
        } catch (IOException e) {
            throw invalid("cannot read the " + what + " " + name + ": " + Excerpt.of(String.valueOf(e.getMessage())));
        }
        return decode(bytes, what + " " + name);
    }

    /** {@code bytes} as UTF-8, or a UserError naming the line and column of the first byte that is not. */
    static String decode(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw invalid(source + " is not UTF-8 text: byte 0x" + String.format("%02X", bytes[at] & 0xFF)
                    + " at line " + line + ", column " + (at - lineStart + 1) + " cannot start a character"
                    + " (is it a binary file, or text in another encoding? save it as UTF-8)");
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw invalid(source + " holds a NUL character at line " + (1 + text.substring(0, nul).chars()
                    .filter(c -> c == '\n').count()) + ": it is a binary file, not YAML");
        }
        return text;
    }

    private static UserError invalid(String message) {
        return new UserError(message, SpecException.EXIT_CODE, null);
    }
}
