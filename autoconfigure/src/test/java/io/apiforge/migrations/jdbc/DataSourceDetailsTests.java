package io.apiforge.migrations.jdbc;

import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The URL, credentials and driver properties read from a pool's configuration, without
 * connecting.
 */
class DataSourceDetailsTests {

	@Test
	void hikarisDataSourcePropertiesAreTheDriverProperties() throws Exception {
		try (HikariDataSource hikari = new HikariDataSource()) {
			hikari.setJdbcUrl("jdbc:postgresql://db/app");
			hikari.setUsername("app");
			hikari.setPassword("secret");
			hikari.addDataSourceProperty("sslmode", "verify-full");
			hikari.addDataSourceProperty("sslrootcert", "/etc/ca.pem");
			DataSourceDetails details = DataSourceDetails.of(hikari);
			assertThat(details.driverProperties()).containsEntry("sslmode", "verify-full")
				.containsEntry("sslrootcert", "/etc/ca.pem");
			assertThat(details.password()).isEqualTo("secret");
		}
	}

	@Test
	void aDriverBasedDataSourcesConnectionPropertiesAreTheDriverProperties() throws Exception {
		DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:postgresql://db/app");
		Properties properties = new Properties();
		properties.setProperty("ssl", "true");
		dataSource.setConnectionProperties(properties);
		assertThat(DataSourceDetails.of(dataSource).driverProperties()).containsEntry("ssl", "true");
	}

	@Test
	void theTextShowsNeitherThePasswordNorTheUrlsUserInfoOrParameters() {
		DataSourceDetails details = new DataSourceDetails("jdbc:postgresql://app:secret1@db/app?password=secret2", "app",
				"secret3", java.util.Map.of("sslpassword", "secret4"));
		assertThat(details.toString()).contains("jdbc:postgresql://db/app").doesNotContain("secret");
	}

}
