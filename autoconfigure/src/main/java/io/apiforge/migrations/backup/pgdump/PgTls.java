package io.apiforge.migrations.backup.pgdump;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGProperty;
import org.postgresql.jdbc.SslMode;
import org.postgresql.util.PSQLException;

import io.apiforge.migrations.backup.BackupException;

/**
 * The TLS settings of the application's connection, as libpq (and so {@code pg_dump},
 * {@code pg_restore}, {@code psql}) takes them: the backup connects at least as
 * securely as the application does.
 * <ul>
 * <li>{@code sslmode} as the driver reads it ({@link SslMode#of(Properties)}): pgJDBC's
 * {@code ssl=true} without an {@code sslmode} is {@code verify-full}, not libpq's
 * {@code prefer}. When the application's own connection is encrypted, anything weaker
 * than {@code require} becomes {@code require}.</li>
 * <li>{@code sslrootcert}, {@code sslcert}, {@code sslkey} to {@code PGSSLROOTCERT},
 * {@code PGSSLCERT}, {@code PGSSLKEY}, with pgJDBC's defaults
 * ({@code ~/.postgresql/root.crt}, {@code postgresql.crt}, {@code postgresql.pk8} under the
 * JVM's {@code user.home}) when unset; {@code sslcert=""} (no client certificate) to a
 * file that does not exist.</li>
 * <li>{@code sslpassword}, which libpq reads only as a connection parameter: through a
 * private service file ({@link PgClientFiles}), never on a command line nor in the
 * environment.</li>
 * <li>{@code sslfactory}: pgJDBC's {@code LibPQFactory} (the default) as above;
 * {@code NonValidatingFactory}, which checks no certificate, as libpq's
 * {@code require}; any other factory (its trust lives in Java, where libpq cannot read
 * it) is refused with a {@link BackupException} that names the fix.</li>
 * </ul>
 *
 * @param sslMode libpq's {@code sslmode}
 * @param rootCert the CA certificates that verify the server, or {@code null} when the
 * mode verifies nothing
 * @param cert the client certificate, {@code ""} for none, or {@code null} when TLS is
 * off
 * @param key the client key, or {@code null} when TLS is off
 * @param keyPassword the client key's password, or {@code null}
 * @param negotiation libpq's {@code sslnegotiation} ({@code direct}), or {@code null}
 * @author apiforge
 */
public record PgTls(String sslMode, @Nullable String rootCert, @Nullable String cert, @Nullable String key,
		@Nullable String keyPassword, @Nullable String negotiation) {

	static final String LIBPQ_FACTORY = "org.postgresql.ssl.LibPQFactory";

	static final String NON_VALIDATING_FACTORY = "org.postgresql.ssl.NonValidatingFactory";

	private static final String DEPRECATED_LIBPQ_FACTORY = "org.postgresql.ssl.jdbc4.LibPQFactory";

	/**
	 * Map the driver properties of a pgJDBC connection (its URL's parameters over the
	 * properties handed to the driver) to libpq's settings.
	 * @param properties the driver properties
	 * @param applicationEncrypted whether the application's own connection is encrypted
	 * (the server's {@code pg_stat_ssl} says so)
	 * @param userHome where pgJDBC looks for its default certificate files (the JVM's
	 * {@code user.home})
	 * @return the settings
	 * @throws BackupException when a setting cannot be carried over to libpq
	 */
	public static PgTls of(Properties properties, boolean applicationEncrypted, String userHome) {
		SslMode mode = sslMode(properties);
		String factory = PGProperty.SSL_FACTORY.get(properties);
		boolean validating = factory == null || factory.equals(LIBPQ_FACTORY) || factory.equals(DEPRECATED_LIBPQ_FACTORY);
		if (!validating && !factory.equals(NON_VALIDATING_FACTORY)) {
			throw new BackupException("The data source uses sslfactory=" + factory
					+ ", whose trust settings live in Java, where pg_dump (libpq) cannot read them, so the backup cannot "
					+ "connect as securely as the application",
					"Use pgJDBC's default factory (remove sslfactory, or set it to " + LIBPQ_FACTORY
							+ ") with sslmode=verify-full and sslrootcert=<the PEM file of your CA>, which the application and "
							+ "pg_dump both read; or choose migrations.backup.strategy=none, or define your own BackupStrategy bean.",
					null);
		}
		if (!validating && mode.verifyCertificate()) {
			// NonValidatingFactory trusts any certificate: libpq's require is the same promise.
			mode = SslMode.REQUIRE;
		}
		if (applicationEncrypted && !mode.requireEncryption()) {
			// prefer or allow chose TLS for the application: the backup must not settle for less.
			mode = SslMode.REQUIRE;
		}
		if (mode == SslMode.DISABLE) {
			return new PgTls(mode.value, null, null, null, null, null);
		}
		String defaults = userHome + File.separator + ".postgresql" + File.separator;
		String rootCert = mode.verifyCertificate()
				? valueOr(PGProperty.SSL_ROOT_CERT.get(properties), defaults + "root.crt") : null;
		String cert = valueOr(PGProperty.SSL_CERT.get(properties), defaults + "postgresql.crt");
		String key = valueOr(PGProperty.SSL_KEY.get(properties), defaults + "postgresql.pk8");
		String lowerKey = key.toLowerCase(Locale.ROOT);
		if (!cert.isEmpty() && (lowerKey.endsWith(".p12") || lowerKey.endsWith(".pfx"))) {
			throw new BackupException("The data source's client key sslkey=" + key
					+ " is a PKCS#12 keystore, which pg_dump (libpq) cannot read",
					"Give the application the key as a PEM or PKCS#8 file (openssl pkcs12 -in " + key
							+ " -nocerts -out client.key) and the certificate as sslcert=<PEM file>: pgJDBC and pg_dump read both.",
					null);
		}
		String keyPassword = PGProperty.SSL_PASSWORD.get(properties);
		if (keyPassword == null && PGProperty.SSL_PASSWORD_CALLBACK.get(properties) != null) {
			throw new BackupException("The data source reads its client key's password from sslpasswordcallback="
					+ PGProperty.SSL_PASSWORD_CALLBACK.get(properties) + ", which pg_dump (libpq) cannot call",
					"Give the password as the driver property sslpassword (for example from an environment variable: "
							+ "spring.datasource.hikari.data-source-properties.sslpassword=${PG_SSL_KEY_PASSWORD}), "
							+ "or use a key without a password.",
					null);
		}
		if (keyPassword != null && (!keyPassword.equals(keyPassword.strip()) || keyPassword.indexOf('\n') >= 0
				|| keyPassword.indexOf('\r') >= 0)) {
			throw new BackupException(
					"The client key's password (sslpassword) starts or ends with white space or holds a line break, "
							+ "which libpq's service file, the only way to hand it to pg_dump off its command line, cannot hold",
					"Re-encrypt the key with a password without leading or trailing white space or line breaks "
							+ "(openssl pkey -in client.key -aes256 -out client.key).",
					null);
		}
		String negotiation = PGProperty.SSL_NEGOTIATION.get(properties);
		return new PgTls(mode.value, rootCert, cert, key, keyPassword,
				"direct".equalsIgnoreCase(negotiation) ? "direct" : null);
	}

	/**
	 * Whether these settings refuse an unencrypted connection.
	 * @return whether the mode is {@code require} or stronger
	 */
	public boolean requiresEncryption() {
		return SslMode.valueOf(this.sslMode.toUpperCase(Locale.ROOT).replace('-', '_')).requireEncryption();
	}

	private static SslMode sslMode(Properties properties) {
		try {
			return SslMode.of(properties);
		}
		catch (PSQLException ex) {
			throw new BackupException("The data source's sslmode is not one pgJDBC knows: " + ex.getMessage(),
					"Set sslmode to disable, allow, prefer, require, verify-ca or verify-full.", ex);
		}
	}

	private static String valueOr(@Nullable String value, String fallback) {
		return (value != null) ? value : fallback;
	}

	/**
	 * Return the environment that gives a client program these settings. The key's
	 * password is not in it: {@link PgClientFiles} carries it.
	 * @param privateDirectory a private directory of the client's files, where a client
	 * certificate that must not be sent is pointed at a file that does not exist
	 * @return the variables
	 */
	Map<String, String> environment(Path privateDirectory) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("PGSSLMODE", this.sslMode);
		if (this.rootCert != null) {
			environment.put("PGSSLROOTCERT", this.rootCert);
		}
		if (this.cert != null) {
			// libpq sends no certificate when the file is missing, as pgJDBC does for sslcert="".
			environment.put("PGSSLCERT",
					this.cert.isEmpty() ? privateDirectory.resolve("no-client-certificate").toString() : this.cert);
		}
		if (this.key != null) {
			environment.put("PGSSLKEY", this.key);
		}
		if (this.negotiation != null) {
			environment.put("PGSSLNEGOTIATION", this.negotiation);
		}
		return environment;
	}

	/**
	 * Whether a client program's error output is about TLS: the server's certificate,
	 * the client's certificate or key, or the server refusing or lacking TLS.
	 * @param output the program's output
	 * @return whether {@link #fix()} is the action to name
	 */
	static boolean isTlsFailure(String output) {
		String lower = output.toLowerCase(Locale.ROOT);
		return lower.contains("ssl") || lower.contains("certificate") || lower.contains("private key");
	}

	/**
	 * Say what to check when a client program could not connect with these settings.
	 * @return the action
	 */
	String fix() {
		StringBuilder fix = new StringBuilder("pg_dump connected with ").append(describe())
			.append(", mapped from the data source's TLS settings (docs/backup.md, \"TLS\"). ");
		if (this.rootCert != null) {
			fix.append("Check that sslrootcert (").append(this.rootCert)
				.append(") holds the CA that signed the server's certificate");
			if (this.sslMode.equals("verify-full")) {
				fix.append(", and that the certificate names the host the application connects to");
			}
			fix.append("; ");
		}
		fix.append("libpq reads PEM certificates and keys, and refuses a client key (sslkey")
			.append((this.key != null) ? "=" + this.key : "")
			.append(") that others can read: chmod 600 it.");
		return fix.toString();
	}

	/**
	 * Describe the settings without the key's password, as the log and a backup's
	 * metadata show them.
	 * @return the description, such as {@code sslmode=verify-full, sslrootcert=/etc/ca.pem}
	 */
	public String describe() {
		StringBuilder description = new StringBuilder("sslmode=").append(this.sslMode);
		if (this.rootCert != null) {
			description.append(", sslrootcert=").append(this.rootCert);
		}
		return description.toString();
	}

	@Override
	public String toString() {
		return "PgTls[" + describe() + ", sslcert=" + this.cert + ", sslkey=" + this.key + ", sslpassword="
				+ ((this.keyPassword != null) ? "******" : "null") + "]";
	}

}
