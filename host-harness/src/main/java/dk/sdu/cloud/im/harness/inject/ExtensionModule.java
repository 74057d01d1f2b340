package dk.sdu.cloud.im.harness.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import org.pf4j.ExtensionFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Binds what plugins bring: each bound configuration section as an instance of its record type; the
 * selected storage extension as {@link VmDiskStorage} (created by PF4J's extension factory, i.e. through this
 * injector, once), or {@link DisabledVmDiskStorage} when there is none; each compute backend class as a
 * singleton, so that one instance serves the process.
 */
public final class ExtensionModule extends AbstractModule {
    private final Map<Class<?>, Object> sections;
    private final Optional<Class<? extends VmDiskStorage>> storageClass;
    private final String noStorageReason;
    private final List<Class<?>> computeBackendClasses;
    private final ExtensionFactory extensionFactory;

    /**
     * @param sections              bound configuration sections, by record class
     * @param storageClass          the selected storage extension class, if VMs are enabled
     * @param noStorageReason       why there is no storage, when {@code storageClass} is empty
     * @param computeBackendClasses the compute backend extension classes
     * @param extensionFactory      the factory that creates extensions (through this injector)
     */
    public ExtensionModule(Map<Class<?>, Object> sections, Optional<Class<? extends VmDiskStorage>> storageClass,
                           String noStorageReason, List<Class<?>> computeBackendClasses, ExtensionFactory extensionFactory) {
        this.sections = Map.copyOf(requireNonNull(sections, "sections is null"));
        this.storageClass = requireNonNull(storageClass, "storageClass is null");
        this.noStorageReason = requireNonNull(noStorageReason, "noStorageReason is null");
        this.computeBackendClasses = List.copyOf(requireNonNull(computeBackendClasses, "computeBackendClasses is null"));
        this.extensionFactory = requireNonNull(extensionFactory, "extensionFactory is null");
    }

    @Override
    protected void configure() {
        sections.forEach(this::bindSection);
        if (storageClass.isPresent()) {
            Class<? extends VmDiskStorage> type = storageClass.get();
            bind(type).in(Singleton.class);
            bind(VmDiskStorage.class).toProvider(new ExtensionProvider<>(extensionFactory, type)).in(Singleton.class);
        } else {
            bind(VmDiskStorage.class).toInstance(new DisabledVmDiskStorage(noStorageReason));
        }
        computeBackendClasses.forEach(type -> bind(type).in(Singleton.class));
    }

    private <T> void bindSection(Class<T> type, Object value) {
        bind(type).toInstance(type.cast(value));
    }

    /** Asks PF4J's extension factory for an extension. */
    private record ExtensionProvider<T>(ExtensionFactory factory, Class<? extends T> type) implements Provider<T> {
        @Override
        public T get() {
            return factory.create(type);
        }
    }
}
