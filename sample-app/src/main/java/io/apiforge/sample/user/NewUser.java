package io.apiforge.sample.user;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The body of a request that creates a user. Names and email are required; phone and
 * address are optional.
 *
 * @param firstName the first name
 * @param lastName the last name
 * @param email the email address, unique among users
 * @param phone the phone number, at most 32 characters
 * @param address the postal address
 * @author apiforge
 */
public record NewUser(@Nullable String firstName, @Nullable String lastName, @Nullable String email,
		@Nullable String phone, @Nullable String address) {

	/** The longest phone number the {@code usertable.phone} column holds. */
	static final int MAX_PHONE_LENGTH = 32;

	/**
	 * Return what is wrong with this request, if anything.
	 * @return the problems, empty when the request is valid
	 */
	List<String> problems() {
		List<String> missing = new ArrayList<>();
		if (!StringUtils.hasText(this.firstName)) {
			missing.add("firstName");
		}
		if (!StringUtils.hasText(this.lastName)) {
			missing.add("lastName");
		}
		if (!StringUtils.hasText(this.email)) {
			missing.add("email");
		}
		List<String> problems = new ArrayList<>();
		if (!missing.isEmpty()) {
			problems.add("missing required field(s): " + String.join(", ", missing));
		}
		if (this.phone != null && this.phone.length() > MAX_PHONE_LENGTH) {
			problems.add("phone must be at most " + MAX_PHONE_LENGTH + " characters");
		}
		return problems;
	}

}
