package io.difflab.host.spec;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

import java.util.List;
import java.util.Map;

/**
 * Reads and writes spec YAML with SnakeYAML's safe constructor: only maps, lists, strings,
 * numbers, booleans and null are ever built, never arbitrary types. Duplicate keys are errors.
 */
public final class SpecYaml {

    /** Aliases of collections a document may hold (SnakeYAML's default): "billion laughs" documents fail fast. */
    private static final int ALIASES = 50;
    /** Nesting of lists and sections a document may have (SnakeYAML's default). */
    private static final int NESTING = 50;

    private SpecYaml() { }

    /**
     * Parses a YAML document or scalar.
     *
     * @throws IllegalArgumentException with the line and column of a syntax error
     */
    public static Object load(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(ALIASES);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        try {
            return new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1);
            String problem = Excerpt.of(String.valueOf(e.getProblem()));
            if (problem.startsWith("Global tag is not allowed") || problem.startsWith("could not determine a constructor")) {
                problem = "type tags (!!name) are not allowed in a spec: it holds plain values, lists and sections";
            }
            throw new IllegalArgumentException("invalid YAML" + where + ": " + problem, e);
        } catch (ReaderException e) {
            throw new IllegalArgumentException("invalid YAML" + position(text, e.getPosition()) + ": character "
                    + String.format("U+%04X", e.getCodePoint()) + " is not allowed in YAML", e);
        } catch (YAMLException e) {
            // the limits (aliases, nesting, size) and what else SnakeYAML refuses: its first line, quoted briefly
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            if (message.startsWith("Number of aliases")) {
                throw new IllegalArgumentException("invalid YAML" + position(text, aliasBeyondLimit(text, ALIASES))
                        + ": more than " + ALIASES + " aliases (*name) of collections: a spec needs none", e);
            }
            if (message.startsWith("Nesting Depth exceeded")) {
                throw new IllegalArgumentException("invalid YAML" + position(text, deeperThan(text, NESTING))
                        + ": lists or sections nested more than " + NESTING + " deep", e);
            }
            throw new IllegalArgumentException("invalid YAML: " + Excerpt.of(message), e);
        }
    }

    /** The index of the first bracket or brace opening level {@code limit + 1} of flow nesting, or 0. */
    private static int deeperThan(String text, int limit) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == '{') {
                if (++depth > limit) {
                    return i;
                }
            } else if (c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            }
        }
        return 0;
    }

    /** The index of the first alias ({@code *name}) beyond the first {@code limit}, or 0. */
    private static int aliasBeyondLimit(String text, int limit) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![\\w&*])\\*[\\w.-]+").matcher(text);
        for (int n = 0; m.find(); n++) {
            if (n == limit) {
                return m.start();
            }
        }
        return 0;
    }

    /** " at line L, column C" of the character at {@code index} of {@code text}. */
    private static String position(String text, int index) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(index, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return " at line " + line + ", column " + (index - lineStart + 1);
    }

    /** Writes {@code tree} in block style, with lists of plain values on one line ({@code [1, 2, 2]}). */
    public static String dump(Map<String, Object> tree) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setWidth(120);
        return new Yaml(new SpecRepresenter(options), options).dump(tree);
    }

    /** Lists of scalars in flow style, everything else in block style. */
    private static final class SpecRepresenter extends Representer {
        SpecRepresenter(DumperOptions options) {
            super(options);
            multiRepresenters.put(List.class, data -> {
                List<?> list = (List<?>) data;
                boolean plain = list.stream().noneMatch(e -> e instanceof Map || e instanceof List);
                return representSequence(Tag.SEQ, list,
                        plain ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK);
            });
        }
    }
}
