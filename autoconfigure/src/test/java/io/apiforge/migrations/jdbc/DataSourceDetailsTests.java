package io.apiforge.migrations.jdbc;

import java.util.Properties;

import javax.sql.DataSource;

import com.p6spy.engine.spy.P6DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

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
	void aPoolBehindWrappersIsReadThroughThem() throws Exception {
		try (HikariDataSource hikari = new HikariDataSource()) {
			hikari.setJdbcUrl("jdbc:postgresql://db/app");
			hikari.setUsername("app");
			hikari.setPassword("secret");
			hikari.addDataSourceProperty("sslmode", "verify-full");
			DataSource wrapped = new TransactionAwareDataSourceProxy(new DelegatingDataSource(new P6DataSource(hikari)));
			DataSourceDetails details = DataSourceDetails.of(wrapped);
			assertThat(details.url()).isEqualTo("jdbc:postgresql://db/app");
			assertThat(details.username()).isEqualTo("app");
			assertThat(details.password()).isEqualTo("secret");
			assertThat(details.driverProperties()).containsEntry("sslmode", "verify-full");
		}
	}

	@Test
	void aDedicatedDataSourceHasThePoolsDriverPropertiesWithTheGivenOnesOverThem() {
		try (HikariDataSource hikari = new HikariDataSource()) {
			hikari.setJdbcUrl("jdbc:postgresql://db/app");
			hikari.setUsername("app");
			hikari.addDataSourceProperty("sslmode", "verify-full");
			hikari.addDataSourceProperty("tcpKeepAlive", "false");
			hikari.addDataSourceProperty("ApplicationName", "orders-service");
			Properties given = new Properties();
			given.setProperty("tcpKeepAlive", "true");
			given.setProperty("ApplicationName", "migrations-lock");
			DataSource dedicated = DataSourceDetails.dedicated(new DelegatingDataSource(hikari), given);
			assertThat(dedicated).isInstanceOfSatisfying(DriverManagerDataSource.class, (driverManager) -> {
				assertThat(driverManager.getUrl()).isEqualTo("jdbc:postgresql://db/app");
				assertThat(driverManager.getConnectionProperties()).containsEntry("sslmode", "verify-full")
					.containsEntry("tcpKeepAlive", "true")
					.containsEntry("ApplicationName", "migrations-lock");
			});
		}
	}

	@Test
	void aDriverBasedDataSourceBehindAWrapperKeepsItsConnectionProperties() throws Exception {
		DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:postgresql://db/app");
		Properties properties = new Properties();
		properties.setProperty("ssl", "true");
		dataSource.setConnectionProperties(properties);
		assertThat(DataSourceDetails.of(new TransactionAwareDataSourceProxy(dataSource)).driverProperties())
			.containsEntry("ssl", "true");
	}

	@Test
	void theTextShowsNeitherThePasswordNorTheUrlsUserInfoOrParameters() {
		DataSourceDetails details = new DataSourceDetails("jdbc:postgresql://app:secret1@db/app?password=secret2", "app",
				"secret3", java.util.Map.of("sslpassword", "secret4"));
		assertThat(details.toString()).contains("jdbc:postgresql://db/app").doesNotContain("secret");
	}

}
