package dk.sdu.cloud.im.harness.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import dk.sdu.cloud.im.harness.cli.ImCommand;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dependency rules of docs/design.md, section 2, on the real classes: the SPI, the host's main classes and
 * the built plugin jars. Plugins -> SPI <- host, and nothing else between them. Every rule fails on empty
 * input (ArchUnit's default), so a wrong package name cannot make a rule pass.
 */
class ArchitectureTest {
    private static final String BASE = "dk.sdu.cloud.im";
    private static final String SPI = BASE + ".spi";
    private static final String HOST = BASE + ".harness";
    /** The embedded Kubernetes API and KubeVirt simulator: a library of the host, not a plugin. */
    private static final String SIMULATOR = BASE + ".simulator";

    private static JavaClasses all;
    private static Map<Path, String> pluginPackages;

    @BeforeAll
    static void importClasses() throws IOException {
        ClassFileImporter importer = new ClassFileImporter();
        List<Location> locations = new ArrayList<>(List.of(
                locationOf(VmDiskStorage.class), locationOf(ImCommand.class)));
        pluginPackages = new LinkedHashMap<>();
        for (Path jar : BuiltPlugins.jars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                pluginPackages.put(jar, rootPackageOf(importer.importJar(file)));
                locations.add(Location.of(file));
            }
        }
        all = importer.importLocations(locations);
    }

    /** Where a class was loaded from: a class folder, or a jar (the SPI is a jar in a full reactor build). */
    private static Location locationOf(Class<?> type) throws IOException {
        Path path;
        try {
            path = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isRegularFile(path)) {
            try (JarFile jar = new JarFile(path.toFile())) {
                return Location.of(jar);
            }
        }
        return Location.of(path);
    }

    /** The longest package that holds every class of a plugin jar, e.g. dk.sdu.cloud.im.storage.csi. */
    private static String rootPackageOf(JavaClasses classes) {
        Set<String> packages = new TreeSet<>();
        classes.forEach(c -> packages.add(c.getPackageName()));
        assertThat(packages).as("packages of a plugin jar").isNotEmpty();
        String root = packages.iterator().next();
        for (String pkg : packages) {
            while (!(pkg.equals(root) || pkg.startsWith(root + "."))) {
                root = root.contains(".") ? root.substring(0, root.lastIndexOf('.')) : "";
            }
        }
        assertThat(root).as("a plugin's root package").startsWith(BASE + ".").isNotEqualTo(SPI).isNotEqualTo(HOST);
        return root;
    }

    @Test
    void everySourceOfClassesWasImported() {
        assertThat(all.that(resideInAPackage(SPI + ".."))).isNotEmpty();
        assertThat(all.that(resideInAPackage(HOST + ".."))).isNotEmpty();
        pluginPackages.values().forEach(pkg -> assertThat(all.that(resideInAPackage(pkg + ".."))).as(pkg).isNotEmpty());
        assertThat(pluginPackages).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void theHostDependsOnNoPlugin() {
        noClasses().that().resideInAPackage(HOST + "..")
                .should().dependOnClassesThat(resideInAPackage(BASE + "..")
                        .and(DescribedPredicate.not(resideInAnyPackage(HOST + "..", SPI + "..", SIMULATOR + ".."))))
                .check(all);
        noClasses().that().resideInAPackage(HOST + "..")
                .should().dependOnClassesThat().resideInAnyPackage(BASE + ".kubevirt..", BASE + ".storage..")
                .check(all);
    }

    @Test
    void onlyEmbeddedModeUsesTheSimulator() {
        noClasses().that().resideInAPackage(HOST + "..").and().resideOutsideOfPackage(HOST + ".kubernetes..")
                .should().dependOnClassesThat().resideInAPackage(SIMULATOR + "..")
                .check(all);
        classes().that().resideInAPackage(HOST + ".kubernetes..").and().haveSimpleName("EmbeddedCluster")
                .should().dependOnClassesThat().resideInAPackage(SIMULATOR + "..")
                .check(all);
    }

    @Test
    void eachPluginDependsOnlyOnTheSpiAndItself() {
        pluginPackages.forEach((jar, pkg) -> noClasses().that().resideInAPackage(pkg + "..")
                .should().dependOnClassesThat(resideInAPackage(BASE + "..")
                        .and(DescribedPredicate.not(resideInAnyPackage(pkg + "..", SPI + ".."))))
                .because(jar.getFileName() + " may see only the SPI")
                .check(all));
    }

    @Test
    void theTopLevelPackagesHaveNoCycles() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(all);
        slices().matching(HOST + ".(*)..").should().beFreeOfCycles().check(all);
        slices().matching(SPI + ".(*)..").should().beFreeOfCycles().check(all);
    }

    @Test
    void theSpiDependsOnlyOnItsAllowList() {
        classes().that().resideInAPackage(SPI + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", SPI + "..", "org.pf4j..", "com.fasterxml.jackson.annotation..", "jakarta.inject..",
                        "io.fabric8..")
                .check(all);
        noClasses().that().resideInAnyPackage(SPI + ".job..", SPI + ".compute..", SPI + ".host..", SPI + ".config..")
                .should().dependOnClassesThat().resideInAPackage("io.fabric8..")
                .check(all);
        noClasses().that().resideInAPackage(SPI + "..")
                .and().resideOutsideOfPackages(SPI + ".storage..", SPI + ".kubernetes..")
                .should().dependOnClassesThat().resideInAPackage("io.fabric8..")
                .check(all);
    }

    @Test
    void aRuleOnNoClassesFails(@TempDir Path empty) throws Exception {
        JavaClasses none = new ClassFileImporter().importPath(Files.createDirectories(empty.resolve("classes")));
        ArchRule rule = noClasses().that().resideInAPackage(HOST + "..")
                .should().dependOnClassesThat().resideInAPackage(BASE + ".storage..");
        assertThatThrownBy(() -> rule.check(none)).isInstanceOf(AssertionError.class);
    }
}
