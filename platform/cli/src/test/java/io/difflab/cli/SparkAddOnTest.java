package io.difflab.cli;

import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding the Spark add-on and the class path of the sweep's driver. */
class SparkAddOnTest {

    @TempDir
    Path dir;

    @Test
    void artifactNamesDropVersionsAndClassifiers() {
        assertEquals("guava", SparkAddOn.artifact(Path.of("lib/guava-31.0.1-jre.jar")));
        assertEquals("spark-core_2.13", SparkAddOn.artifact(Path.of("spark-core_2.13-4.2.0.jar")));
        assertEquals("pytorch-native-cpu", SparkAddOn.artifact(Path.of("pytorch-native-cpu-2.7.1-linux-x86_64.jar")));
        assertEquals("difflab-cli", SparkAddOn.artifact(Path.of("difflab-cli-0.1.0-SNAPSHOT.jar")));
        assertEquals("slf4j-simple", SparkAddOn.artifact(Path.of("slf4j-simple-2.0.16.jar")));
        assertEquals("classes", SparkAddOn.artifact(Path.of("target/classes")));
    }

    @Test
    void theAddOnComesFromTheEnvironmentOrTheDistributionAndIsNamedWhenMissing() throws Exception {
        Path addOn = Files.createDirectories(dir.resolve("elsewhere/jars")).getParent();
        assertEquals(addOn, SparkAddOn.locate(Map.of(SparkAddOn.HOME_ENV, addOn.toString()), null));
        Path home = dir.resolve("difflab");
        Files.createDirectories(home.resolve("spark/jars"));
        assertEquals(home.resolve("spark"), SparkAddOn.locate(Map.of(), home));
        UserError missing = assertThrows(UserError.class, () -> SparkAddOn.locate(Map.of(), dir.resolve("bare")));
        assertTrue(missing.getMessage().contains("./mvnw -Pspark -DskipTests package"), missing.getMessage());
    }

    @Test
    void theDriverClassPathPutsTheAddOnFirstAndDropsWhatItReplaces() throws Exception {
        Path addOn = dir.resolve("spark");
        Files.createDirectories(addOn.resolve("jars"));
        for (String jar : List.of("spark-core_2.13-4.2.0.jar", "guava-33.6.0-jre.jar", "slf4j-api-2.0.16.jar")) {
            Files.createFile(addOn.resolve("jars").resolve(jar));
        }
        List<String> entries = List.of(SparkAddOn.classPath(addOn).split(File.pathSeparator));
        assertEquals(addOn.resolve("conf").toString(), entries.get(0), "Spark's logging configuration first");
        assertTrue(entries.get(1).endsWith("guava-33.6.0-jre.jar"), entries.toString());
        assertTrue(entries.stream().noneMatch(e -> e.contains("slf4j-simple")), "Spark's log4j binding only");
        long guavas = entries.stream().filter(e -> SparkAddOn.artifact(Path.of(e)).equals("guava")).count();
        assertEquals(1, guavas, "one version of each library: " + entries);
        String own = System.getProperty("java.class.path").split(File.pathSeparator)[0];
        if (!SparkAddOn.artifact(Path.of(own)).equals("guava")) {
            assertTrue(entries.contains(own), "this JVM's own class path follows");
        }
    }
}
