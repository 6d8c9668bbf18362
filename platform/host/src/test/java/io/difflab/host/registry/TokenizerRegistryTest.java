package io.difflab.host.registry;

import io.difflab.api.Config;
import io.difflab.api.Tokenizer;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;
import io.difflab.api.tracking.Tracker;
import io.difflab.host.inject.Host;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tokenizers are platform extensions found through PF4J's index, selected by name like every other. */
class TokenizerRegistryTest {

    @Test
    void theHostOffersBothTokenizersByName() {
        Tracker none = new Tracker() {
            @Override
            public io.difflab.api.tracking.TrackedRun startRun(String e, String r, String p, Map<String, String> t) {
                throw new UnsupportedOperationException();
            }

            @Override
            public io.difflab.api.tracking.TrackedRun resumeRun(String runId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String location() {
                return "nowhere";
            }
        };
        try (Host host = Host.start(List.of(), List.of(binder -> {
            binder.bind(Tracker.class).toInstance(none);
            binder.bind(io.difflab.host.run.TrackerSource.class).toInstance(uri -> none);
        }))) {
            assertEquals(List.of("clip-bpe", "word"),
                    host.registry().all(Tokenizer.class).stream().map(Tokenizer::name).toList());
            Tokenizer clip = host.registry().get(Tokenizer.class, "clip-bpe");
            // the kit's committed vocabulary sample (platform/kit/src/test/resources)
            Path sample = Path.of("..", "kit", "src", "test", "resources", "io", "difflab", "kit", "text",
                    "clip-bpe-sample.tokenizer.json");
            Config config = new Config("tokenizer", Map.of("vocabulary", sample.toString(), "context_length", 77));
            try (Vocabulary v = clip.vocabulary(config, List::of)) {
                assertArrayEquals(new int[] {2512, 320, 736, 2459, 66, 579, 2513, 0}, java.util.Arrays.copyOf(
                        v.encode("a red circle"), 8));
            }
            UserError unknown = assertThrows(UserError.class, () -> host.registry().get(Tokenizer.class, "bpe"));
            assertTrue(unknown.getMessage().contains("clip-bpe") && unknown.getMessage().contains("word"),
                    unknown.getMessage());
        }
    }
}
