package io.difflab.tracking.remote;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** Says in words why a request got no answer, without Java class names. */
final class NetworkErrors {

    private NetworkErrors() {
    }

    /** E.g. {@code connection refused}, {@code no answer within the timeout}, {@code unknown host mlflow}. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (t instanceof ConnectException || name.equals("HttpHostConnectException")) {
                return "connection refused (is the server running, and is the address right?)";
            }
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
                    || name.equals("ConnectTimeoutException")) {
                return "no answer within the timeout";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (name.equals("NoHttpResponseException") || name.equals("ConnectionClosedException")) {
                return "the server closed the connection without answering";
            }
            if (t instanceof SSLException) {
                return "TLS handshake failed: " + t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? "the request failed" : message;
    }
}
