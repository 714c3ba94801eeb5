package io.apiforge.sample.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.util.Assert;

/**
 * Reads and creates users in {@code usertable} with plain SQL.
 * <p>
 * The name moves from two columns ({@code first_name}, {@code last_name}) to one
 * ({@code full_name}), across two releases (expand, then contract). Release 1 writes both
 * the old columns and the new one, so that it runs beside the release before it, which
 * reads the old ones; release 2 ({@code sample.users.write-name-parts=false}, in the
 * {@code release2} profile) writes the new one only, so that the old columns can be
 * dropped once no instance of release 1 is left. Both read the new one.
 *
 * @author apiforge
 */
@Repository
public class UserRepository {

	private static final String COLUMNS = "id, full_name, email, phone, address";

	private static final String INSERT_WITH_NAME_PARTS = """
			INSERT INTO usertable (first_name, last_name, full_name, email, phone, address)
			VALUES (?, ?, ?, ?, ?, ?)
			RETURNING %s""".formatted(COLUMNS);

	private static final String INSERT = """
			INSERT INTO usertable (full_name, email, phone, address)
			VALUES (?, ?, ?, ?)
			RETURNING %s""".formatted(COLUMNS);

	private final JdbcTemplate jdbc;

	private final boolean writeNameParts;

	/**
	 * Create a repository.
	 * @param jdbc the application's database
	 * @param writeNameParts whether to write the old columns {@code first_name} and
	 * {@code last_name} beside {@code full_name} ({@code sample.users.write-name-parts},
	 * {@code true} unless the {@code release2} profile is active)
	 */
	public UserRepository(JdbcTemplate jdbc, @Value("${sample.users.write-name-parts:true}") boolean writeNameParts) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		this.jdbc = jdbc;
		this.writeNameParts = writeNameParts;
	}

	/**
	 * Return the most recently created users, newest first.
	 * @param limit how many at most
	 * @return the users
	 */
	public List<User> findNewest(int limit) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM usertable ORDER BY created_at DESC, id LIMIT ?",
				UserRepository::user, limit);
	}

	/**
	 * Create a user, with its full name built as migration V3 builds it.
	 * @param user a valid request
	 * @return the created user
	 * @throws DuplicateEmailException when a user with that email exists
	 */
	public User create(NewUser user) {
		String fullName = (nonNull(user.firstName()) + " " + nonNull(user.lastName())).strip();
		User created;
		try {
			created = this.writeNameParts
					? this.jdbc.queryForObject(INSERT_WITH_NAME_PARTS, UserRepository::user, user.firstName(),
							user.lastName(), fullName, user.email(), user.phone(), user.address())
					: this.jdbc.queryForObject(INSERT, UserRepository::user, fullName, user.email(), user.phone(),
							user.address());
		}
		catch (DuplicateKeyException ex) {
			throw new DuplicateEmailException(String.valueOf(user.email()), ex);
		}
		Assert.state(created != null, "INSERT ... RETURNING returned no row");
		return created;
	}

	private static String nonNull(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private static User user(ResultSet row, int rowNumber) throws SQLException {
		return new User(row.getObject("id", UUID.class), row.getString("full_name"),
				row.getString("email"), row.getString("phone"), row.getString("address"));
	}

}
