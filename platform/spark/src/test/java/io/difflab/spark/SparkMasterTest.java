package io.difflab.spark;

import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spark-submit's master URLs: which run tasks in the driver's JVM, and with how many slots. */
class SparkMasterTest {

    @Test
    void localMastersRunInTheDriverWithTheirThreads() {
        assertEquals(new SparkMaster("local", true, 1), SparkMaster.parse("local"));
        assertEquals(new SparkMaster("local[2]", true, 2), SparkMaster.parse(" local[2] "));
        assertEquals(new SparkMaster("local[3,4]", true, 3), SparkMaster.parse("local[3,4]"), "N tasks, F failures");
        assertEquals(Runtime.getRuntime().availableProcessors(), SparkMaster.parse("local[*]").threads());
    }

    @Test
    void clusterMastersRunElsewhere() {
        for (String url : new String[] {"spark://10.0.0.5:7077", "spark://a:7077,b:7077", "yarn",
            "k8s://https://api.example:6443", "local-cluster[2,1,1024]"}) {
            SparkMaster m = SparkMaster.parse(url);
            assertFalse(m.local(), url);
            assertEquals(0, m.threads());
        }
    }

    @Test
    void anythingElseIsRefusedWithTheForms() {
        for (String url : new String[] {"local[0]", "local[x]", "spark://host", "mesos://m:5050", "http://x:7077",
            ""}) {
            UserError e = assertThrows(UserError.class, () -> SparkMaster.parse(url), url);
            assertTrue(e.getMessage().contains("local[N], spark://host:port, yarn or k8s://"), e.getMessage());
            assertEquals(2, e.exitCode());
        }
    }
}
