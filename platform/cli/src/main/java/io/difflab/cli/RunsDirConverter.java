package io.difflab.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --runs-dir}: a folder, or a {@code file:} URI naming one. Run folders are written, linked and
 * resumed as files, so another scheme ({@code hdfs://}, {@code s3a://}) is refused with what to use
 * instead: a mount of that storage, at the same path on every machine.
 */
final class RunsDirConverter implements ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        String v = value.strip();
        if (v.toLowerCase(Locale.ROOT).startsWith("file:")) {
            try {
                return Path.of(URI.create(v.startsWith("file://") ? v : "file://" + v.substring(5)));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value
                        + "' is not a file: URI of a folder (file:///shared/runs)");
            }
        }
        if (v.matches("^[A-Za-z][A-Za-z0-9+.\\-]+://.*")) {
            throw new TypeConversionException("'" + value + "': run folders live on a file system every cell "
                    + "reaches as files (checkpoints, hard links, locks); mount that storage on every machine "
                    + "(NFS, a ReadWriteMany volume, Mountpoint for S3, the HDFS NFS gateway) and give its path or "
                    + "file:// URI");
        }
        return Path.of(v);
    }
}
