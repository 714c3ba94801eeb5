package io.apiforge.migrations.drift;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.testsupport.MedianTime;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

/**
 * What drift detection costs: storing the fingerprint after a run (the cost a run gains)
 * and a check (the lock, the catalog read, the reference read and the comparison), on
 * the small schema of the drift tests and on 500 tables. Prints medians; asserts
 * nothing.
 * <p>
 * Not part of the suite (its name does not end with {@code Tests}); run it by hand:
 *
 * <pre>
 * ./mvnw -pl autoconfigure test -Dtest=DriftBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * The figures are in {@code docs/drift.md}.
 */
@WithPostgres
class DriftBenchmark {

	private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 7);

	@TempDir
	Path scripts;

	@Test
	void smallSchema(TestDatabase database) {
		measure("small schema (db/drift)", Flyway.configure()
			.dataSource(database.dataSource())
			.locations("classpath:db/drift")
			.defaultSchema("Sales")
			.load());
	}

	@Test
	void fiveHundredTables(TestDatabase database) throws Exception {
		Files.writeString(this.scripts.resolve("V1__tables.sql"), """
				DO $$ BEGIN
				  FOR i IN 1..500 LOOP
				    EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, name text NOT NULL DEFAULT '''', '
				      || 'amount numeric(10, 2) CHECK (amount >= 0), parent int REFERENCES t%s (id), at date)',
				      i, CASE WHEN i = 1 THEN 1 ELSE i - 1 END);
				    EXECUTE format('CREATE INDEX t%s_name ON t%s (name)', i, i);
				  END LOOP;
				END $$;
				""");
		measure("500 tables", Flyway.configure()
			.dataSource(database.dataSource())
			.locations("filesystem:" + this.scripts)
			.load());
	}

	private void measure(String what, Flyway flyway) {
		flyway.migrate();
		DriftDetector detector = new DriftDetector(flyway.getConfiguration(),
				new PostgresAdvisoryLockProvider(Duration.ofMillis(100)), new MigrationStatusHolder(Clock.systemUTC()),
				Duration.ofSeconds(10), Clock.systemUTC());
		detector.record(FingerprintReason.MIGRATE);
		detector.check();
		long record = MedianTime.millis(ROUNDS, () -> detector.record(FingerprintReason.MIGRATE));
		long check = MedianTime.millis(ROUNDS, detector::check);
		int objects = detector.check().reference().fingerprint().objects().size();
		int json = detector.check().reference().fingerprint().toJson().length();
		System.out.printf("DRIFT BENCHMARK %s: %d objects, %d kB of JSON; store after a run %d ms, check %d ms "
				+ "(medians of %d)%n", what, objects, json / 1024, record, check, ROUNDS);
	}

}
