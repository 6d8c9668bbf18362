package io.difflab.host.plugin;

import com.google.inject.Injector;
import jakarta.inject.Inject;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginRuntimeException;

import java.util.HashMap;
import java.util.Map;

/**
 * Creates extensions through the host's one Guice injector, so their constructor parameters
 * are host services (ExtensionRegistry, Progress.Factory, Provider&lt;RunContext&gt;, Tracker, ...).
 * Each extension class is instantiated once: extensions are singletons per class.
 *
 * <p>PF4J asks for this factory while the plugin manager is being constructed, before any
 * injector exists; the injector arrives through {@link #attach(Injector)}, which
 * {@link io.difflab.host.inject.PluginHostModule} requests when the injector is created.
 */
public final class GuiceExtensionFactory implements ExtensionFactory {

    private final Map<Class<?>, Object> instances = new HashMap<>();
    private Injector injector;

    /** Gives the factory the host injector (called once by Guice). */
    @Inject
    public synchronized void attach(Injector injector) {
        if (this.injector != null && this.injector != injector) {
            throw new IllegalStateException("the extension factory already belongs to another injector");
        }
        this.injector = injector;
    }

    /**
     * The one instance of {@code extensionClass}.
     *
     * @throws PluginRuntimeException when Guice cannot build it (the message says why)
     */
    @Override
    public synchronized <T> T create(Class<T> extensionClass) {
        if (injector == null) {
            throw new IllegalStateException("extensions are created after the host injector exists");
        }
        Object existing = instances.get(extensionClass);
        if (existing != null) {
            return extensionClass.cast(existing);
        }
        T created;
        try {
            created = injector.getInstance(extensionClass);
        } catch (RuntimeException e) {
            // "{}" keeps any '%' in Guice's text away from PF4J's String.format
            throw new PluginRuntimeException(e, "{}", "cannot create " + extensionClass.getName()
                    + ": " + ErrorText.firstLine(e));
        }
        instances.put(extensionClass, created);
        return created;
    }
}
