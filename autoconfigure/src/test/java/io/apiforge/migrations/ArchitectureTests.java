package io.apiforge.migrations;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.flyway.FlywayInternals;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the layout honest: the concerns never depend on the wiring, and packages do not
 * form cycles.
 */
class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.apiforge.migrations");

	@Test
	void concernsDoNotDependOnTheWiring() {
		noClasses().that()
			.resideOutsideOfPackage("..autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.apiforge.migrations.autoconfigure..")
			.check(this.classes);
	}

	@Test
	void lowerPackagesNeverReachUpwards() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("wiring").definedBy("io.apiforge.migrations.autoconfigure..")
			.layer("endpoint").definedBy("io.apiforge.migrations.actuate..")
			.layer("operations").definedBy("io.apiforge.migrations.operations..")
			.layer("capabilities")
			.definedBy("io.apiforge.migrations.lifecycle..", "io.apiforge.migrations.rollback..",
					"io.apiforge.migrations.plan..", "io.apiforge.migrations.drift..",
					"io.apiforge.migrations.replicas..")
			// The tenants' source and statuses: a capability that health and meters read too.
			.layer("tenants").definedBy("io.apiforge.migrations.tenants..")
			.layer("readers").definedBy("io.apiforge.migrations.health..", "io.apiforge.migrations.metrics..")
			.layer("events").definedBy("io.apiforge.migrations.events..")
			.layer("foundations")
			.definedBy("io.apiforge.migrations.lint..", "io.apiforge.migrations.status..",
					"io.apiforge.migrations.backup..", "io.apiforge.migrations.lock..", "io.apiforge.migrations.jdbc..",
					"io.apiforge.migrations.scripts..", "io.apiforge.migrations.flyway..", "io.apiforge.migrations.backfill..",
					"io.apiforge.migrations.fingerprint..")
			.whereLayer("wiring").mayNotBeAccessedByAnyLayer()
			.whereLayer("endpoint").mayOnlyBeAccessedByLayers("wiring")
			.whereLayer("operations").mayOnlyBeAccessedByLayers("wiring", "endpoint")
			.whereLayer("capabilities").mayOnlyBeAccessedByLayers("wiring", "endpoint", "operations")
			.whereLayer("tenants").mayOnlyBeAccessedByLayers("wiring", "endpoint", "operations", "readers")
			.whereLayer("readers").mayOnlyBeAccessedByLayers("wiring")
			.whereLayer("events").mayOnlyBeAccessedByLayers("wiring", "operations", "capabilities", "readers")
			.check(this.classes);
	}

	@Test
	void theEndpointTalksToTheOperationsTheStatusAndTheBackupCatalogOnly() {
		classes().that()
			.resideInAPackage("io.apiforge.migrations.actuate.endpoint..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("io.apiforge.migrations.actuate.endpoint..", "io.apiforge.migrations.operations..",
					"io.apiforge.migrations.status..", "io.apiforge.migrations.backup",
					// the data types it renders
					"io.apiforge.migrations.plan..", "io.apiforge.migrations.lint..", "io.apiforge.migrations.drift..",
					"io.apiforge.migrations.fingerprint..", "io.apiforge.migrations",
					"java..", "org.springframework..", "org.jspecify..")
			.check(this.classes);
	}

	@Test
	void theWiringHoldsNoBehaviour() {
		noClasses().that()
			.haveSimpleNameEndingWith("AutoConfiguration")
			.should()
			.callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
					resideInAnyPackage("io.apiforge.migrations.operations..", "io.apiforge.migrations.lifecycle..",
							"org.apache.commons.logging.."))))
			.because("auto-configurations only create beans: running an operation or logging is behaviour, "
					+ "and belongs in a class of the capability")
			.check(this.classes);
	}

	@Test
	void onlyFlywayInternalsReachesIntoFlywaysInternalClasses() {
		noClasses().that(not(belongToAnyOf(FlywayInternals.class)))
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.flywaydb.core.internal..")
			.because("a Flyway release may move its internal classes: FlywayInternals is the one class to fix, "
					+ "and FlywayInternalsTests checks it against the Flyway on the classpath")
			.check(this.classes);
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("io.apiforge.migrations.(*)..").should().beFreeOfCycles().check(this.classes);
	}

}
