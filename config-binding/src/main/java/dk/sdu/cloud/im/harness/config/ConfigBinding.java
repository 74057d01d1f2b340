package dk.sdu.cloud.im.harness.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Binds subtrees of one configuration file to records and collects every problem on the way.
 *
 * <p>Rules (those of {@code dk.sdu.cloud.im.spi.config}): a record component's key is its name, or the name
 * in Jackson's {@code @JsonProperty}. It is optional when its type is {@code Optional}, {@code List},
 * {@code Set} or {@code Map} (absent means empty) or when it carries {@code @ConfigDefault} (YAML text bound
 * like a value of the file); otherwise it is required. An empty YAML value counts as absent. Records, lists
 * and maps are bound recursively with their key paths (a map key is part of the path; a list element is
 * {@code key[i]}). Enums match the constant's {@code @JsonProperty} name or its name exactly. Other values
 * are converted with Jackson (a number never becomes an integer by dropping its fraction). A record that
 * implements {@link ValidatedConfig} is validated once it is built; its problems get its path as prefix.
 * When some of its keys failed to bind, it is still validated with those keys taken as absent ({@code
 * Optional}) or null, so that one mistake does not hide the others; checks that throw on such a record are
 * skipped, and problems that concern an already failed key are dropped.
 *
 * <p>A binding only reads; keys that it does not read are reported by {@link #finish()} (see
 * {@link KeyCoverage}), after all bindings of the file are done.
 */
public final class ConfigBinding {
    private static final Object FAILED = new Object();

    private final ConfigTree tree;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final KeyCoverage coverage = new KeyCoverage();
    private final YAMLMapper yaml = YAMLMapper.builder().build();
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    public ConfigBinding(ConfigTree tree) {
        this.tree = requireNonNull(tree, "tree is null");
    }

    /** The file being bound. */
    public ConfigTree tree() {
        return tree;
    }

    /** What the bindings so far have read. */
    public KeyCoverage coverage() {
        return coverage;
    }

    /** Binds the record at {@code path} (an absent path binds like an empty mapping), hiding nothing. */
    public <T> Optional<T> bind(String path, Class<T> type) {
        return bind(path, type, Set.of());
    }

    /**
     * Binds the record at {@code path}. An absent path binds like an empty mapping, so a record whose
     * components are all optional needs no keys at all. The keys on the way to {@code path} become known.
     *
     * @param hiddenPaths absolute key paths that this record must not see (they belong to someone else);
     *                    they bind as if absent
     * @return the record, or empty when any of its problems was found (they are recorded)
     */
    public <T> Optional<T> bind(String path, Class<T> type, Set<String> hiddenPaths) {
        requireNonNull(path, "path is null");
        requireNonNull(type, "type is null");
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        coverage.allowPathTo(path);
        JsonNode node = tree.find(path);
        if (node == null || node.isNull()) {
            node = JsonNodeFactory.instance.objectNode();
        }
        Object value = new Binder(Set.copyOf(hiddenPaths)).value(node, path, type);
        return value == FAILED ? Optional.empty() : Optional.of(type.cast(value));
    }

    /** Records a problem found outside the binding rules (e.g. a cross-section check). */
    public void problem(String path, String message) {
        problems.add(new ConfigProblem(path, message));
    }

    /** The problems found so far. */
    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /**
     * Adds the unknown-key problems and returns every problem, without duplicates, ordered by key path.
     * Call once all records of the file are bound.
     */
    public List<ConfigProblem> finish() {
        List<ConfigProblem> all = new ArrayList<>(problems);
        all.addAll(coverage.unknownKeys(tree.root()));
        return all.stream()
                .distinct()
                .sorted(Comparator.comparing(ConfigProblem::path).thenComparing(ConfigProblem::message))
                .collect(Collectors.toUnmodifiableList());
    }

    /** One {@link #bind} call: the hidden paths and the recursion. */
    private final class Binder {
        private final Set<String> hidden;

        Binder(Set<String> hidden) {
            this.hidden = hidden;
        }

        Object value(JsonNode node, String path, Type type) {
            Class<?> raw = rawClass(type);
            if (raw == Optional.class) {
                Object inner = value(node, path, typeArgument(type, 0));
                return inner == FAILED ? FAILED : Optional.of(inner);
            }
            if (raw == List.class || raw == Collection.class || raw == Set.class) {
                return collection(node, path, type, raw == Set.class);
            }
            if (raw == Map.class) {
                return map(node, path, type);
            }
            if (raw.isRecord()) {
                return record(node, path, raw);
            }
            if (raw.isEnum()) {
                return enumConstant(node, path, raw);
            }
            if (JsonNode.class.isAssignableFrom(raw) || raw == Object.class) {
                coverage.leaveUnchecked(path);
                return raw == Object.class ? json.treeToValue(node, Object.class) : node;
            }
            return scalar(node, path, type, raw);
        }

        private Object record(JsonNode node, String path, Class<?> recordType) {
            RecordComponent[] components = recordType.getRecordComponents();
            if (!node.isObject()) {
                problem(path, "expected a section with keys " + keysOf(components) + ", got " + ValueText.describe(node));
                return FAILED;
            }
            List<String> readKeys = new ArrayList<>();
            for (RecordComponent component : components) {
                if (!hidden.contains(KeyPaths.child(path, keyOf(component)))) {
                    readKeys.add(keyOf(component));
                }
            }
            coverage.allow(path, readKeys);

            Object[] arguments = new Object[components.length];
            List<Integer> failed = new ArrayList<>();
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                String key = keyOf(component);
                String childPath = KeyPaths.child(path, key);
                JsonNode child = hidden.contains(childPath) ? null : node.get(key);
                Object argument = child == null || child.isNull()
                        ? absent(childPath, component.getGenericType(), component)
                        : value(child, childPath, component.getGenericType());
                if (argument == FAILED) {
                    failed.add(i);
                } else {
                    arguments[i] = argument;
                }
            }
            if (!failed.isEmpty()) {
                if (ValidatedConfig.class.isAssignableFrom(recordType)) {
                    validateIncomplete(recordType, components, arguments, failed, path);
                }
                return FAILED;
            }
            Object instance = construct(recordType, components, arguments, path);
            if (instance instanceof ValidatedConfig validated) {
                validate(validated, path, false);
            }
            return instance;
        }

        /**
         * Runs a record's own checks although some of its keys failed to bind, so that one type error does
         * not hide the record's other problems: a failed {@code Optional} key is taken as empty, any other
         * failed key as null (a failed primitive key skips the checks). A check that throws on such a
         * record is skipped, problems at a failed key (or above or below it) are dropped as its
         * consequences, and the record itself stays unbound.
         */
        private void validateIncomplete(Class<?> recordType, RecordComponent[] components, Object[] arguments,
                                        List<Integer> failed, String path) {
            Object[] substituted = arguments.clone();
            for (int i : failed) {
                Class<?> type = components[i].getType();
                if (type.isPrimitive()) {
                    return;
                }
                substituted[i] = type == Optional.class ? Optional.empty() : null;
            }
            Object instance = quietly(() -> construct(recordType, components, substituted, path));
            if (instance instanceof ValidatedConfig validated) {
                validate(validated, path, true);
            }
        }

        /** Evaluates without recording problems. */
        private Object quietly(Supplier<Object> evaluation) {
            int mark = problems.size();
            try {
                return evaluation.get();
            } finally {
                problems.subList(mark, problems.size()).clear();
            }
        }

        private Object absent(String path, Type type, AnnotatedElement element) {
            ConfigDefault defaultValue = element.getAnnotation(ConfigDefault.class);
            if (defaultValue != null) {
                JsonNode node;
                try {
                    node = yaml.readTree(defaultValue.value());
                } catch (JacksonException e) {
                    problem(path, "the default '" + defaultValue.value() + "' given by the plugin is not valid YAML");
                    return FAILED;
                }
                return value(node == null ? JsonNodeFactory.instance.nullNode() : node, path, type);
            }
            Class<?> raw = rawClass(type);
            if (raw == Optional.class) {
                return Optional.empty();
            }
            if (raw == List.class || raw == Collection.class) {
                return List.of();
            }
            if (raw == Set.class) {
                return Set.of();
            }
            if (raw == Map.class) {
                return Map.of();
            }
            problem(path, "missing required key (expected " + typeName(type) + ")");
            return FAILED;
        }

        private Object collection(JsonNode node, String path, Type type, boolean asSet) {
            Type elementType = typeArgument(type, 0);
            if (!node.isArray()) {
                problem(path, "expected a list of " + plural(elementType) + ", got " + ValueText.describe(node));
                return FAILED;
            }
            List<Object> elements = new ArrayList<>();
            boolean complete = true;
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                String elementPath = KeyPaths.element(path, i);
                Object bound = element.isNull()
                        ? failWith(elementPath, "expected " + typeName(elementType) + ", got an empty value")
                        : value(element, elementPath, elementType);
                if (bound == FAILED) {
                    complete = false;
                } else {
                    elements.add(bound);
                }
            }
            if (!complete) {
                return FAILED;
            }
            return asSet ? Collections.unmodifiableSet(new LinkedHashSet<>(elements)) : Collections.unmodifiableList(elements);
        }

        private Object map(JsonNode node, String path, Type type) {
            Type keyType = typeArgument(type, 0);
            if (rawClass(keyType) != String.class) {
                throw new IllegalArgumentException("configuration maps must have String keys, not " + keyType
                        + " (at " + path + ")");
            }
            Type valueType = typeArgument(type, 1);
            if (!node.isObject()) {
                problem(path, "expected a mapping of names to " + plural(valueType) + ", got " + ValueText.describe(node));
                return FAILED;
            }
            if (isStructured(valueType)) {
                coverage.allow(path, node.propertyNames());
            }
            Map<String, Object> entries = new LinkedHashMap<>();
            boolean complete = true;
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String entryPath = KeyPaths.child(path, entry.getKey());
                Object bound = entry.getValue().isNull()
                        ? failWith(entryPath, "expected " + typeName(valueType) + ", got an empty value")
                        : value(entry.getValue(), entryPath, valueType);
                if (bound == FAILED) {
                    complete = false;
                } else {
                    entries.put(entry.getKey(), bound);
                }
            }
            return complete ? Collections.unmodifiableMap(entries) : FAILED;
        }

        private Object enumConstant(JsonNode node, String path, Class<?> enumType) {
            Map<String, Object> byName = enumNames(enumType);
            String text = node.isValueNode() ? node.asString() : null;
            Object constant = text == null ? null : byName.get(text);
            if (constant == null) {
                problem(path, "expected one of " + byName.keySet() + ", got " + ValueText.describe(node)
                        + (text == null ? "" : Suggestions.didYouMean(text, byName.keySet())));
                return FAILED;
            }
            return constant;
        }

        private Object scalar(JsonNode node, String path, Type type, Class<?> raw) {
            if (node.isContainer()) {
                problem(path, "expected " + typeName(type) + ", got " + ValueText.describe(node));
                return FAILED;
            }
            try {
                Object value = json.treeToValue(node, boxed(raw));
                if (value == null) {
                    problem(path, "expected " + typeName(type) + ", got " + ValueText.describe(node));
                    return FAILED;
                }
                return value;
            } catch (JacksonException | IllegalArgumentException e) {
                problem(path, "expected " + typeName(type) + ", got " + ValueText.describe(node));
                return FAILED;
            }
        }

        private Object construct(Class<?> recordType, RecordComponent[] components, Object[] arguments, String path) {
            Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            try {
                Constructor<?> constructor = recordType.getDeclaredConstructor(parameterTypes);
                constructor.setAccessible(true);
                return constructor.newInstance(arguments);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                problem(path, "is not valid: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
                return FAILED;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + recordType.getName(), e);
            }
        }

        private void validate(ValidatedConfig validated, String path, boolean dropConsequences) {
            List<ConfigProblem> found;
            try {
                found = validated.validate();
            } catch (RuntimeException e) {
                if (!dropConsequences) {
                    problem(path, "could not be checked: " + validated.getClass().getName() + ".validate() failed with " + e);
                }
                return;
            }
            List<ConfigProblem> earlier = List.copyOf(problems);
            for (ConfigProblem problem : found) {
                String relative = problem.path();
                String absolute = relative.isEmpty() ? path : KeyPaths.child(path, relative);
                if (!dropConsequences || earlier.stream().noneMatch(p -> related(p.path(), absolute))) {
                    problem(absolute, problem.message());
                }
            }
        }

        private Object failWith(String path, String message) {
            problem(path, message);
            return FAILED;
        }
    }

    /** Whether two paths are equal or one lies below the other (list elements count as below their list). */
    private static boolean related(String a, String b) {
        return a.equals(b) || below(a, b) || below(b, a);
    }

    private static boolean below(String path, String ancestor) {
        return KeyPaths.isBelow(path, ancestor) || path.startsWith(ancestor + "[");
    }

    /** The YAML key of a record component. */
    static String keyOf(RecordComponent component) {
        JsonProperty property = component.getAnnotation(JsonProperty.class);
        if (property == null) {
            property = component.getAccessor().getAnnotation(JsonProperty.class);
        }
        if (property == null) {
            try {
                property = component.getDeclaringRecord().getDeclaredField(component.getName()).getAnnotation(JsonProperty.class);
            } catch (NoSuchFieldException e) {
                property = null;
            }
        }
        return property != null && !property.value().isEmpty() ? property.value() : component.getName();
    }

    private static String keysOf(RecordComponent[] components) {
        return Arrays.stream(components).map(ConfigBinding::keyOf).collect(Collectors.joining(", ", "[", "]"));
    }

    private static Map<String, Object> enumNames(Class<?> enumType) {
        Map<String, Object> names = new LinkedHashMap<>();
        for (Object constant : enumType.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            try {
                JsonProperty property = enumType.getField(name).getAnnotation(JsonProperty.class);
                names.put(property != null && !property.value().isEmpty() ? property.value() : name, constant);
            } catch (NoSuchFieldException e) {
                names.put(name, constant);
            }
        }
        return names;
    }

    private static boolean isStructured(Type type) {
        Class<?> raw = rawClass(type);
        if (raw == Optional.class || raw == List.class || raw == Set.class || raw == Collection.class) {
            return isStructured(typeArgument(type, 0));
        }
        return raw.isRecord() || raw == Map.class && isStructured(typeArgument(type, 1));
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        throw new IllegalArgumentException("unsupported configuration type " + type);
    }

    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        if (type == byte.class) {
            return Byte.class;
        }
        return Character.class;
    }

    /** How a value of a type is named in messages: "an integer", "true or false", "a list of text", ... */
    static String typeName(Type type) {
        Class<?> raw = boxed(rawClass(type));
        if (raw == String.class) {
            return "text";
        }
        if (raw == Integer.class || raw == Long.class || raw == Short.class || raw == Byte.class || raw == BigInteger.class) {
            return "an integer";
        }
        if (raw == Double.class || raw == Float.class || raw == BigDecimal.class) {
            return "a number";
        }
        if (raw == Boolean.class) {
            return "true or false";
        }
        if (raw == Optional.class) {
            return typeName(typeArgument(type, 0));
        }
        if (raw == List.class || raw == Set.class || raw == Collection.class) {
            return "a list of " + plural(typeArgument(type, 0));
        }
        if (raw == Map.class) {
            return "a mapping of names to " + plural(typeArgument(type, 1));
        }
        if (raw.isEnum()) {
            return "one of " + enumNames(raw).keySet();
        }
        if (raw.isRecord()) {
            return "a section with keys " + keysOf(raw.getRecordComponents());
        }
        return "a " + raw.getSimpleName();
    }

    private static String plural(Type type) {
        Class<?> raw = boxed(rawClass(type));
        if (raw == String.class) {
            return "text";
        }
        if (raw == Integer.class || raw == Long.class || raw == Short.class || raw == Byte.class || raw == BigInteger.class) {
            return "integers";
        }
        if (raw == Double.class || raw == Float.class || raw == BigDecimal.class) {
            return "numbers";
        }
        if (raw == Boolean.class) {
            return "true/false values";
        }
        if (raw.isRecord()) {
            return "sections";
        }
        return typeName(type);
    }
}
