package io.apiforge.sample.user;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /users}: lists the newest users and creates new ones. Errors are answered as
 * RFC 9457 problem details that say what was wrong.
 *
 * @author apiforge
 */
@RestController
@RequestMapping("/users")
public class UserController {

	static final int DEFAULT_LIMIT = 20;

	static final int MAX_LIMIT = 100;

	private final UserRepository users;

	public UserController(UserRepository users) {
		Assert.notNull(users, "'users' must not be null");
		this.users = users;
	}

	@GetMapping
	List<User> list(@RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT + ", but was " + limit);
		}
		return this.users.findNewest(limit);
	}

	@PostMapping
	ResponseEntity<User> create(@RequestBody NewUser user) {
		List<String> problems = user.problems();
		if (!problems.isEmpty()) {
			throw new InvalidRequestException("Cannot create the user: " + String.join("; ", problems)
					+ ". Send firstName, lastName and email (phone and address are optional).");
		}
		User created = this.users.create(user);
		return ResponseEntity.status(HttpStatus.CREATED).body(created);
	}

	@ExceptionHandler
	ProblemDetail invalidRequest(InvalidRequestException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail duplicateEmail(DuplicateEmailException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

}
