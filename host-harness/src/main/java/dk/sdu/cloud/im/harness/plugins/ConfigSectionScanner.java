package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.harness.config.KeyPaths;
import dk.sdu.cloud.im.spi.config.ConfigSection;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds, without creating anything, the configuration sections an extension needs: the
 * {@code @ConfigSection} records among the parameters of its injectable constructor, and among those of the
 * plugin's own classes that the constructor asks for (Guice builds those too). Also enforces the
 * constructor rule: exactly one public constructor annotated {@code @Inject}, or only a public
 * constructor without parameters.
 */
final class ConfigSectionScanner {

    /** What was found for one extension. */
    record Result(List<Class<?>> sections, List<String> problems) {
    }

    private ConfigSectionScanner() {
    }

    static Result scan(Class<?> extensionClass) {
        Set<Class<?>> sections = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        Constructor<?> constructor = injectableConstructor(extensionClass, problems);
        if (constructor != null) {
            visit(constructor, extensionClass.getClassLoader(), sections, problems, new HashSet<>(Set.of(extensionClass)));
        }
        return new Result(List.copyOf(sections), problems);
    }

    /** The constructor Guice will use, or null (with a problem) when the rule is broken. */
    static Constructor<?> injectableConstructor(Class<?> type, List<String> problems) {
        Constructor<?>[] publicConstructors = type.getConstructors();
        List<Constructor<?>> injectable = Arrays.stream(publicConstructors).filter(ConfigSectionScanner::isInject).toList();
        if (injectable.size() == 1 && Arrays.stream(type.getDeclaredConstructors()).filter(ConfigSectionScanner::isInject).count() == 1) {
            return injectable.get(0);
        }
        if (injectable.isEmpty() && publicConstructors.length == 1 && publicConstructors[0].getParameterCount() == 0) {
            return publicConstructors[0];
        }
        problems.add(type.getName() + " must have exactly one public constructor annotated @Inject (or only a public "
                + "constructor without parameters); it has " + publicConstructors.length + " public constructor(s), "
                + injectable.size() + " of them with @Inject");
        return null;
    }

    private static void visit(Constructor<?> constructor, ClassLoader pluginLoader, Set<Class<?>> sections,
                              List<String> problems, Set<Class<?>> seen) {
        for (Type parameter : constructor.getGenericParameterTypes()) {
            Class<?> type = providedType(parameter);
            if (type == null) {
                continue;
            }
            ConfigSection section = type.getAnnotation(ConfigSection.class);
            if (section != null) {
                if (!type.isRecord()) {
                    problems.add(type.getName() + " is annotated @ConfigSection but is not a record");
                } else if (!KeyPaths.isValidSectionPath(section.value())) {
                    problems.add(type.getName() + " has an invalid @ConfigSection path '" + section.value()
                            + "' (expected dotted keys such as services.compute.virtualMachines)");
                } else {
                    sections.add(type);
                }
                continue;
            }
            if (isPluginOwnClass(type, pluginLoader) && seen.add(type)) {
                List<String> ignored = new ArrayList<>();
                Constructor<?> next = injectableConstructor(type, ignored);
                // A class without a usable constructor is Guice's to reject, with its own message.
                if (next != null) {
                    visit(next, pluginLoader, sections, problems, seen);
                }
            }
        }
    }

    /** The class an injection point asks for; {@code Provider<T>} asks for {@code T}. */
    private static Class<?> providedType(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            String name = raw.getName();
            if (name.equals("jakarta.inject.Provider") || name.equals("com.google.inject.Provider")) {
                return providedType(p.getActualTypeArguments()[0]);
            }
            return raw;
        }
        return null;
    }

    private static boolean isPluginOwnClass(Class<?> type, ClassLoader pluginLoader) {
        return type.getClassLoader() == pluginLoader && !type.isInterface() && !type.isRecord()
                && !Modifier.isAbstract(type.getModifiers()) && !type.isPrimitive() && !type.isArray();
    }

    private static boolean isInject(Constructor<?> constructor) {
        return constructor.isAnnotationPresent(jakarta.inject.Inject.class)
                || constructor.isAnnotationPresent(com.google.inject.Inject.class);
    }
}
