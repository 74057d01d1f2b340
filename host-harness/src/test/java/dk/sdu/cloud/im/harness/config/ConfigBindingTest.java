package dk.sdu.cloud.im.harness.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The binder's own rules, on small records (the host's and plugins' records follow the same rules). */
class ConfigBindingTest {

    record Scalars(String name, int count, long big, double ratio, boolean on) {
    }

    record Optionals(Optional<String> name, List<Integer> numbers, Set<String> tags, Map<String, String> labels,
                     @ConfigDefault("50") int size, @ConfigDefault("false") boolean on,
                     @ConfigDefault("ucloud-apps") String namespace) {
    }

    record Renamed(@JsonProperty("host-name") String hostName) {
    }

    record Inner(String value) {
    }

    record Outer(Inner inner, List<Inner> items, Map<String, Inner> byName) {
    }

    enum Colour {
        @JsonProperty("Red") RED,
        @JsonProperty("Green") GREEN
    }

    record Painted(Colour colour) {
    }

    record Port(int port) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            return port > 0 ? List.of() : List.of(new ConfigProblem("port", "must be positive, got " + port));
        }
    }

    record Ports(Port first, Optional<Port> second) {
    }

    record Range(Optional<Integer> min, Optional<Integer> max, Optional<String> name) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            List<ConfigProblem> problems = new java.util.ArrayList<>();
            if (min.isEmpty()) {
                problems.add(new ConfigProblem("min", "is required"));
            }
            if (name.isEmpty()) {
                problems.add(new ConfigProblem("name", "is required"));
            }
            return problems;
        }
    }

    record Checked(String name) {
        Checked {
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
        }
    }

    record Free(JsonNode anything, Map<String, String> labels) {
    }

    record Section(Optional<String> type, Optional<String> hostPath) {
    }

    private static ConfigBinding binding(String yaml) {
        JsonNode root = YAMLMapper.builder().build().readTree(yaml);
        return new ConfigBinding(new ConfigTree(Path.of("test.yaml"), root));
    }

    @Test
    void scalarsAreConverted() {
        ConfigBinding binding = binding("s: {name: x, count: 3, big: 10000000000, ratio: 0.5, on: true}");
        assertThat(binding.bind("s", Scalars.class)).contains(new Scalars("x", 3, 10_000_000_000L, 0.5, true));
        assertThat(binding.finish()).isEmpty();
    }

    @Test
    void aMissingRequiredKeyIsAProblemAtItsPath() {
        ConfigBinding binding = binding("s: {name: x, big: 1, ratio: 1, on: false}");
        assertThat(binding.bind("s", Scalars.class)).isEmpty();
        assertThat(binding.finish()).containsExactly(
                new ConfigProblem("s.count", "missing required key (expected an integer)"));
    }

    @Test
    void anEmptyValueCountsAsAbsent() {
        ConfigBinding binding = binding("s:\n  name:\n  count: 1\n  big: 1\n  ratio: 1\n  on: true\n");
        binding.bind("s", Scalars.class);
        assertThat(binding.finish()).containsExactly(new ConfigProblem("s.name", "missing required key (expected text)"));
    }

    @Test
    void wrongTypesAreProblemsNamingTheValue() {
        ConfigBinding binding = binding("s: {name: [a], count: abc, big: 1.5, ratio: x, on: maybe}");
        assertThat(binding.bind("s", Scalars.class)).isEmpty();
        assertThat(binding.finish()).containsExactly(
                new ConfigProblem("s.big", "expected an integer, got '1.5'"),
                new ConfigProblem("s.count", "expected an integer, got 'abc'"),
                new ConfigProblem("s.name", "expected text, got a list [\"a\"]"),
                new ConfigProblem("s.on", "expected true or false, got 'maybe'"),
                new ConfigProblem("s.ratio", "expected a number, got 'x'"));
    }

    @Test
    void optionalCollectionsAndDefaultsMayBeAbsent() {
        ConfigBinding binding = binding("o: {}");
        assertThat(binding.bind("o", Optionals.class))
                .contains(new Optionals(Optional.empty(), List.of(), Set.of(), Map.of(), 50, false, "ucloud-apps"));
        assertThat(binding.finish()).isEmpty();
    }

    @Test
    void presentValuesOverrideDefaults() {
        ConfigBinding binding = binding("o: {name: n, numbers: [1, 2], tags: [a, a, b], labels: {k: v, flag: true}, "
                + "size: 60, on: true, namespace: jobs}");
        Optionals bound = binding.bind("o", Optionals.class).orElseThrow();
        assertThat(bound.name()).contains("n");
        assertThat(bound.numbers()).containsExactly(1, 2);
        assertThat(bound.tags()).containsExactly("a", "b");
        assertThat(bound.labels()).containsExactly(Map.entry("k", "v"), Map.entry("flag", "true"));
        assertThat(bound.size()).isEqualTo(60);
        assertThat(bound.on()).isTrue();
        assertThat(bound.namespace()).isEqualTo("jobs");
    }

    @Test
    void anAbsentSectionBindsLikeAnEmptyOne() {
        ConfigBinding binding = binding("other: 1");
        assertThat(binding.bind("nowhere.to.be.found", Optionals.class)).isPresent();
    }

    @Test
    void jsonPropertyNamesTheKey() {
        ConfigBinding binding = binding("r: {host-name: h}");
        assertThat(binding.bind("r", Renamed.class)).contains(new Renamed("h"));
        assertThat(binding.finish()).isEmpty();
    }

    @Test
    void nestedRecordsListsAndMapsCarryTheirPaths() {
        ConfigBinding binding = binding("""
                o:
                  inner: {value: 1}
                  items: [{value: a}, {valu: b}]
                  byName:
                    u1-standard: {value: c}
                    u1-broken: {}
                """);
        assertThat(binding.bind("o", Outer.class)).isEmpty();
        assertThat(binding.finish()).containsExactly(
                new ConfigProblem("o.byName.u1-broken.value", "missing required key (expected text)"),
                new ConfigProblem("o.items[1].valu", "unknown key 'valu' (did you mean 'value'?); known keys here: value"),
                new ConfigProblem("o.items[1].value", "missing required key (expected text)"));
    }

    @Test
    void nestedRecordsBind() {
        ConfigBinding binding = binding("o: {inner: {value: x}, items: [{value: a}], byName: {n: {value: b}}}");
        assertThat(binding.bind("o", Outer.class))
                .contains(new Outer(new Inner("x"), List.of(new Inner("a")), Map.of("n", new Inner("b"))));
    }

    @Test
    void aSectionWhereAListIsExpectedAndViceVersaAreProblems() {
        ConfigBinding binding = binding("o: {inner: [1], items: {value: a}, byName: 3}");
        binding.bind("o", Outer.class);
        assertThat(binding.finish()).extracting(ConfigProblem::toString).containsExactly(
                "o.byName: expected a mapping of names to sections, got '3'",
                "o.inner: expected a section with keys [value], got a list [1]",
                "o.items: expected a list of sections, got a section with keys [value]");
    }

    @Test
    void enumsMatchTheirYamlNamesWithASuggestion() {
        assertThat(binding("p: {colour: Green}").bind("p", Painted.class)).contains(new Painted(Colour.GREEN));
        ConfigBinding binding = binding("p: {colour: Gren}");
        binding.bind("p", Painted.class);
        assertThat(binding.finish()).containsExactly(new ConfigProblem("p.colour",
                "expected one of [Red, Green], got 'Gren' (did you mean 'Green'?)"));
    }

    @Test
    void validatedRecordsAddTheirProblemsWithTheirPath() {
        ConfigBinding binding = binding("p: {first: {port: 0}, second: {port: -1}}");
        assertThat(binding.bind("p", Ports.class)).isPresent();
        assertThat(binding.finish()).containsExactly(
                new ConfigProblem("p.first.port", "must be positive, got 0"),
                new ConfigProblem("p.second.port", "must be positive, got -1"));
    }

    @Test
    void aTypeErrorDoesNotHideTheRecordsOtherChecks() {
        ConfigBinding binding = binding("r: {min: abc}");
        assertThat(binding.bind("r", Range.class)).isEmpty();
        // 'min is required' would be a consequence of the type error, so only the type error is reported.
        assertThat(binding.finish()).containsExactly(
                new ConfigProblem("r.min", "expected an integer, got 'abc'"),
                new ConfigProblem("r.name", "is required"));
    }

    @Test
    void aConstructorThatRejectsItsValuesIsAProblem() {
        ConfigBinding binding = binding("c: {name: ' '}");
        assertThat(binding.bind("c", Checked.class)).isEmpty();
        assertThat(binding.finish()).containsExactly(new ConfigProblem("c", "is not valid: name must not be blank"));
    }

    @Test
    void unknownKeysAreReportedWithASuggestionOnceAllBindingsAreDone() {
        ConfigBinding binding = binding("o: {inner: {value: x, vaule: y}, itemz: []}");
        binding.bind("o", Outer.class);
        assertThat(binding.finish()).containsExactly(
                new ConfigProblem("o.inner.vaule", "unknown key 'vaule' (did you mean 'value'?); known keys here: value"),
                new ConfigProblem("o.itemz", "unknown key 'itemz' (did you mean 'items'?); known keys here: byName, inner, items"));
    }

    @Test
    void freeFormValuesAreNotCheckedForKeys() {
        ConfigBinding binding = binding("f: {anything: {a: {b: 1}}, labels: {whatever: x}}");
        assertThat(binding.bind("f", Free.class)).isPresent();
        assertThat(binding.finish()).isEmpty();
    }

    @Test
    void keysReadByAnyBindingAreKnown() {
        ConfigBinding binding = binding("s: {type: HostPath, hostPath: /mnt, size: 3}");
        record TypeOnly(String type) {
        }
        record SizeOnly(int size) {
        }
        binding.bind("s", TypeOnly.class);
        binding.bind("s", SizeOnly.class);
        assertThat(binding.finish()).containsExactly(new ConfigProblem("s.hostPath",
                "unknown key 'hostPath'; known keys here: size, type"));
    }

    @Test
    void hiddenKeysBindAsAbsent() {
        ConfigBinding binding = binding("s: {type: HostPath, hostPath: /mnt}");
        Section section = binding.bind("s", Section.class, Set.of("s.type")).orElseThrow();
        assertThat(section.type()).isEmpty();
        assertThat(section.hostPath()).contains("/mnt");
        // Nobody else read 'type' in this test, so it is unknown.
        assertThat(binding.finish()).extracting(ConfigProblem::path).containsExactly("s.type");
    }

    @Test
    void aListOfScalarsReportsTheBadElement() {
        record Numbers(List<Integer> cpu) {
        }
        ConfigBinding binding = binding("n: {cpu: [1, two, 3]}");
        binding.bind("n", Numbers.class);
        assertThat(binding.finish()).containsExactly(new ConfigProblem("n.cpu[1]", "expected an integer, got 'two'"));
    }

    @Test
    void problemsAreReportedOnceAndInPathOrder() {
        ConfigBinding binding = binding("z: 1");
        binding.bind("o", Optionals.class);
        binding.problem("b", "second");
        binding.problem("a", "first");
        binding.problem("b", "second");
        assertThat(binding.finish()).extracting(ConfigProblem::path).containsExactly("a", "b", "z");
    }
}
