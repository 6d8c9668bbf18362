package io.difflab.tracking;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Secrets and URI user info are masked in text, never in binary content. */
class RedactorTest {

    private final Redactor redactor = Redactor.fromEnvironment(
            Map.of("MLFLOW_TRACKING_PASSWORD", "pa55word!", "MLFLOW_TRACKING_TOKEN", "tok-123456"),
            "https://carol:hunter2hunter2@host");

    @Test
    void secretsFromTheEnvironmentAndTheUriAreMasked() {
        assertEquals("a *** b *** c", redactor.scrub("a pa55word! b tok-123456 c"));
        assertEquals("*** is the URI's password", redactor.scrub("hunter2hunter2 is the URI's password"));
    }

    @Test
    void userInfoOfAnyUriIsMasked() {
        assertEquals("see https://***@host:5000/x and ftp://***@y",
                redactor.scrub("see https://dave:other@host:5000/x and ftp://eve@y"));
        assertEquals("http://host:5000", Redactor.withoutUserInfo("http://u:p@host:5000"));
    }

    @Test
    void textArtifactsAreScrubbedAndBinaryOnesLeftAlone() {
        byte[] text = "password pa55word!\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals("password ***\n".getBytes(StandardCharsets.UTF_8), redactor.scrubText(text));
        byte[] binary = {0, 'p', 'a', '5', '5', 'w', 'o', 'r', 'd', '!'};
        assertSame(binary, redactor.scrubText(binary));
        byte[] clean = "nothing here".getBytes(StandardCharsets.UTF_8);
        assertSame(clean, redactor.scrubText(clean));
    }

    @Test
    void authorizationHeadersEchoedByAServerAreMasked() {
        Redactor basic = Redactor.fromEnvironment(Map.of("MLFLOW_TRACKING_USERNAME", "carol",
                "MLFLOW_TRACKING_PASSWORD", "hunter2hunter2"), "http://host");
        String header = "Basic " + java.util.Base64.getEncoder().encodeToString("carol:hunter2hunter2"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("bad request (headers: {Authorization=[Basic ***], Accept=[*/*]}) and again ***",
                basic.scrub("bad request (headers: {Authorization=[" + header + "], Accept=[*/*]}) and again "
                        + header.substring(6)));
        assertEquals("{\"authorization\": \"Bearer ***\"} Authorization: token ***",
                new Redactor(List.of()).scrub("{\"authorization\": \"Bearer abc.def-ghi\"} Authorization: token xyz123"));
        assertEquals("x *** y", new Redactor(List.of()).with("Bearer tok-abcdef").scrub("x tok-abcdef y"));
    }

    @Test
    void secretsTooShortToMaskSafelyAreNotMaskedInOrdinaryText() {
        assertEquals("a b c", new Redactor(List.of("b")).scrub("a b c"));
    }
}
