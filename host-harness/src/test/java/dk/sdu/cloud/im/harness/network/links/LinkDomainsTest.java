package dk.sdu.cloud.im.harness.network.links;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinkDomainsTest {
    private final LinkDomains domains = new LinkDomains("app-", ".apps.example.org");

    @Test
    void aNameOfFiveToSixtyThreeLettersDigitsAndInnerDashesIsAccepted() {
        assertThat(domains.problem("app-abcde.apps.example.org")).isEmpty();
        assertThat(domains.problem("app-my-site-2.apps.example.org")).isEmpty();
        assertThat(domains.problem("app-" + "a".repeat(63) + ".apps.example.org")).isEmpty();
    }

    @Test
    void eachRuleHasItsOwnMessage() {
        assertThat(domains.problem(null)).contains("the domain is missing (specification.domain)");
        assertThat(domains.problem("app-.apps.example.org")).hasValueSatisfying(p ->
                assertThat(p).contains("at least 5 characters"));
        assertThat(domains.problem("mysite.apps.example.org")).hasValueSatisfying(p ->
                assertThat(p).contains("must have the form app-<name>.apps.example.org"));
        assertThat(domains.problem("app-mysite.apps.example.org.evil.com")).hasValueSatisfying(p ->
                assertThat(p).contains("must have the form"));
        assertThat(domains.problem("app-a.b.c.d.apps.example.org")).hasValueSatisfying(p ->
                assertThat(p).contains("only lowercase letters a-z, digits 0-9 and dashes"));
        assertThat(domains.problem("app-ab\u0001cd.apps.example.org")).hasValueSatisfying(p ->
                assertThat(p).contains("\\u0001"));
    }

    @Test
    void withoutAPrefixTheNameStartsTheDomain() {
        LinkDomains suffixOnly = new LinkDomains("", ".apps.example.org");
        assertThat(suffixOnly.problem("mysite.apps.example.org")).isEmpty();
        assertThat(suffixOnly.problem("abc.apps.example.org")).hasValueSatisfying(p ->
                assertThat(p).contains("between the start and '.apps.example.org'"));
    }
}
