package io.difflab.tracking;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of everything difflab writes or says: the values of
 * {@code MLFLOW_TRACKING_PASSWORD} and {@code MLFLOW_TRACKING_TOKEN}, the {@code Authorization}
 * header built from them (base64 of user:password; a server may echo request headers in its error
 * answers), any {@code Authorization: <scheme> <value>} text, and the user-info part of any URI
 * ({@code http://user:secret@host}) are replaced by {@code ***} in params, tags, artifacts, log
 * lines and exception messages.
 */
public final class Redactor {

    public static final String MASK = "***";
    /** Shorter secrets would mask ordinary text; they are still kept out of logs by never being printed. */
    static final int MIN_SECRET_LENGTH = 4;
    private static final Pattern URI_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)[^/@\\s]+@");
    /** An Authorization header (or a JSON or log echo of one): its credentials follow the scheme. */
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)(authorization[\"']?\\s*[:=]\\s*[\"'\\[]?\\s*(?:basic|bearer|token)\\s+)[A-Za-z0-9+/=._~\\-]+");

    private final List<String> secrets;

    public Redactor(List<String> secrets) {
        List<String> kept = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_SECRET_LENGTH && !kept.contains(s)) {
                kept.add(s);
            }
        }
        kept.sort((a, b) -> b.length() - a.length());
        this.secrets = List.copyOf(kept);
    }

    /** The secrets of the MLflow environment variables and of the tracking URI's user info. */
    public static Redactor fromEnvironment(Map<String, String> env, String trackingUri) {
        List<String> secrets = new ArrayList<>();
        secrets.add(env.get("MLFLOW_TRACKING_PASSWORD"));
        secrets.add(env.get("MLFLOW_TRACKING_TOKEN"));
        secrets.add(userInfoPassword(env.get("MLFLOW_TRACKING_URI")));
        secrets.add(userInfoPassword(trackingUri));
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        String password = env.get("MLFLOW_TRACKING_PASSWORD");
        if (user != null && password != null && !password.isBlank()) {
            secrets.add(java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return new Redactor(secrets);
    }

    /**
     * This redactor, also masking {@code authorization} (an {@code Authorization} header value like
     * {@code Basic dXNlcjpwYXNz}) and its credentials part; itself when {@code authorization} is null.
     */
    public Redactor with(String authorization) {
        if (authorization == null) {
            return this;
        }
        List<String> more = new ArrayList<>(secrets);
        more.add(authorization);
        int space = authorization.indexOf(' ');
        more.add(space < 0 ? authorization : authorization.substring(space + 1));
        return new Redactor(more);
    }

    /** {@code text} with every secret and URI user info masked. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = URI_USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
        out = AUTHORIZATION.matcher(out).replaceAll("$1" + MASK);
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }

    /**
     * {@code content} with secrets masked when it is text (no NUL byte in its first 8 KiB);
     * binary content (weights, images) is returned as it is, never altered by chance matches.
     */
    public byte[] scrubText(byte[] content) {
        for (int i = 0; i < Math.min(content.length, 8192); i++) {
            if (content[i] == 0) {
                return content;
            }
        }
        String text = new String(content, StandardCharsets.UTF_8);
        String scrubbed = scrub(text);
        return scrubbed.equals(text) ? content : scrubbed.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether any secret occurs in {@code text}. */
    public boolean leaks(String text) {
        return text != null && secrets.stream().anyMatch(text::contains);
    }

    /** A URI without its user-info part ({@code http://host:5000}). */
    public static String withoutUserInfo(String uri) {
        return uri == null ? null : URI_USER_INFO.matcher(uri).replaceAll("$1");
    }

    private static String userInfoPassword(String uri) {
        if (uri == null) {
            return null;
        }
        Matcher m = URI_USER_INFO.matcher(uri);
        if (!m.find()) {
            return null;
        }
        String info = uri.substring(m.end(1), m.end() - 1);
        int colon = info.indexOf(':');
        return colon < 0 ? info : info.substring(colon + 1);
    }

    @Override
    public String toString() {
        return "Redactor[" + secrets.size() + " secrets]";
    }

}
