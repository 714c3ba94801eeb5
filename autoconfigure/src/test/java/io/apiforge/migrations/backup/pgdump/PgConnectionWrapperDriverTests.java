package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Path;
import java.sql.Connection;

import javax.sql.DataSource;

import com.p6spy.engine.spy.P6SpyDriver;
import com.p6spy.engine.wrapper.ConnectionWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrapper driver's URL ({@code jdbc:p6spy:postgresql:}) backs up: the connection
 * details come from the driver underneath, not from parsing the configured URL.
 */
@WithPostgres
class PgConnectionWrapperDriverTests {

	@TempDir
	Path temp;

	@Test
	void aP6spyUrlBacksUp(TestDatabase database) {
		// Something to lose (version 1 and its rows), so that migrating to 2 is backed up first.
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		String url = database.jdbcUrl().replace("jdbc:postgresql:", "jdbc:p6spy:postgresql:");
		BackupRecord[] backup = new BackupRecord[1];
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withPropertyValues("spring.datasource.url=" + url,
					"spring.datasource.driver-class-name=" + P6SpyDriver.class.getName(),
					"migrations.backup.directory=" + this.temp)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (Connection connection = context.getBean(DataSource.class).getConnection()) {
					assertThat(connection.isWrapperFor(ConnectionWrapper.class)).as("the application connects through p6spy")
						.isTrue();
				}
				backup[0] = context.getBean(MigrationStatusHolder.class).current().lastBackup();
			});
		assertThat(backup[0]).isNotNull();
		assertThat(backup[0].verified()).isTrue();
		assertThat(backup[0].location()).startsWith(this.temp.toString());
	}

	@Test
	void theConnectionIsTheOneTheDriverUnderneathOpened(TestDatabase database) {
		String url = database.jdbcUrl().replace("jdbc:postgresql:", "jdbc:p6spy:postgresql:");
		PgConnection connection = PgConnection.of(new org.springframework.jdbc.datasource.DriverManagerDataSource(url,
				database.username(), database.password()));
		assertThat(connection.host()).isEqualTo(database.server().host());
		assertThat(connection.port()).isEqualTo(database.server().port());
		assertThat(connection.database()).isEqualTo(database.name());
		assertThat(connection.user()).isEqualTo(database.username());
		assertThat(connection.password()).isEqualTo(database.password());
	}

}
