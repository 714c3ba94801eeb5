package io.apiforge.migrations.scripts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;

import org.flywaydb.core.api.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MigrationScripts} finds a script by the name Flyway reports, in classpath and
 * filesystem locations, looking it up on request or in one walk of each location.
 */
class MigrationScriptsTests {

	private static final BiFunction<Location[], ClassLoader, MigrationScripts> ON_REQUEST = MigrationScripts::new;

	private static final BiFunction<Location[], ClassLoader, MigrationScripts> INDEXED = MigrationScripts::indexed;

	@Test
	void bothFindAScriptByItsFileNameOrItsPathUnderTheLocation(@TempDir Path directory) throws IOException {
		Path nested = Files.createDirectories(directory.resolve("orders"));
		Files.writeString(nested.resolve("V2__add_price.sql"), "ALTER TABLE orders ADD COLUMN price INT;");
		Files.writeString(nested.resolve("V2__add_price.sql.conf"), "executeInTransaction=false\n");
		Files.writeString(directory.resolve("V1__create_orders.sql"), "CREATE TABLE orders (id INT);");
		Location[] locations = { new Location("filesystem:" + directory) };
		for (BiFunction<Location[], ClassLoader, MigrationScripts> reader : new BiFunction[] { ON_REQUEST, INDEXED }) {
			MigrationScripts scripts = reader.apply(locations, getClass().getClassLoader());
			assertThat(scripts.read("V1__create_orders.sql")).isEqualTo("CREATE TABLE orders (id INT);");
			assertThat(scripts.read("V2__add_price.sql")).contains("ADD COLUMN price");
			assertThat(scripts.read("orders/V2__add_price.sql")).contains("ADD COLUMN price");
			assertThat(scripts.read("other/V2__add_price.sql")).as("another directory's file of that name").isNull();
			assertThat(scripts.executeInTransaction("orders/V2__add_price.sql")).isFalse();
			assertThat(scripts.executeInTransaction("V1__create_orders.sql")).isNull();
			assertThat(scripts.read("V9__missing.sql")).isNull();
			assertThat(scripts.read("../V1__create_orders.sql")).as("only under the location").isNull();
		}
	}

	@Test
	void theIndexedReaderFindsClasspathScriptsAndSeesTheFilesAsTheyWereAtItsFirstLookup(@TempDir Path directory)
			throws IOException {
		MigrationScripts onRequest = new MigrationScripts(new Location[] { new Location("classpath:db/basic") },
				getClass().getClassLoader());
		MigrationScripts indexed = MigrationScripts.indexed(
				new Location[] { new Location("classpath:db/basic"),
						new Location("filesystem:" + directory) },
				getClass().getClassLoader());
		assertThat(indexed.read("V1__create_items.sql")).isNotNull().isEqualTo(onRequest.read("V1__create_items.sql"));
		assertThat(indexed.read("V7__later.sql")).isNull();
		Files.writeString(directory.resolve("V7__later.sql"), "SELECT 1;");
		assertThat(indexed.read("V7__later.sql")).as("walked once, for one pass").isNull();
		assertThat(MigrationScripts.indexed(new Location[] { new Location("filesystem:" + directory) },
				getClass().getClassLoader()).read("V7__later.sql")).isEqualTo("SELECT 1;");
	}

}
