package io.apiforge.migrations.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.jdbc.datasource.AbstractDriverBasedDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.ClassUtils;

/**
 * The URL and credentials behind a {@link DataSource}, read from the pool's
 * configuration for the pools Spring Boot knows (Hikari, Tomcat, DBCP2, Oracle UCP) and
 * Spring's driver-based data sources, otherwise from a connection's metadata (without the password,
 * which JDBC does not expose).
 * <p>
 * {@link #toString()} never shows the password, and shows the URL only
 * {@linkplain JdbcUrls#redact(String) redacted}.
 *
 * @param url the JDBC URL, as configured (a wrapper driver's URL such as
 * {@code jdbc:p6spy:postgresql:} included); never show it unredacted
 * @param username the user, or {@code null} when the URL or the driver decides
 * @param password the password, or {@code null} when unknown or not needed
 * @param driverProperties the properties the pool hands the driver besides the URL
 * (HikariCP's {@code data-source-properties}, a driver-based data source's connection
 * properties); empty when there are none or they cannot be read
 * @author apiforge
 */
public record DataSourceDetails(String url, @Nullable String username, @Nullable String password,
		Map<String, String> driverProperties) {

	private static final Log logger = LogFactory.getLog(DataSourceDetails.class);

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			DataSourceDetails.class.getClassLoader());

	/**
	 * Create details.
	 * @param url the JDBC URL
	 * @param username the user, or {@code null}
	 * @param password the password, or {@code null}
	 * @param driverProperties the driver properties besides the URL
	 */
	public DataSourceDetails {
		driverProperties = Map.copyOf(driverProperties);
	}

	/**
	 * Read the details of a data source.
	 * @param dataSource the data source
	 * @return its details
	 * @throws SQLException when the details can only be read from a connection and none
	 * can be opened
	 */
	public static DataSourceDetails of(DataSource dataSource) throws SQLException {
		AbstractDriverBasedDataSource derived = derive(dataSource);
		if (derived != null && derived.getUrl() != null) {
			return new DataSourceDetails(derived.getUrl(), derived.getUsername(), derived.getPassword(),
					driverProperties(dataSource, derived));
		}
		try (Connection connection = dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			return new DataSourceDetails(metaData.getURL(), metaData.getUserName(), null, Map.of());
		}
	}

	private static Map<String, String> driverProperties(DataSource dataSource, AbstractDriverBasedDataSource derived) {
		// A driver-based data source (possibly behind a wrapper) has its own properties;
		// one derived from a pool has none, and the pool's are read from the pool.
		Properties properties = (derived.getConnectionProperties() != null) ? derived.getConnectionProperties()
				: (HIKARI_PRESENT ? Hikari.driverProperties(dataSource) : null);
		Map<String, String> driverProperties = new LinkedHashMap<>();
		if (properties != null) {
			properties.stringPropertyNames()
				.forEach((name) -> driverProperties.put(name, properties.getProperty(name)));
		}
		return driverProperties;
	}

	/**
	 * Return a data source that opens connections of its own, outside the pool, with
	 * the same URL and credentials; the data source itself when they cannot be read.
	 * @param dataSource the (pooled) data source
	 * @return an unpooled data source, or the given one
	 */
	public static DataSource unpooled(DataSource dataSource) {
		AbstractDriverBasedDataSource derived = derive(dataSource);
		return (derived != null && derived.getUrl() != null) ? derived : dataSource;
	}

	/**
	 * Return a data source that opens connections of its own, outside the pool, with
	 * the same URL, credentials and driver properties as the pool's, with the given driver
	 * properties over the pool's (the URL's own parameters win over both), or
	 * {@code null} when the URL and credentials cannot be read (a pool configured with a
	 * {@code dataSourceClassName}, a proxy that hides its target). A wrapper data source
	 * is read through to the pool behind it. Never changes the given data source.
	 * @param dataSource the (pooled) data source
	 * @param properties driver properties for the new connections
	 * @return a new unpooled data source, or {@code null}
	 */
	public static @Nullable DataSource dedicated(DataSource dataSource, Properties properties) {
		AbstractDriverBasedDataSource derived = derive(dataSource);
		if (derived == null || derived.getUrl() == null) {
			return null;
		}
		DriverManagerDataSource dedicated = new DriverManagerDataSource(derived.getUrl(), derived.getUsername(),
				derived.getPassword());
		// The pool's driver properties (Hikari's data-source-properties: sslmode and the
		// like) apply to the dedicated connection as they do to the pool's.
		Properties merged = new Properties();
		merged.putAll(driverProperties(dataSource, derived));
		// The caller's own win: the lock's session is named migrations-lock whatever the
		// pool calls its own, as its log lines and the docs tell operators to look for.
		merged.putAll(properties);
		dedicated.setConnectionProperties(merged);
		return dedicated;
	}

	/**
	 * Read the URL and credentials from the data source, or from the pool behind it when
	 * it is a wrapper (a {@code DelegatingDataSource}, a p6spy or datasource-proxy
	 * proxy), whose own class Spring Boot cannot read them from.
	 */
	private static @Nullable AbstractDriverBasedDataSource derive(DataSource dataSource) {
		List<DataSource> layers = new ArrayList<>(WrappedDataSources.layers(dataSource));
		// Innermost first: the pool or driver data source itself has all of its settings,
		// where what Spring Boot derives from a wrapper (as 4.1 does) may lack its driver
		// properties.
		Collections.reverse(layers);
		for (DataSource layer : layers) {
			AbstractDriverBasedDataSource derived = deriveFrom(layer);
			if (derived != null && derived.getUrl() != null) {
				return derived;
			}
		}
		return null;
	}

	private static @Nullable AbstractDriverBasedDataSource deriveFrom(DataSource dataSource) {
		if (dataSource instanceof AbstractDriverBasedDataSource driverBased) {
			return driverBased;
		}
		try {
			return DataSourceBuilder.derivedFrom(dataSource).type(SimpleDriverDataSource.class).build();
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot read the URL and credentials of " + dataSource.getClass().getName(), ex);
			return null;
		}
	}

	private static final class Hikari {

		static @Nullable Properties driverProperties(DataSource dataSource) {
			HikariDataSource hikari = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class,
					HikariDataSource.class);
			return (hikari != null) ? hikari.getDataSourceProperties() : null;
		}

	}

	@Override
	public String toString() {
		return "DataSourceDetails[url=" + JdbcUrls.redact(this.url) + ", username=" + this.username + ", password="
				+ ((this.password != null) ? "******" : "null") + "]";
	}

}
