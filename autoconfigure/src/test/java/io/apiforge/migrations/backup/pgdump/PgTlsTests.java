package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.apiforge.migrations.backup.BackupException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * pgJDBC's TLS settings as libpq takes them, and the private files that carry the
 * secrets.
 */
class PgTlsTests {

	private static final String HOME = "/home/app";

	@Test
	void sslTrueWithoutAModeIsVerifyFullWithTheDriversDefaultFiles() {
		PgTls tls = PgTls.of(properties("ssl", "true"), false, HOME);
		assertThat(tls.environment(Path.of("/private"))).containsExactlyInAnyOrderEntriesOf(Map.of("PGSSLMODE",
				"verify-full", "PGSSLROOTCERT", "/home/app/.postgresql/root.crt", "PGSSLCERT",
				"/home/app/.postgresql/postgresql.crt", "PGSSLKEY", "/home/app/.postgresql/postgresql.pk8"));
	}

	@Test
	void explicitFilesAreKept() {
		PgTls tls = PgTls.of(properties("sslmode", "verify-ca", "sslrootcert", "/etc/ca.pem", "sslcert", "/etc/c.pem",
				"sslkey", "/etc/c.key"), false, HOME);
		assertThat(tls.environment(Path.of("/private"))).containsEntry("PGSSLMODE", "verify-ca")
			.containsEntry("PGSSLROOTCERT", "/etc/ca.pem")
			.containsEntry("PGSSLCERT", "/etc/c.pem")
			.containsEntry("PGSSLKEY", "/etc/c.key");
	}

	@Test
	void noClientCertificateIsAFileThatDoesNotExist() {
		PgTls tls = PgTls.of(properties("sslmode", "require", "sslcert", ""), false, HOME);
		assertThat(tls.environment(Path.of("/private"))).containsEntry("PGSSLCERT", "/private/no-client-certificate")
			.doesNotContainKey("PGSSLROOTCERT");
	}

	@Test
	void theDriversDefaultPreferStaysPreferOnlyWhenTheApplicationIsNotEncrypted() {
		assertThat(PgTls.of(new Properties(), false, HOME).sslMode()).isEqualTo("prefer");
		assertThat(PgTls.of(new Properties(), true, HOME).sslMode()).isEqualTo("require");
		assertThat(PgTls.of(properties("sslmode", "allow"), true, HOME).sslMode()).isEqualTo("require");
	}

	@Test
	void disableCarriesNoFiles() {
		assertThat(PgTls.of(properties("sslmode", "disable"), false, HOME).environment(Path.of("/private")))
			.containsExactlyEntriesOf(Map.of("PGSSLMODE", "disable"));
	}

	@Test
	void aPkcs12KeyIsRefusedWithTheFix() {
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> PgTls.of(properties("sslmode", "require", "sslkey", "/etc/client.p12"), false, HOME))
			.withMessageContaining("PKCS#12")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("openssl pkcs12"));
	}

	@Test
	void aPasswordCallbackIsRefusedWithTheFix() {
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> PgTls.of(properties("sslmode", "require", "sslpasswordcallback", "com.example.Callback"),
					false, HOME))
			.withMessageContaining("sslpasswordcallback=com.example.Callback")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("sslpassword"));
	}

	@Test
	void anUnknownModeIsRefused() {
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> PgTls.of(properties("sslmode", "verify"), false, HOME))
			.withMessageContaining("sslmode");
	}

	@Test
	void theKeyPasswordTravelsInAPrivateServiceFileNeverInTheEnvironment() throws Exception {
		PgTls tls = PgTls.of(properties("sslmode", "verify-full", "sslpassword", "key-secret"), false, HOME);
		PgConnection connection = new PgConnection("db", 5432, "app", "app", "db-secret", tls);
		Path directory;
		try (PgClientFiles files = connection.writeClientFiles()) {
			directory = files.directory();
			Map<String, String> environment = connection.environment(files);
			assertThat(environment.values()).noneMatch((value) -> value.contains("secret"));
			Path serviceFile = Path.of(environment.get("PGSERVICEFILE"));
			assertThat(environment).containsEntry("PGSERVICE", "migrations-backup");
			assertThat(Files.readString(serviceFile)).isEqualTo("[migrations-backup]\nsslpassword=key-secret\n");
			assertThat(Files.readString(Path.of(environment.get("PGPASSFILE")))).isEqualTo("db:5432:app:app:db-secret\n");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(serviceFile))).isEqualTo("rw-------");
			assertThat(serviceFile.getParent()).isEqualTo(directory);
		}
		assertThat(directory).doesNotExist();
	}

	@Test
	void aKeyPasswordTheServiceFileCannotHoldIsRefused() {
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> PgTls.of(properties("sslmode", "require", "sslpassword", "two\nlines"), false, HOME))
			.withMessageContaining("sslpassword");
	}

	@Test
	void theDescriptionNeverShowsTheKeyPassword() {
		PgTls tls = PgTls.of(properties("sslmode", "require", "sslpassword", "key-secret"), false, HOME);
		assertThat(tls.describe()).doesNotContain("key-secret");
		assertThat(tls.toString()).doesNotContain("key-secret");
	}

	private static Properties properties(String... namesAndValues) {
		Properties properties = new Properties();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			properties.setProperty(namesAndValues[i], namesAndValues[i + 1]);
		}
		return properties;
	}

}
