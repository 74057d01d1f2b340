package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.network.links.LinkDomains;
import dk.sdu.cloud.im.harness.network.links.PublicLinkSettings;
import dk.sdu.cloud.im.harness.network.links.PublicLinkStore;
import dk.sdu.cloud.im.spi.network.PublicLink;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.PROVIDER;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.JSON;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static org.assertj.core.api.Assertions.assertThat;

/** Core's public link calls under /ucloud/<id>/ingresses: the domain rules, uniqueness, deletion of links in use. */
class ProviderApiIngressesTest {
    static final String INGRESSES = "/ucloud/" + PROVIDER + "/ingresses";
    static final PublicLinkSettings LINKS = new PublicLinkSettings(true, "public-links",
            new LinkDomains("app-", ".apps.example.org"), false);

    @TempDir
    Path dir;
    private ApiFixture api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private ApiFixture start(PublicLinkSettings settings) {
        api = ApiFixture.start(dir, settings, PublicLinkStore.open(dir.resolve("links.json")));
        return api;
    }

    static ObjectNode ingress(String id, String domain) {
        ObjectNode link = JSON.createObjectNode();
        link.put("id", id);
        link.putObject("owner").put("createdBy", "user").putNull("project");
        ObjectNode spec = link.putObject("specification");
        spec.put("domain", domain);
        spec.putObject("product").put("id", "public-links").put("category", "public-links").put("provider", PROVIDER);
        return link;
    }

    @Test
    void createStoresTheLinksAndRetrieveProductsAnswersTheDomainPattern() {
        start(LINKS);

        HttpResponse<String> created = api.post(INGRESSES, bulk(ingress("41", "app-mysite.apps.example.org"),
                ingress("42", "app-other-1.apps.example.org")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(json(created).get("responses")).hasSize(2);
        assertThat(api.links.find("41")).contains(new PublicLink("41", new ResourceOwner("user", null),
                "app-mysite.apps.example.org"));
        // Kept on disk: a new store over the same file sees them.
        assertThat(PublicLinkStore.open(dir.resolve("links.json")).find("42")).isPresent();

        JsonNode products = json(api.get(INGRESSES + "/retrieveProducts")).get("responses");
        assertThat(JSON.writeValueAsString(products)).isEqualTo("[{\"domainPrefix\":\"app-\",\"domainSuffix\":"
                + "\".apps.example.org\",\"product\":{\"id\":\"public-links\",\"category\":\"public-links\","
                + "\"provider\":\"k8s\"}}]");
        assertThat(api.post(INGRESSES + "/retrieveProducts", "").statusCode()).isEqualTo(200);
    }

    @Test
    void creatingTheSameLinkAgainIsAccepted() {
        start(LINKS);
        assertThat(api.post(INGRESSES, bulk(ingress("41", "app-mysite.apps.example.org"))).statusCode()).isEqualTo(200);
        assertThat(api.post(INGRESSES, bulk(ingress("41", "app-mysite.apps.example.org"))).statusCode()).isEqualTo(200);
        assertThat(api.links.all()).hasSize(1);
    }

    @Test
    void eachDomainRuleRefusesWith400NamingTheDomainAndNothingIsStored() {
        start(LINKS);
        List<List<String>> cases = List.of(
                List.of("other-mysite.apps.example.org", "must have the form app-<name>.apps.example.org"),
                List.of("app-mysite.example.org", "must have the form app-<name>.apps.example.org"),
                List.of("app-abc.apps.example.org", "must be at least 5 characters long"),
                List.of("app-mysite-.apps.example.org", "cannot end with a dash or underscore"),
                List.of("app-my_site.apps.example.org", "must start with a letter and contain only lowercase letters"),
                List.of("app-1mysite.apps.example.org", "must start with a letter"),
                List.of("app-MySite.apps.example.org", "contain only lowercase letters"),
                List.of("app-" + "a".repeat(64) + ".apps.example.org", "at most 63 characters"));
        for (List<String> c : cases) {
            // A good link in the same request is not stored either.
            HttpResponse<String> response = api.post(INGRESSES, bulk(ingress("7", "app-goodname.apps.example.org"),
                    ingress("8", c.get(0))));

            assertThat(response.statusCode()).as(c.get(0)).isEqualTo(400);
            JsonNode body = json(response);
            assertThat(body.get("why").asString()).isEqualTo("1 of 2 items were rejected; no public link was created");
            assertThat(body.get("items").get(0).get("id").asString()).isEqualTo("8");
            assertThat(body.get("items").get(0).get("why").asString()).as(c.get(0))
                    .contains("items[1].specification.domain", c.get(0).substring(0, 20), c.get(1));
            assertThat(api.links.all()).as(c.get(0)).isEmpty();
        }
    }

    @Test
    void aDomainAlreadyUsedByAnotherLinkIsRefused() {
        start(LINKS);
        api.post(INGRESSES, bulk(ingress("41", "app-mysite.apps.example.org")));

        HttpResponse<String> taken = api.post(INGRESSES, bulk(ingress("42", "app-mysite.apps.example.org")));
        HttpResponse<String> twice = api.post(INGRESSES, bulk(ingress("43", "app-twice.apps.example.org"),
                ingress("44", "app-twice.apps.example.org")));

        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(taken.body()).contains("domain 'app-mysite.apps.example.org' is already used by another public link");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("domain 'app-twice.apps.example.org' is already used");
        assertThat(api.links.all()).extracting(PublicLink::id).containsExactly("41");
    }

    @Test
    void aLinkOfAnotherProductOrWithoutOwnerIsRefused() {
        start(LINKS);
        ObjectNode wrongProduct = ingress("41", "app-mysite.apps.example.org");
        ((ObjectNode) wrongProduct.at("/specification/product")).put("id", "public-ip");
        ObjectNode noOwner = ingress("42", "app-mysite2.apps.example.org");
        noOwner.remove("owner");

        HttpResponse<String> response = api.post(INGRESSES, bulk(wrongProduct, noOwner));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("items[0].specification.product: expected {\\\"id\\\": \\\"public-links\\\"",
                "items[1].owner.createdBy");
        assertThat(api.links.all()).isEmpty();
    }

    @Test
    void withoutPublicLinksCreateIsRefusedAndNoProductIsOffered() {
        start(PublicLinkSettings.disabled());

        HttpResponse<String> response = api.post(INGRESSES, bulk(ingress("41", "app-mysite.apps.example.org")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("why").asString()).contains("services.compute.publicLinks.enabled is false");
        assertThat(json(api.get(INGRESSES + "/retrieveProducts")).get("responses")).isEmpty();
        assertThat(api.links.all()).isEmpty();
    }

    @Test
    void aLinkUsedByARunningJobCannotBeDeletedUntilTheJobEnds() {
        start(LINKS);
        api.post(INGRESSES, bulk(ingress("41", "app-mysite.apps.example.org")));
        ObjectNode job = ExampleJobs.vmJob("7001");
        ((ObjectNode) job.get("specification")).putArray("resources").addObject()
                .put("type", "ingress").put("id", "41").put("port", 8080);
        assertThat(api.post(JOBS, bulk(job)).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = api.delete(INGRESSES, bulk(ingress("41", "app-mysite.apps.example.org")));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("items").get(0).get("why").asString())
                .isEqualTo("items[0]: public link 41 is in use by job 7001; stop the job or remove the link from it first");
        assertThat(api.links.find("41")).isPresent();

        assertThat(api.post(JOBS + "/terminate", bulk(job)).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
        HttpResponse<String> deleted = api.delete(INGRESSES, bulk(ingress("41", "app-mysite.apps.example.org")));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(api.links.find("41")).isEmpty();
        // Deleting what is gone is done already.
        assertThat(api.delete(INGRESSES, bulk(ingress("41", "app-mysite.apps.example.org"))).statusCode()).isEqualTo(200);
    }

    @Test
    void verifyUpdateAclAndLabelsAreAcknowledged() {
        start(LINKS);
        ObjectNode acl = JSON.createObjectNode();
        acl.set("resource", ingress("41", "app-mysite.apps.example.org"));
        acl.putArray("added");
        acl.putArray("deleted");

        assertThat(api.post(INGRESSES + "/verify", bulk(ingress("41", "app-mysite.apps.example.org"))).statusCode())
                .isEqualTo(200);
        HttpResponse<String> updated = api.post(INGRESSES + "/updateAcl", bulk(acl));
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(json(updated).get("responses")).hasSize(1);
        assertThat(api.post(INGRESSES + "/onUpdatedLabels", bulk(ingress("41", "app-x.apps.example.org")))
                .statusCode()).isEqualTo(200);
        HttpResponse<String> malformed = api.post(INGRESSES + "/verify", bulk(JSON.createObjectNode()));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("items[0].id: the link's id is missing");
    }
}
