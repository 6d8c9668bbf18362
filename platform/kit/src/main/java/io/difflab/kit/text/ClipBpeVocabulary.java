package io.difflab.kit.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.difflab.api.UserError;
import io.difflab.api.Vocabulary;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * CLIP's byte-level BPE (Radford et al. 2021) run by Hugging Face tokenizers (the Rust library, via
 * DJL's {@code ai.djl.huggingface:tokenizers}, whose jar carries the native library) from a local
 * tokenizer.json: no network. The file is one that {@code tools/clip/bpe_to_tokenizer_json.py}
 * makes from OpenAI's {@code bpe_simple_vocab_16e6.txt.gz}, or Hugging Face's own CLIP tokenizer.json:
 * NFC, white space runs to one space, lower case, CLIP's pre-tokenizer pattern, byte-level symbols
 * with "</w>" ending each word, {@code <|startoftext|>} and {@code <|endoftext|>} (49406 and 49407
 * in OpenAI's vocabulary). The row layout, truncation and padding are {@link Vocabulary}'s.
 * (OpenAI's own tokenizer also runs ftfy and html.unescape on the text; this one does not.)
 */
public final class ClipBpeVocabulary implements Vocabulary {

    public static final String START = "<|startoftext|>";
    public static final String END = "<|endoftext|>";
    public static final int CONTEXT_LENGTH = 77;

    private final byte[] json;
    private final HuggingFaceTokenizer tokenizer;
    private final int size;
    private final int startId;
    private final int endId;
    private final int contextLength;

    private ClipBpeVocabulary(byte[] json, HuggingFaceTokenizer tokenizer, int size, int startId, int endId,
                              int contextLength) {
        this.json = json;
        this.tokenizer = tokenizer;
        this.size = size;
        this.startId = startId;
        this.endId = endId;
        this.contextLength = contextLength;
    }

    /**
     * Loads a CLIP tokenizer.json.
     *
     * @throws UserError when the file is missing or not a CLIP BPE tokenizer.json
     */
    public static ClipBpeVocabulary load(Path file, int contextLength) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("no CLIP tokenizer at " + file + "; make one from OpenAI's "
                    + "bpe_simple_vocab_16e6.txt.gz with tools/clip/bpe_to_tokenizer_json.py");
        }
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError("cannot read the CLIP tokenizer " + file + ": " + e.getMessage(), e);
        }
        JsonObject doc = parse(json, file);
        JsonObject model = doc.getAsJsonObject("model");
        if (model == null || !"BPE".equals(text(model.get("type"))) || !"</w>".equals(text(model.get("end_of_word_suffix")))
                || !model.has("vocab")) {
            throw notClip(file, "its model is not a BPE with the end-of-word suffix </w>");
        }
        int size = model.getAsJsonObject("vocab").entrySet().stream()
                .mapToInt(e -> e.getValue().getAsInt() + 1).max().orElse(0);
        Integer start = null;
        Integer end = null;
        if (doc.has("added_tokens") && doc.get("added_tokens").isJsonArray()) {
            for (JsonElement t : doc.getAsJsonArray("added_tokens")) {
                JsonObject token = t.getAsJsonObject();
                int id = token.get("id").getAsInt();
                size = Math.max(size, id + 1);
                start = START.equals(text(token.get("content"))) ? Integer.valueOf(id) : start;
                end = END.equals(text(token.get("content"))) ? Integer.valueOf(id) : end;
            }
        }
        if (start == null || end == null) {
            throw notClip(file, "it does not declare the tokens " + START + " and " + END);
        }
        HuggingFaceTokenizer tokenizer;
        try {
            // no special tokens, truncation or padding from the library: Vocabulary's rows do that
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw notClip(file, "the tokenizers library rejects it (" + e.getMessage() + ")");
        }
        return new ClipBpeVocabulary(json, tokenizer, size, start, end, contextLength);
    }

    @Override
    public int[] textIds(String caption) {
        return Arrays.stream(tokenizer.encode(caption, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int startId() {
        return startId;
    }

    @Override
    public int endId() {
        return endId;
    }

    /** Writes the tokenizer.json it was loaded from. */
    @Override
    public void save(Path file) throws IOException {
        AtomicWrite.bytes(file, json);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static JsonObject parse(byte[] json, Path file) {
        if (json.length > 1 && (json[0] & 0xff) == 0x1f && (json[1] & 0xff) == 0x8b) {
            throw notClip(file, "it is gzip-compressed: OpenAI's merges list? convert it with "
                    + "tools/clip/bpe_to_tokenizer_json.py first");
        }
        try {
            JsonElement doc = JsonUtils.GSON.fromJson(new String(json, StandardCharsets.UTF_8), JsonElement.class);
            if (doc == null || !doc.isJsonObject()) {
                throw notClip(file, "it is not a JSON object");
            }
            return doc.getAsJsonObject();
        } catch (JsonParseException e) {
            throw notClip(file, "it is not JSON (" + e.getMessage() + "); a merges list? convert it with "
                    + "tools/clip/bpe_to_tokenizer_json.py first");
        }
    }

    private static String text(JsonElement e) {
        return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    private static UserError notClip(Path file, String why) {
        return new UserError(file + " is not a CLIP BPE tokenizer.json: " + why);
    }
}
