package io.difflab.host.inject;

import com.google.inject.AbstractModule;
import io.difflab.api.ExtensionRegistry;
import io.difflab.host.plugin.DifflabPluginManager;
import io.difflab.host.plugin.ExtensionCatalog;
import io.difflab.host.registry.DefaultExtensionRegistry;
import org.pf4j.PluginManager;

/**
 * Binds the plugin host: the plugin manager, the catalog of extensions and the
 * {@link ExtensionRegistry} over it; and hands the injector to the manager's extension factory,
 * so that extensions are created by this injector.
 */
public final class PluginHostModule extends AbstractModule {

    private final DifflabPluginManager manager;
    private final ExtensionCatalog catalog;

    /** Binds {@code manager} (plugins already loaded and started) and its {@code catalog}. */
    public PluginHostModule(DifflabPluginManager manager, ExtensionCatalog catalog) {
        this.manager = manager;
        this.catalog = catalog;
    }

    @Override
    protected void configure() {
        bind(DifflabPluginManager.class).toInstance(manager);
        bind(PluginManager.class).toInstance(manager);
        bind(ExtensionCatalog.class).toInstance(catalog);
        bind(DefaultExtensionRegistry.class).toInstance(new DefaultExtensionRegistry(catalog::extensions));
        bind(ExtensionRegistry.class).to(DefaultExtensionRegistry.class);
        requestInjection(manager.guiceExtensionFactory());
    }
}
