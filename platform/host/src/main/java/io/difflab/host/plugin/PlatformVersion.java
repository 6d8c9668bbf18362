package io.difflab.host.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The versions of this platform build, read from a resource Maven filters at build time:
 * the release, the plugin contract (api + kit) version that plugins' {@code Plugin-Requires} is checked against,
 * and the PF4J and DJL versions it ships with.
 */
public record PlatformVersion(String release, String kit, String pf4j, String djl) {

    private static final String RESOURCE = "/io/difflab/host/platform.properties";

    /** The versions of the running build. */
    public static PlatformVersion current() {
        Properties p = new Properties();
        try (InputStream in = PlatformVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the host jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PlatformVersion(p.getProperty("version"), p.getProperty("kit.version"),
                p.getProperty("pf4j.version"), p.getProperty("djl.version"));
    }
}
