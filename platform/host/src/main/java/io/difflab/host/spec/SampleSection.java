package io.difflab.host.spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The two shorthands of the {@code sample} section, expanded before it is validated:
 * {@code prompts} naming a text file (one prompt per line, relative to the spec's folder) becomes
 * the list of its lines, so the resolved spec holds the prompts themselves; and
 * {@code reference_images} as a list of integers becomes {@code test:i,j,...}.
 */
final class SampleSection {

    /** Prompt files larger than this are refused. */
    static final long MAX_PROMPT_FILE = 1 << 20;

    private SampleSection() {
    }

    /** {@code raw} with the shorthands expanded; problems are added for unreadable prompt files. */
    static Object expand(Object raw, Path baseDir, Problems problems) {
        if (!(raw instanceof Map<?, ?> section)) {
            return raw;
        }
        Map<Object, Object> out = new LinkedHashMap<>(section);
        if (out.get("prompts") instanceof String file) {
            out.put("prompts", readPrompts(file, baseDir, problems));
        }
        if (out.get("reference_images") instanceof List<?> indices && !indices.isEmpty()
                && indices.stream().allMatch(i -> i instanceof Integer)) {
            out.put("reference_images", "test:" + indices.stream().map(String::valueOf)
                    .collect(Collectors.joining(",")));
        }
        return out;
    }

    private static List<String> readPrompts(String file, Path baseDir, Problems problems) {
        Path path = Path.of(file);
        if (!path.isAbsolute() && baseDir != null && Files.isRegularFile(baseDir.resolve(path))) {
            path = baseDir.resolve(path);
        }
        List<String> prompts = new ArrayList<>();
        try {
            if (!Files.isRegularFile(path)) {
                problems.add("sample.prompts", "no prompt file " + path + " (a list of prompts, or a text file of one "
                        + "per line)");
                return List.of();
            }
            if (Files.size(path) > MAX_PROMPT_FILE) {
                problems.add("sample.prompts", path + " is larger than " + MAX_PROMPT_FILE + " bytes");
                return List.of();
            }
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(path))).toString();
            for (String line : text.split("\\R")) {
                if (!line.isBlank()) {
                    prompts.add(line.strip());
                }
            }
        } catch (CharacterCodingException e) {
            problems.add("sample.prompts", path + " is not UTF-8 text");
        } catch (IOException e) {
            problems.add("sample.prompts", "cannot read " + path + ": " + e.getMessage());
        }
        if (prompts.isEmpty()) {
            problems.add("sample.prompts", path + " holds no prompts");
        }
        return prompts;
    }
}
