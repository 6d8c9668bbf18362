package io.difflab.kit.nn;

/**
 * A network setting that cannot work, with the key of the spec section it comes from
 * ({@code channel_mult}), so that the extension building the network can name the key path.
 */
public final class InvalidSetting extends IllegalArgumentException {

    private final String key;

    /**
     * @param key     the setting's key in its section, e.g. {@code num_head_channels}
     * @param message what is wrong, without the key
     */
    public InvalidSetting(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The setting's key in its section. */
    public String key() {
        return key;
    }

    /** What is wrong, without the key. */
    public String problem() {
        return getMessage().substring(key.length() + 2);
    }
}
