package io.difflab.cli;

import io.difflab.host.plugin.PluginReport;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PluginTableTest {

    @Test
    void oneRowPerPluginOneLinePerKindAndTheReasonBelow() {
        Map<String, List<String>> system = new LinkedHashMap<>();
        system.put("schedule", List.of("cosine", "linear"));
        system.put("sampler", List.of("ancestral"));
        String table = PluginTable.render(List.of(
                new PluginReport("system", "0.1.0", "STARTED", system, null),
                new PluginReport("broken", "2.0.0", "FAILED", Map.of(), "start() failed: boom")));
        assertEquals("""
                PLUGIN  VERSION  STATE    EXTENSIONS
                system  0.1.0    STARTED  schedule: cosine, linear
                                          sampler: ancestral
                broken  2.0.0    FAILED   -
                  ! start() failed: boom
                """, table);
    }
}
