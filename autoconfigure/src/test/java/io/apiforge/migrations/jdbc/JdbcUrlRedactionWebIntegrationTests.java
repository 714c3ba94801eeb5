package io.apiforge.migrations.jdbc;

import java.nio.file.Path;

import com.jayway.jsonpath.JsonPath;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.apiforge.migrations.events.BackupFailedEvent;
import io.apiforge.migrations.events.MigrationLifecycleEvent;
import io.apiforge.migrations.testsupport.PgClientWrappers;
import io.apiforge.migrations.testsupport.RecordingEventListener;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WebApplication.Response;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A password in the data source's URL stays out of everything a failed backup produces:
 * the log, the events, the endpoint's answer and its last run.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class JdbcUrlRedactionWebIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void aPasswordInTheUrlNeverReachesALogAnEventOrTheEndpoint(TestDatabase database, CapturedOutput output)
			throws Exception {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target("1").load().migrate();
		// A pg_dump that fails and shows all it was given on its error output (its standard
		// output is the dump): its arguments and its environment.
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"), """
				echo "arguments: $*" >&2
				env >&2
				exit 1
				""");
		String url = database.jdbcUrl() + "?user=" + database.username() + "&password=" + database.password()
				+ "&ApplicationName=redaction-test";
		RecordingEventListener events = new RecordingEventListener();
		try (WebApplication app = WebApplication.startWith("spring.datasource.url=" + url,
				"spring.datasource.hikari.maximum-pool-size=3", "spring.flyway.locations=classpath:db/basic",
				"migrations.mode=validate", "management.endpoint.migrations.access=unrestricted",
				"management.endpoints.web.exposure.include=health,migrations",
				"migrations.backup.directory=" + this.temp.resolve("backups"),
				"migrations.backup.pg-dump.path=" + pgDump)) {
			app.context().addApplicationListener(events);
			Response migrate = app.post("/actuator/migrations", "{\"operation\":\"migrate\"}", "admin",
					WebApplication.ADMIN_PASSWORD);
			assertThat(migrate.status()).isEqualTo(500);
			assertThat(migrate.body()).contains("pg_dump failed with exit code 1").contains("PGHOST=");
			Response summary = app.get("/actuator/migrations");
			String lastRunError = JsonPath.read(summary.body(), "$.lastRun.error");
			assertThat(lastRunError).contains("pg_dump failed");
			assertThat(events.events(BackupFailedEvent.class)).hasSize(1);
			for (MigrationLifecycleEvent event : events.events()) {
				assertThat(event.toString()).doesNotContain(database.password());
				Throwable cause = (event instanceof BackupFailedEvent failed) ? failed.getCause() : null;
				for (; cause != null; cause = cause.getCause()) {
					assertThat(cause.getMessage()).doesNotContain(database.password()).doesNotContain("password=");
				}
			}
			for (String shown : new String[] { migrate.body(), summary.body(), output.getAll() }) {
				assertThat(shown).doesNotContain(database.password()).doesNotContain("password=");
			}
		}
	}

}
