package io.apiforge.migrations.lint;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A SQL migration to lint: its name and its SQL.
 *
 * @param name the script's name, as Flyway reports it (such as
 * {@code V5__index_orders.sql})
 * @param sql its SQL, placeholders replaced
 * @param executeInTransaction the {@code executeInTransaction} of its
 * {@code .sql.conf} file, or {@code null} when it has none
 * @author apiforge
 */
public record MigrationScript(String name, String sql, @Nullable Boolean executeInTransaction) {

	/**
	 * Create a script.
	 * @param name the script's name
	 * @param sql its SQL
	 * @param executeInTransaction the {@code executeInTransaction} of its
	 * {@code .sql.conf} file, or {@code null}
	 */
	public MigrationScript {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(sql, "'sql' must not be null");
	}

	/**
	 * Create a script without a {@code .sql.conf} file.
	 * @param name the script's name
	 * @param sql its SQL
	 * @return the script
	 */
	public static MigrationScript of(String name, String sql) {
		return new MigrationScript(name, sql, null);
	}

}
