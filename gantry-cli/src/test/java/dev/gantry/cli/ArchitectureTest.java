package dev.gantry.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Keeps the module layout of DESIGN.md visible: core depends on nothing of ours, engine and store on core only,
 * record on engine and store, the server and the CLI on what is below them; never upwards.
 */
@AnalyzeClasses(packages = "dev.gantry", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreDependsOnNothingOfOurs = noClasses().that().resideInAPackage("dev.gantry.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gantry.engine..", "dev.gantry.store..",
                    "dev.gantry.record..", "dev.gantry.server..", "dev.gantry.cli..");

    @ArchTest
    static final ArchRule coreIsPureLogic = noClasses().that().resideInAPackage("dev.gantry.core..")
            .should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("java.net..", "java.sql..",
                    "java.util.concurrent..").and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(
                    java.net.URI.class, java.net.URISyntaxException.class, java.net.URLEncoder.class))))
            .because("gantry-core holds no threads, network or database (URIs are values: a batch's url and request"
                    + " paths are checked and encoded there)");

    @ArchTest
    static final ArchRule engineKnowsNothingOfTheCli = noClasses().that().resideInAPackage("dev.gantry.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gantry.cli..", "dev.gantry.server..");

    @ArchTest
    static final ArchRule storeDependsOnCoreOnly = noClasses().that().resideInAPackage("dev.gantry.store..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gantry.engine..", "dev.gantry.server..",
                    "dev.gantry.cli..");

    @ArchTest
    static final ArchRule recordDependsOnEngineAndStoreOnly = noClasses().that().resideInAPackage("dev.gantry.record..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.gantry.server..", "dev.gantry.cli..")
            .because("gantry run and the server both record builds through it");

    @ArchTest
    static final ArchRule engineAndStoreKnowNothingOfTheRecord = noClasses().that()
            .resideInAnyPackage("dev.gantry.engine..", "dev.gantry.store..")
            .should().dependOnClassesThat().resideInAPackage("dev.gantry.record..");

    @ArchTest
    static final ArchRule serverKnowsNothingOfTheCli = noClasses().that().resideInAPackage("dev.gantry.server..")
            .should().dependOnClassesThat().resideInAPackage("dev.gantry.cli..");

    @ArchTest
    static final ArchRule engineKnowsNothingOfTheStore = noClasses().that().resideInAPackage("dev.gantry.engine..")
            .should().dependOnClassesThat().resideInAPackage("dev.gantry.store..");

    @ArchTest
    static final ArchRule enginePackagesHaveNoCycles = slices().matching("dev.gantry.engine.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule serverPackagesHaveNoCycles = slices().matching("dev.gantry.server.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule corePackagesHaveNoCycles = slices().matching("dev.gantry.core.(*)..")
            .should().beFreeOfCycles();
}
