package io.difflab.tracking.remote;

import io.difflab.api.UserError;
import io.difflab.tracking.Redactor;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Where the tracking server is and how to authenticate to it, as MLflow's clients read it:
 * {@code MLFLOW_TRACKING_USERNAME}/{@code MLFLOW_TRACKING_PASSWORD} (basic) or
 * {@code MLFLOW_TRACKING_TOKEN} (bearer), else the URI's own user info. The secrets live only
 * here and in request headers: {@link #toString()} and {@link #host()} never show them.
 */
public final class ServerCredentials {

    private final String host;
    private final String username;
    private final String password;
    private final String token;

    private ServerCredentials(String host, String username, String password, String token) {
        this.host = host;
        this.username = username;
        this.password = password;
        this.token = token;
    }

    /**
     * Reads the credentials for {@code uri} from {@code env}.
     *
     * @throws UserError when {@code uri} is not an http(s) URI
     */
    public static ServerCredentials of(String uri, Map<String, String> env) {
        URI parsed;
        try {
            parsed = new URI(uri.strip());
        } catch (URISyntaxException e) {
            throw new UserError("tracking URI " + Redactor.withoutUserInfo(uri) + " is not a URI: " + e.getReason());
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || parsed.getHost() == null) {
            throw new UserError("tracking URI " + Redactor.withoutUserInfo(uri) + " is not an http(s) server address");
        }
        String host = Redactor.withoutUserInfo(uri.strip());
        while (host.endsWith("/")) {
            host = host.substring(0, host.length() - 1);
        }
        String user = blankToNull(env.get("MLFLOW_TRACKING_USERNAME"));
        String pass = blankToNull(env.get("MLFLOW_TRACKING_PASSWORD"));
        String token = blankToNull(env.get("MLFLOW_TRACKING_TOKEN"));
        if (user == null && token == null && parsed.getRawUserInfo() != null) {
            String[] info = parsed.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(info[0], StandardCharsets.UTF_8);
            pass = info.length > 1 ? URLDecoder.decode(info[1], StandardCharsets.UTF_8) : null;
        }
        return new ServerCredentials(host, user, pass, token);
    }

    /** The server's base URI, without credentials and trailing slash. */
    public String host() {
        return host;
    }

    /** For the official client. */
    public MlflowHostCredsProvider provider() {
        if (username != null && password != null) {
            return new BasicMlflowHostCreds(host, username, password);
        }
        if (token != null) {
            return new BasicMlflowHostCreds(host, token);
        }
        return new BasicMlflowHostCreds(host);
    }

    /** The {@code Authorization} header value, the way the official client builds it. */
    public Optional<String> authorization() {
        if (username != null && password != null) {
            return Optional.of("Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return token == null ? Optional.empty() : Optional.of("Bearer " + token);
    }

    @Override
    public String toString() {
        String auth = username != null && password != null ? "basic" : token != null ? "bearer" : "none";
        return host + " (auth: " + auth + ")";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
