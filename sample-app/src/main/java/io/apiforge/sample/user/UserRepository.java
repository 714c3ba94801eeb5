package io.apiforge.sample.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.util.Assert;

/**
 * Reads and creates users in {@code usertable} with plain SQL.
 *
 * @author apiforge
 */
@Repository
public class UserRepository {

	private static final String COLUMNS = "id, full_name, email, phone, address";

	private final JdbcTemplate jdbc;

	public UserRepository(JdbcTemplate jdbc) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		this.jdbc = jdbc;
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
		User created;
		try {
			created = this.jdbc.queryForObject("""
					INSERT INTO usertable (first_name, last_name, full_name, email, phone, address)
					VALUES (?, ?, trim(coalesce(?, '') || ' ' || coalesce(?, '')), ?, ?, ?)
					RETURNING %s""".formatted(COLUMNS), UserRepository::user, user.firstName(), user.lastName(),
					user.firstName(), user.lastName(), user.email(), user.phone(), user.address());
		}
		catch (DuplicateKeyException ex) {
			throw new DuplicateEmailException(String.valueOf(user.email()), ex);
		}
		Assert.state(created != null, "INSERT ... RETURNING returned no row");
		return created;
	}

	private static User user(ResultSet row, int rowNumber) throws SQLException {
		return new User(row.getObject("id", UUID.class), row.getString("full_name"),
				row.getString("email"), row.getString("phone"), row.getString("address"));
	}

}
