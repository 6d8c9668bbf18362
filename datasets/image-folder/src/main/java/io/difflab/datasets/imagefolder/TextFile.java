package io.difflab.datasets.imagefolder;

import io.difflab.api.UserError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A text file of the folder (labels, metadata, a caption), read as strict UTF-8.
 *
 * @param bytes   its content, for the dataset checksum
 * @param content the decoded text
 */
record TextFile(byte[] bytes, String content) {

    /**
     * Reads {@code file}.
     *
     * @throws UserError when it cannot be read or is not UTF-8
     */
    static TextFile read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new TextFile(bytes, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            throw new UserError(file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e, e);
        }
    }
}
