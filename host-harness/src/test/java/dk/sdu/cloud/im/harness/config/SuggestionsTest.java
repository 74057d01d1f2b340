package dk.sdu.cloud.im.harness.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {

    @Test
    void distanceCountsEditsAndSwapsOfNeighbours() {
        assertThat(Suggestions.distance("ipAddress", "ipAddress")).isZero();
        assertThat(Suggestions.distance("ipAdress", "ipAddress")).isEqualTo(1);
        assertThat(Suggestions.distance("srever", "server")).isEqualTo(1);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void theClosestLikelyTypoIsSuggested() {
        List<String> keys = List.of("enabled", "hostname", "ipAddress", "portMax", "portMin");
        assertThat(Suggestions.closest("ipAdress", keys)).contains("ipAddress");
        assertThat(Suggestions.closest("portmin", keys)).contains("portMin");
        assertThat(Suggestions.closest("HOSTNAME", keys)).contains("hostname");
        assertThat(Suggestions.didYouMean("enabeld", keys)).isEqualTo(" (did you mean 'enabled'?)");
    }

    @Test
    void nothingIsSuggestedForUnrelatedWords() {
        List<String> keys = List.of("enabled", "hostname", "ipAddress");
        assertThat(Suggestions.closest("banana", keys)).isEmpty();
        assertThat(Suggestions.closest("xy", List.of("ab"))).isEmpty();
        assertThat(Suggestions.closest("anything", List.of())).isEmpty();
        assertThat(Suggestions.didYouMean("banana", keys)).isEmpty();
    }
}
