package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.PgClientWrappers;
import io.apiforge.migrations.testsupport.TlsPostgresServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The backup connects as securely as the application, against a PostgreSQL that accepts
 * the role over TLS only, with a server certificate from a throw-away CA.
 */
class PgConnectionTlsIntegrationTests {

	@TempDir
	static Path certificates;

	private static TlsPostgresServer server;

	@TempDir
	Path temp;

	@BeforeAll
	static void startServer() {
		server = TlsPostgresServer.start(certificates);
		new JdbcTemplate(dataSource("sslmode=require"))
			.execute("CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, name text)");
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void theServerRefusesTheRoleWithoutTls() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> dataSource("sslmode=disable").getConnection().close())
			.withMessageContaining("no pg_hba.conf entry");
	}

	@Test
	void aVerifyFullBackupRunsOverTlsCheckedByTheServer() throws Exception {
		DataSource dataSource = dataSource("sslmode=verify-full&sslrootcert=" + server.caCertificate());
		// pg_dump waits for its lock on items while the test looks at its session.
		try (Connection holder = dataSource.getConnection(); Statement lock = holder.createStatement()) {
			holder.setAutoCommit(false);
			lock.execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
			CompletableFuture<BackupRecord> backup = CompletableFuture
				.supplyAsync(() -> PgDumpBackupStrategyTests.strategy(PgDumpBackupStrategyTests.settings(this.temp))
					.backup(request(dataSource)));
			Eventually.await("pg_dump's session", () -> pgDumpSession() != null);
			Map<String, Object> session = pgDumpSession();
			holder.rollback();
			BackupRecord record = backup.get(60, TimeUnit.SECONDS);
			assertThat(record.verified()).isTrue();
			assertThat(session).containsEntry("ssl", true).containsEntry("usename", TlsPostgresServer.USER);
			assertThat((String) session.get("version")).startsWith("TLSv1.");
		}
	}

	@Test
	void aServerCertificateTheConfiguredCaDidNotSignFailsTheBackupWithANamedError() throws Exception {
		Path rootCert = this.temp.resolve("root.crt");
		Files.copy(server.caCertificate(), rootCert);
		// The application connected while the file held the right CA; pg_dump reads it afresh.
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource(
				dataSource("sslmode=verify-full&sslrootcert=" + rootCert).getConnection(), true);
		try {
			Files.copy(server.otherCaCertificate(), rootCert, StandardCopyOption.REPLACE_EXISTING);
			assertThatExceptionOfType(BackupException.class)
				.isThrownBy(() -> PgDumpBackupStrategyTests.strategy(PgDumpBackupStrategyTests.settings(this.temp))
					.backup(request(dataSource)))
				.withMessageContaining("certificate verify failed")
				.satisfies((ex) -> assertThat(ex.getAction()).contains("sslrootcert").contains(rootCert.toString()));
			assertThat(PgDumpBackupStrategyTests.filesIn(this.temp)).containsExactly("root.crt");
		}
		finally {
			dataSource.destroy();
		}
	}

	@Test
	void sslTrueIsVerifyFullForPgDumpAsItIsForTheDriver() throws Exception {
		Path seen = this.temp.resolve("environ");
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"), """
				tr '\\0' '\\n' < /proc/$$/environ > '%s'
				exec "$REAL_PG_DUMP" "$@"
				""".formatted(seen));
		DataSource dataSource = dataSource("ssl=true&sslrootcert=" + server.caCertificate());
		BackupRecord backup = PgDumpBackupStrategyTests
			.strategy(PgDumpBackupStrategyTests.settings(this.temp.resolve("backups"), pgDump))
			.backup(request(dataSource));
		assertThat(backup.verified()).isTrue();
		assertThat(Files.readAllLines(seen)).contains("PGSSLMODE=verify-full",
				"PGSSLROOTCERT=" + server.caCertificate());
	}

	@Test
	void theDriversDefaultRootCertificateIsPgDumpsToo() throws Exception {
		Path home = this.temp.resolve("home");
		Files.createDirectories(home.resolve(".postgresql"));
		Files.copy(server.caCertificate(), home.resolve(".postgresql/root.crt"));
		String userHome = System.getProperty("user.home");
		System.setProperty("user.home", home.toString());
		try {
			DataSource dataSource = dataSource("sslmode=verify-full");
			PgConnection connection = PgConnection.of(dataSource);
			assertThat(connection.tls().rootCert()).isEqualTo(home.resolve(".postgresql/root.crt").toString());
			BackupRecord backup = PgDumpBackupStrategyTests
				.strategy(PgDumpBackupStrategyTests.settings(this.temp.resolve("backups")))
				.backup(request(dataSource));
			assertThat(backup.verified()).isTrue();
		}
		finally {
			System.setProperty("user.home", userHome);
		}
	}

	@Test
	void preferThatChoseTlsForTheApplicationRequiresItForTheBackup() {
		PgConnection connection = PgConnection.of(dataSource("sslmode=prefer"));
		assertThat(connection.tls().sslMode()).isEqualTo("require");
	}

	@Test
	void aNonValidatingFactoryIsLibpqsRequire() throws Exception {
		PgConnection connection = PgConnection
			.of(dataSource("sslmode=verify-full&sslfactory=" + PgTls.NON_VALIDATING_FACTORY));
		assertThat(connection.tls().sslMode()).isEqualTo("require");
		assertThat(connection.tls().rootCert()).isNull();
		BackupRecord backup = PgDumpBackupStrategyTests
			.strategy(PgDumpBackupStrategyTests.settings(this.temp.resolve("backups")))
			.backup(request(dataSource("sslmode=verify-full&sslfactory=" + PgTls.NON_VALIDATING_FACTORY)));
		assertThat(backup.verified()).isTrue();
	}

	@Test
	void aFactoryWhoseTrustLivesInJavaIsRefusedWithTheFix() {
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> PgConnection.of(dataSource("sslmode=verify-full&sslfactory="
					+ "org.postgresql.ssl.SingleCertValidatingFactory&sslfactoryarg=file:" + server.caCertificate())))
			.withMessageContaining("sslfactory=org.postgresql.ssl.SingleCertValidatingFactory")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("sslrootcert"));
	}

	private static Map<String, Object> pgDumpSession() {
		try (Connection connection = server.connectAsSuperuser();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("""
						SELECT s.ssl, s.version, a.usename FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
						WHERE a.application_name = 'migrations-backup' AND a.wait_event_type = 'Lock'""")) {
			return result.next() ? Map.of("ssl", result.getBoolean("ssl"), "version", result.getString("version"),
					"usename", result.getString("usename")) : null;
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static BackupRequest request(DataSource dataSource) {
		return new BackupRequest(dataSource, List.of(), "1", "2", 1);
	}

	private static DataSource dataSource(String parameters) {
		return new SimpleDriverDataSource(new Driver(), server.jdbcUrl(parameters), TlsPostgresServer.USER,
				server.password());
	}

}
