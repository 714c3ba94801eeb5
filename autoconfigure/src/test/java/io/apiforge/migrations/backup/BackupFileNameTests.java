package io.apiforge.migrations.backup;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.apiforge.migrations.backup.pgdump.PgDumpFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backup file names: what they say, and that any database name gives a safe one.
 */
class BackupFileNameTests {

	private static final Instant AT = Instant.parse("2026-11-24T10:15:00Z");

	private static final DatabaseIdentity APP = new DatabaseIdentity("app", "1a2b3c4d" + "0".repeat(56),
			DatabaseIdentity.SYSTEM_IDENTIFIER, "db:5432/app");

	@Test
	void aNameSaysTheDatabaseTheTimeTheKindAndTheVersions() {
		assertThat(BackupFileName.of(APP, AT, BackupKind.PRE_MIGRATION, "2", "3", PgDumpFormat.CUSTOM, 0))
			.isEqualTo("app@1a2b3c4d_20261124T101500Z_pre-migration_v2_to_v3.dump");
		assertThat(BackupFileName.of(APP, AT, BackupKind.PRE_ROLLBACK, "3", null, PgDumpFormat.PLAIN, 1))
			.isEqualTo("app@1a2b3c4d_20261124T101500Z_pre-rollback_v3_to_empty_1.sql");
		assertThat(BackupFileName.of(APP, AT, BackupKind.ON_REQUEST, "3", "3", PgDumpFormat.CUSTOM, 0))
			.isEqualTo("app@1a2b3c4d_20261124T101500Z_on-request_v3.dump");
		String directory = BackupFileName.of(APP, AT, BackupKind.PRE_MIGRATION, "2", "3", PgDumpFormat.DIRECTORY, 0);
		assertThat(directory).isEqualTo("app@1a2b3c4d_20261124T101500Z_pre-migration_v2_to_v3.dir");
		assertThat(BackupFileName.kindOf(directory, APP)).isEqualTo(BackupKind.PRE_MIGRATION);
	}

	@Test
	void theKindIsReadBackOnlyFromTheNamesOfThisDatabase() {
		for (BackupKind kind : BackupKind.values()) {
			String name = BackupFileName.of(APP, AT, kind, "1.1", "2", PgDumpFormat.CUSTOM, 0);
			assertThat(BackupFileName.isBackup(name)).isTrue();
			assertThat(BackupFileName.kindOf(name, APP)).isEqualTo(kind);
		}
		DatabaseIdentity other = new DatabaseIdentity("app", "9f8e7d6c" + "0".repeat(56),
				DatabaseIdentity.SYSTEM_IDENTIFIER, "other:5432/app");
		assertThat(BackupFileName.kindOf("app@1a2b3c4d_20261124T101500Z_pre-migration_v2_to_v3.dump", other))
			.isNull();
		assertThat(BackupFileName.kindOf("20261124T101500Z_v2_to_v3.dump", APP)).isNull();
		assertThat(BackupFileName.isLegacy("20261124T101500Z_v2_to_v3.dump")).isTrue();
		assertThat(BackupFileName.isBackup("20261124T101500Z_v2_to_v3.dump")).isTrue();
		assertThat(BackupFileName.isBackup("app@1a2b3c4d_20261124T101500Z_pre-migration_v2_to_v3.dump.json"))
			.isFalse();
	}

	@Test
	void anOddDatabaseNameBecomesASafeReadableOne() {
		assertThat(BackupFileName.safeDatabaseName("weird db/ä")).isEqualTo("weird_db_a");
		assertThat(BackupFileName.safeDatabaseName("Ünïcödé-Straße.v2")).isEqualTo("Unicode-Stra_e.v2");
		assertThat(BackupFileName.safeDatabaseName(".hidden")).isEqualTo("_hidden");
		assertThat(BackupFileName.safeDatabaseName("..")).isEqualTo("_.");
		assertThat(BackupFileName.safeDatabaseName("日本")).isEqualTo("__");
		assertThat(BackupFileName.safeDatabaseName("a\u0301")).isEqualTo("a");
		assertThat(BackupFileName.safeDatabaseName("x".repeat(63))).hasSize(BackupFileName.MAX_DATABASE_LENGTH);
	}

	@Test
	void everySafeNameMakesANameThatIsReadBack() {
		for (String database : new String[] { "weird db/ä", ".hidden", "日本", "x".repeat(63), "a@b_c", "-" }) {
			DatabaseIdentity identity = new DatabaseIdentity(database, APP.id(), DatabaseIdentity.ADDRESS, "?");
			String name = BackupFileName.of(identity, AT, BackupKind.ON_REQUEST, null, null, PgDumpFormat.CUSTOM, 0);
			assertThat(name).matches("[A-Za-z0-9._@-]+").doesNotStartWith(".");
			assertThat(BackupFileName.kindOf(name, identity)).as(name).isEqualTo(BackupKind.ON_REQUEST);
		}
	}

}
