package dk.sdu.cloud.im.harness.network.links;

import dk.sdu.cloud.im.harness.settings.PublicLinksConfig;
import dk.sdu.cloud.im.harness.settings.WebConfig;

import static java.util.Objects.requireNonNull;

/**
 * What the provider offers for reaching jobs on the web, from {@code services.compute.web} and
 * {@code services.compute.publicLinks}.
 *
 * @param linksEnabled whether the public link product is offered
 * @param productName  the product's and its category's name
 * @param domains      the domains links may have
 * @param webEnabled   whether jobs' web interfaces are offered
 */
public record PublicLinkSettings(boolean linksEnabled, String productName, LinkDomains domains, boolean webEnabled) {
    public PublicLinkSettings {
        requireNonNull(productName, "productName is null");
        requireNonNull(domains, "domains is null");
    }

    /** From the configuration's records (already validated). */
    public static PublicLinkSettings of(WebConfig web, PublicLinksConfig links) {
        requireNonNull(web, "web is null");
        requireNonNull(links, "links is null");
        return new PublicLinkSettings(links.enabled(), links.name(),
                new LinkDomains(links.prefixOrEmpty(), links.suffixOrEmpty()), web.enabled());
    }

    /** Neither links nor web interfaces. */
    public static PublicLinkSettings disabled() {
        return of(WebConfig.disabled(), PublicLinksConfig.disabled());
    }

    /** Whether Core should offer jobs' web interfaces: the web is on, or links are (a VM is reached through them). */
    public boolean webOffered() {
        return webEnabled || linksEnabled;
    }
}
