package io.difflab.tracking;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys valid for MLflow, values within its limits. */
class MlflowLimitsTest {

    @Test
    void validKeysAreKeptAsTheyAre() {
        assertEquals("train.loss", MlflowLimits.validKey("train.loss"));
        assertEquals("eval/fd 10k-x_1", MlflowLimits.validKey("eval/fd 10k-x_1"));
    }

    @Test
    void invalidCharactersAndPathSegmentsAreReplaced() {
        assertEquals("eval.fd_10_", MlflowLimits.validKey("eval.fd@10%"));
        assertEquals("a/_/b", MlflowLimits.validKey("/a/../b/"));
        assertEquals("a/b", MlflowLimits.validKey("a//./b"));
        assertEquals("_", MlflowLimits.validKey(""));
        assertEquals(250, MlflowLimits.validKey("k".repeat(300)).length());
    }

    @Test
    void longValuesAreCutToTheLimitWithAMarker() {
        String v = MlflowLimits.paramValue("y".repeat(7000));
        assertTrue(v.length() <= MlflowLimits.MAX_PARAM_VALUE_LENGTH, "length " + v.length());
        assertTrue(v.startsWith("y".repeat(5000)));
        assertTrue(v.endsWith("of 7000 characters kept]"), v.substring(v.length() - 60));
        assertEquals("short", MlflowLimits.paramValue("short"));
        assertTrue(MlflowLimits.tagValue("t".repeat(9000)).length() <= MlflowLimits.MAX_TAG_VALUE_LENGTH);
    }
}
