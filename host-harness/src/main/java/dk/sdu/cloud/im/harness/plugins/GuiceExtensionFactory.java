package dk.sdu.cloud.im.harness.plugins;

import com.google.inject.Injector;
import org.pf4j.ExtensionFactory;

import static java.util.Objects.requireNonNull;

/**
 * Creates PF4J extensions through the host's Guice injector, so that their {@code @Inject} constructors
 * receive host services and their configuration sections. PF4J creates its extension factory before any
 * plugin is loaded, but the injector can only be built once the plugins are known (their configuration
 * sections are bound in it); so the injector is attached afterwards, once.
 *
 * <p>While an extension is being created, the thread's context class loader is the plugin's, so that
 * libraries looking up services through it see the plugin's classes.
 */
public final class GuiceExtensionFactory implements ExtensionFactory {
    private volatile Injector injector;

    /** Attaches the injector that creates extensions from now on. */
    public synchronized void attach(Injector newInjector) {
        requireNonNull(newInjector, "newInjector is null");
        if (injector != null) {
            throw new IllegalStateException("an injector is already attached");
        }
        injector = newInjector;
    }

    @Override
    public <T> T create(Class<T> extensionClass) {
        Injector current = injector;
        if (current == null) {
            throw new IllegalStateException("cannot create " + extensionClass.getName()
                    + ": extensions are created only once the host's injector is built");
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(extensionClass.getClassLoader());
        try {
            return current.getInstance(extensionClass);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
