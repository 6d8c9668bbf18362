package io.difflab.tracking;

import java.util.regex.Pattern;

/**
 * MLflow's limits on what one may log ({@code mlflow/utils/validation.py}) and how difflab keeps
 * within them: keys made valid, over-long values truncated with a visible marker.
 */
public final class MlflowLimits {

    public static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    /** Servers refuse log-batch requests over 1 MB; batches stay well below. */
    public static final int MAX_BATCH_BYTES = 800_000;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    /** 5000 on MLflow 2.x servers before 2.11 (8000 later): the smaller one works everywhere. */
    public static final int MAX_TAG_VALUE_LENGTH = 5000;
    public static final int MAX_KEY_LENGTH = 250;

    /** {@code _VALID_PARAM_AND_METRIC_NAMES = r"^[/\w.\- ]*$"}, ASCII word characters. */
    private static final Pattern INVALID_KEY_CHARS = Pattern.compile("[^/A-Za-z0-9_.\\- ]");
    private static final String MARKER = "...[truncated by difflab: %d of %d characters kept]";

    private MlflowLimits() {
    }

    /**
     * A key MLflow accepts: other characters become {@code _}; empty, {@code .} and {@code ..}
     * path segments (which would not name a unique file) are dropped or replaced; at most 250
     * characters. Valid keys are returned unchanged.
     */
    public static String validKey(String key) {
        String cleaned = INVALID_KEY_CHARS.matcher(key == null ? "" : key).replaceAll("_");
        StringBuilder out = new StringBuilder();
        for (String segment : cleaned.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(segment.equals("..") ? "_" : segment);
        }
        String result = out.length() == 0 ? "_" : out.toString();
        return result.length() > MAX_KEY_LENGTH ? result.substring(0, MAX_KEY_LENGTH) : result;
    }

    /** {@code value} cut to {@code max} characters, ending with a marker that says so. */
    public static String truncate(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        String marker = String.format(MARKER, 0, value.length());
        int keep = Math.max(0, max - marker.length() - 4);
        return value.substring(0, keep) + String.format(MARKER, keep, value.length());
    }

    public static String paramValue(String value) {
        return truncate(value == null ? "" : value, MAX_PARAM_VALUE_LENGTH);
    }

    public static String tagValue(String value) {
        return truncate(value == null ? "" : value, MAX_TAG_VALUE_LENGTH);
    }
}
