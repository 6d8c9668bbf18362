package io.difflab.kit.text;

import io.difflab.kit.train.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a vocabulary file whole or not at all: a temporary file beside it, then an atomic move. */
final class AtomicWrite {

    private AtomicWrite() {
    }

    static void bytes(Path file, byte[] content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = SharedFiles.createTempFile(parent, file.getFileName().toString(), ".partial");
        try {
            Files.write(partial, content);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
