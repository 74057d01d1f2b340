package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.harness.boot.HostVersion;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code plugin-bom/pom.xml}, which third-party plugins import, pins exactly what the host runs with: each of
 * its artifacts at the version on the host's class path, all {@code provided}, and together they hold every
 * platform package ({@link PlatformPackages}); besides, the test kit, scope {@code test}. The BOM has no parent, so its versions are a second copy of the
 * root pom's; this test is what keeps the copy true.
 */
class PluginBomTest {
    /** Tests run with the module as working directory. */
    private static final Path BOM = Path.of("..", "plugin-bom", "pom.xml");
    /** The one entry that is not the platform: for a plugin's tests, scope test. */
    private static final String TESTKIT = "im-plugin-testkit";

    record Managed(String groupId, String artifactId, String version, String scope) {
        String coordinates() {
            return groupId + ":" + artifactId;
        }
    }

    @Test
    void everyArtifactIsTheHostsVersionAndProvided() throws Exception {
        String bomVersion = text(bom().getDocumentElement(), "version");
        assertThat(bomVersion).as("the BOM's own version").isEqualTo(HostVersion.current().version());
        List<Managed> managed = managed();
        assertThat(managed).isNotEmpty();
        for (Managed artifact : managed) {
            if (artifact.artifactId().equals(TESTKIT)) {
                assertThat(artifact.scope()).as(TESTKIT).isEqualTo("test");
                assertThat(artifact.version()).isEqualTo("${project.version}");
                continue;
            }
            assertThat(artifact.scope()).as(artifact.coordinates()).isEqualTo("provided");
            if (artifact.artifactId().equals("im-spi")) {
                assertThat(artifact.version()).isEqualTo("${project.version}");
                continue;
            }
            assertThat(versionsOnClassPath(artifact)).as(artifact.coordinates() + " on the host's class path")
                    .containsExactly(artifact.version());
        }
    }

    @Test
    void togetherTheyHoldEveryPlatformPackage() throws Exception {
        List<String> entries = new ArrayList<>();
        for (Managed artifact : managed()) {
            if (artifact.artifactId().equals(TESTKIT)) {
                continue;
            }
            if (artifact.artifactId().equals("im-spi")) {
                entries.add("dk/sdu/cloud/im/spi/SpiVersion.class");
                continue;
            }
            URL manifest = onlyManifest(artifact);
            // A JarFile of its own: the class loader's cached one must stay open.
            String file = manifest.toString().substring("jar:".length(), manifest.toString().indexOf("!/"));
            try (JarFile jar = new JarFile(Path.of(URI.create(file)).toFile())) {
                Collections.list(jar.entries()).forEach(e -> entries.add(e.getName()));
            }
        }
        for (String platformPackage : PlatformPackages.PACKAGES) {
            String prefix = platformPackage.replace('.', '/') + "/";
            assertThat(entries).as("a class of " + platformPackage + " in one of the BOM's artifacts")
                    .anyMatch(entry -> entry.startsWith(prefix) && entry.endsWith(".class"));
        }
    }

    /**
     * The versions of the artifact's jars on the test's class path, which Maven takes from its repository
     * layout ({@code <group dirs>/<artifact>/<version>/<artifact>-<version>.jar}): the versions the host is
     * built and packaged with. (Not every jar carries its pom.properties: Guice's does not.)
     */
    private static List<String> versionsOnClassPath(Managed artifact) throws Exception {
        Pattern layout = layoutOf(artifact);
        List<String> versions = new ArrayList<>();
        for (URL url : Collections.list(PluginBomTest.class.getClassLoader().getResources(JarFile.MANIFEST_NAME))) {
            Matcher m = layout.matcher(url.toString());
            if (m.find()) {
                versions.add(m.group(1));
            }
        }
        return versions;
    }

    private static URL onlyManifest(Managed artifact) throws Exception {
        Pattern layout = layoutOf(artifact);
        List<URL> urls = Collections.list(PluginBomTest.class.getClassLoader().getResources(JarFile.MANIFEST_NAME))
                .stream().filter(url -> layout.matcher(url.toString()).find()).toList();
        assertThat(urls).as(artifact.coordinates()).hasSize(1);
        return urls.get(0);
    }

    private static Pattern layoutOf(Managed artifact) {
        String a = Pattern.quote(artifact.artifactId());
        return Pattern.compile("/" + Pattern.quote(artifact.groupId().replace('.', '/')) + "/" + a + "/([^/]+)/" + a
                + "-\\1\\.jar!/");
    }

    private static Document bom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(BOM.toFile());
    }

    private static List<Managed> managed() throws Exception {
        NodeList dependencies = bom().getElementsByTagName("dependency");
        List<Managed> result = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            result.add(new Managed(text(dependency, "groupId"), text(dependency, "artifactId"),
                    text(dependency, "version"), text(dependency, "scope")));
        }
        return result;
    }

    /** The text of a direct child element; null when there is none. */
    private static String text(Element parent, String name) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().strip();
            }
        }
        return null;
    }
}
