package io.difflab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --runs-dir}: folders and file: URIs; other storage only through a mount. */
class RunsDirConverterTest {

    @Test
    void foldersAndFileUrisAreFolders() {
        RunsDirConverter c = new RunsDirConverter();
        assertEquals(Path.of("runs"), c.convert("runs"));
        assertEquals(Path.of("/shared/runs"), c.convert("file:///shared/runs"));
        assertEquals(Path.of("/shared/runs"), c.convert("file:/shared/runs"));
    }

    @Test
    void hadoopSchemesAreRefusedWithWhatToDoInstead() {
        for (String uri : new String[] {"hdfs://nn:8020/runs", "s3a://bucket/runs"}) {
            TypeConversionException e = assertThrows(TypeConversionException.class,
                    () -> new RunsDirConverter().convert(uri));
            assertTrue(e.getMessage().contains("mount that storage on every machine"), e.getMessage());
        }
    }
}
