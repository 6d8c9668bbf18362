package io.difflab.cli;

import io.difflab.host.plugin.PlatformVersion;
import picocli.CommandLine;

/** {@code difflab --version}: this build, the plugin API it offers, and what it runs on. */
public final class VersionText implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        PlatformVersion v = PlatformVersion.current();
        return new String[] {
            "difflab " + v.release() + " (plugin contract: api + kit " + v.kit() + ")",
            "PF4J " + v.pf4j() + ", DJL " + v.djl() + ", Java " + System.getProperty("java.version")
                    + " (" + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")",
        };
    }
}
