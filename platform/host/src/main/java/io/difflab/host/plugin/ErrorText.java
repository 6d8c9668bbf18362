package io.difflab.host.plugin;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;

import java.util.Collection;

/** Turns exceptions (Guice's multi-paragraph ones too) into the one line a plugin report has room for. */
final class ErrorText {

    private ErrorText() { }

    /** The first error Guice gives, or the exception's own message. */
    static String firstLine(Throwable e) {
        Collection<Message> messages = null;
        if (e instanceof ConfigurationException c) {
            messages = c.getErrorMessages();
        } else if (e instanceof ProvisionException p) {
            messages = p.getErrorMessages();
        } else if (e instanceof CreationException c) {
            messages = c.getErrorMessages();
        }
        if (messages != null && !messages.isEmpty()) {
            Message first = messages.iterator().next();
            Throwable cause = first.getCause();
            if (cause != null) {
                return describe(cause);
            }
            return firstLineOf(first.getMessage());
        }
        return describe(e);
    }

    /** {@code SimpleName: message}, first line only. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        String name = e.getClass().getSimpleName();
        return message == null ? name : name + ": " + firstLineOf(message);
    }

    private static String firstLineOf(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
