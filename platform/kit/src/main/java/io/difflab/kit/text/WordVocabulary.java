package io.difflab.kit.text;

import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level vocabulary learnt from captions: ids 0-3 are {@code <pad>}, {@code <unk>},
 * {@code <start>} and {@code <end>}, then the words by falling count, ties in code-point order, so
 * the same captions always give the same ids. A word is a run of letters, a run of digits or one
 * other non-space character, after Unicode NFC and lower-casing; words outside the vocabulary map
 * to {@code <unk>}.
 *
 * <p>The file ({@link #save}) is UTF-8 text with one token per line, the line number (from 0)
 * being its id: readable, and a trained model's vocabulary for good.
 */
public final class WordVocabulary implements Vocabulary {

    public static final String PAD = "<pad>";
    public static final String UNKNOWN = "<unk>";
    public static final String START = "<start>";
    public static final String END = "<end>";
    static final List<String> SPECIALS = List.of(PAD, UNKNOWN, START, END);
    private static final Pattern WORD = Pattern.compile("\\p{L}+|\\p{N}+|[^\\s\\p{L}\\p{N}]",
            Pattern.UNICODE_CHARACTER_CLASS);

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final int contextLength;

    private WordVocabulary(List<String> tokens, int contextLength) {
        this.tokens = List.copyOf(tokens);
        this.contextLength = contextLength;
        this.ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (ids.putIfAbsent(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("the token " + tokens.get(i) + " appears twice");
            }
        }
    }

    /**
     * Learns the vocabulary of {@code captions}: every word seen at least {@code minCount} times,
     * the {@code maxWords} most frequent when {@code maxWords > 0}.
     */
    public static WordVocabulary build(Iterable<String> captions, int minCount, int maxWords, int contextLength) {
        Map<String, Integer> counts = new HashMap<>();
        for (String caption : captions) {
            for (String word : words(caption)) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        List<String> tokens = new ArrayList<>(SPECIALS);
        counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount && !SPECIALS.contains(e.getKey()))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                .limit(maxWords > 0 ? maxWords : Long.MAX_VALUE)
                .forEach(e -> tokens.add(e.getKey()));
        return new WordVocabulary(tokens, contextLength);
    }

    /**
     * Reads a vocabulary {@link #save} wrote.
     *
     * @throws UserError when the file is missing or is not such a vocabulary
     */
    public static WordVocabulary load(Path file, int contextLength) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("no word vocabulary at " + file + " (a run writes vocabulary.txt beside its model)");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot read the word vocabulary " + file + ": " + e.getMessage(), e);
        }
        if (lines.size() < SPECIALS.size() || !lines.subList(0, SPECIALS.size()).equals(SPECIALS)
                || lines.stream().anyMatch(t -> t.isEmpty() || t.chars().anyMatch(Character::isWhitespace))) {
            throw new UserError(file + " is not a word vocabulary: it must list " + String.join(", ", SPECIALS)
                    + " first, then one word per line");
        }
        try {
            return new WordVocabulary(lines, contextLength);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + " is not a word vocabulary: " + e.getMessage());
        }
    }

    /** The words of {@code caption} as this vocabulary sees them (NFC, lower case). */
    public static List<String> words(String caption) {
        String text = Normalizer.normalize(caption, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    /** The token of {@code id}. */
    public String token(int id) {
        return tokens.get(id);
    }

    /** The id of {@code token}, or the unknown id. */
    public int id(String token) {
        return ids.getOrDefault(token, SPECIALS.indexOf(UNKNOWN));
    }

    @Override
    public int[] textIds(String caption) {
        return words(caption).stream().mapToInt(this::id).toArray();
    }

    @Override
    public int size() {
        return tokens.size();
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int startId() {
        return SPECIALS.indexOf(START);
    }

    @Override
    public int endId() {
        return SPECIALS.indexOf(END);
    }

    @Override
    public int padId() {
        return SPECIALS.indexOf(PAD);
    }

    /** The unknown word's id. */
    public int unknownId() {
        return SPECIALS.indexOf(UNKNOWN);
    }

    @Override
    public void save(Path file) throws IOException {
        AtomicWrite.bytes(file, (String.join("\n", tokens) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
