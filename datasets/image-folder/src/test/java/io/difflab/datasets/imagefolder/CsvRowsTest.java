package io.difflab.datasets.imagefolder;

import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 4180 fields, line numbers and malformed input. */
class CsvRowsTest {

    @Test
    void quotedFieldsHoldCommasQuotesAndNewlines() {
        String text = "\uFEFFfile,caption\r\n"
                + "a.png,\"a red, round \"\"ball\"\"\"\r\n"
                + "\n"
                + "b.png,\"two\nlines\"\n"
                + "c.png,\n";
        List<CsvRows.Row> rows = CsvRows.parse(text, "labels.csv");
        assertEquals(List.of("file", "caption"), rows.get(0).fields());
        assertEquals(List.of("a.png", "a red, round \"ball\""), rows.get(1).fields());
        assertEquals(List.of("b.png", "two\nlines"), rows.get(2).fields());
        assertEquals(List.of("c.png", ""), rows.get(3).fields());
        assertEquals(List.of(1, 2, 4, 6), rows.stream().map(CsvRows.Row::line).toList());
    }

    @Test
    void lastRowWithoutNewlineIsKept() {
        assertEquals(List.of("x.png", "cat"), CsvRows.parse("file,label\nx.png,cat", "f").get(1).fields());
    }

    @Test
    void anUnclosedQuoteIsReportedWithItsLine() {
        UserError error = assertThrows(UserError.class,
                () -> CsvRows.parse("file,caption\na.png,\"never closed\n", "labels.csv"));
        assertTrue(error.getMessage().contains("labels.csv line 2: a quoted field is never closed"), error.getMessage());
    }

    @Test
    void textAfterAClosingQuoteIsReported() {
        UserError error = assertThrows(UserError.class,
                () -> CsvRows.parse("file,caption\na.png,\"x\"y\n", "labels.csv"));
        assertTrue(error.getMessage().contains("labels.csv line 2: text after a closing quote"), error.getMessage());
    }
}
