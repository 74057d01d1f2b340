package dk.sdu.cloud.im.simulator;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The store's index narrows a query to its resource, namespace or name, and never changes what matches. */
class StoreIndexTest {

    private final StoreIndex index = new StoreIndex();
    private final List<AttributeSet> stored = new ArrayList<>();

    @Test
    void aQueryByNameTestsOnlyTheKeysOfThatName() {
        for (int i = 0; i < 500; i++) {
            store(key("pods", "n", "pod-" + i));
        }
        AttributeSet wanted = store(key("pods", "other", "pod-7"));

        long before = index.keysTested();
        List<AttributeSet> found = index.matching(query("pods", "other", "pod-7"), this::everything);

        assertThat(found).containsExactly(wanted);
        assertThat(index.keysTested() - before).isEqualTo(2);       // pod-7 of "n" and of "other"
    }

    @Test
    void aQueryByNamespaceTestsThatNamespacesKeysOfTheResourceAndAListOfAllNamespacesEveryKeyOfIt() {
        AttributeSet first = store(key("pods", "n", "a"));
        store(key("pods", "other", "b"));
        store(key("services", "n", "a"));
        AttributeSet last = store(key("pods", "n", "c"));

        assertThat(index.matching(query("pods", "n", null), this::everything)).containsExactly(first, last);
        assertThat(index.matching(query("pods", null, null), this::everything)).hasSize(3);
        assertThat(index.matching(query("secrets", "n", null), this::everything)).isEmpty();
    }

    @Test
    void aRemovedKeyIsNotFoundAndAReaddedOneComesLast() {
        AttributeSet a = store(key("pods", "n", "a"));
        AttributeSet b = store(key("pods", "n", "b"));
        index.remove(a);
        stored.remove(a);
        assertThat(index.matching(query("pods", "n", "a"), this::everything)).isEmpty();

        store(a);
        assertThat(index.matching(query("pods", "n", null), this::everything)).containsExactly(b, a);
    }

    @Test
    void aQueryThatNamesNoResourceOrOnlyAWildcardIsAnsweredFromEveryKey() {
        AttributeSet pod = store(key("pods", "n", "a"));
        AttributeSet service = store(key("services", "n", "a"));

        AttributeSet noResource = new AttributeSet(new Attribute("namespace", "n"));
        AttributeSet wildcard = new AttributeSet(new Attribute("plural", "*"), new Attribute("name", "a"));

        assertThat(index.narrows(noResource)).isFalse();
        assertThat(index.matching(noResource, this::everything)).containsExactlyInAnyOrder(pod, service);
        assertThat(index.narrows(wildcard)).isFalse();
        assertThat(index.matching(wildcard, this::everything)).containsExactlyInAnyOrder(pod, service);
    }

    @Test
    void aNegatedNameOrNamespaceDoesNotNarrowByIt() {
        store(key("pods", "n", "a"));
        AttributeSet b = store(key("pods", "n", "b"));
        AttributeSet elsewhere = store(key("pods", "other", "c"));

        AttributeSet notA = new AttributeSet(new Attribute("plural", "pods"),
                new Attribute("name", "a", AttributeType.WITHOUT));
        AttributeSet notN = new AttributeSet(new Attribute("plural", "pods"),
                new Attribute("namespace", "n", AttributeType.WITHOUT));

        assertThat(index.matching(notA, this::everything)).containsExactly(b, elsewhere);
        assertThat(index.matching(notN, this::everything)).containsExactly(elsewhere);
    }

    private AttributeSet store(AttributeSet key) {
        index.add(key);
        stored.add(key);
        return key;
    }

    private List<AttributeSet> everything() {
        return List.copyOf(stored);
    }

    private static AttributeSet key(String plural, String namespace, String name) {
        return new AttributeSet(new Attribute("plural", plural), new Attribute("namespace", namespace),
                new Attribute("name", name), new Attribute("metadata.name", name));
    }

    private static AttributeSet query(String plural, String namespace, String name) {
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("plural", plural));
        if (namespace != null) {
            attributes.add(new Attribute("namespace", namespace));
        }
        if (name != null) {
            attributes.add(new Attribute("name", name));
        }
        return new AttributeSet(attributes);
    }
}
