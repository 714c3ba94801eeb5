package io.apiforge.migrations.jdbc;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The one way a JDBC URL is shown: in an exception, a log line, an event, the endpoint or
 * a backup's metadata. A URL may carry a password, in its user info
 * ({@code //user:secret@host}) or in a parameter ({@code ?password=secret},
 * {@code ;password=secret}), so what is shown keeps only the scheme, the hosts, the
 * ports and the database.
 *
 * @author apiforge
 */
public final class JdbcUrls {

	/** The credentials of a URL without an authority: Oracle's {@code thin:user/secret@host}. */
	private static final Pattern OPAQUE_USER_INFO = Pattern.compile(":[^:/@]+/[^@]*@");

	private JdbcUrls() {
	}

	/**
	 * Return a URL without its user info and without its parameters, safe to show.
	 * @param url the URL, or {@code null}
	 * @return the URL as it may be shown, {@code <unknown>} for {@code null}
	 */
	public static String redact(@Nullable String url) {
		if (url == null) {
			return "<unknown>";
		}
		String redacted = withoutUserInfo(url);
		int parameters = indexOfAny(redacted, '?', ';', '#');
		if (parameters >= 0) {
			redacted = redacted.substring(0, parameters);
		}
		int authority = redacted.indexOf("//");
		int at = redacted.lastIndexOf('@');
		if (authority >= 0 && at > authority) {
			// User info that holds a '/' (an unencoded password) hides from the first pass.
			redacted = redacted.substring(0, authority + 2) + redacted.substring(at + 1);
		}
		return OPAQUE_USER_INFO.matcher(redacted).replaceFirst(":@");
	}

	private static String withoutUserInfo(String url) {
		int authority = url.indexOf("//");
		if (authority < 0) {
			return url;
		}
		String rest = url.substring(authority + 2);
		int path = rest.indexOf('/');
		// The last '@' before the path ends the user info: a password may hold '@', '?' or ';'.
		int at = ((path >= 0) ? rest.substring(0, path) : rest).lastIndexOf('@');
		return (at >= 0) ? url.substring(0, authority + 2) + rest.substring(at + 1) : url;
	}

	private static int indexOfAny(String value, char... characters) {
		int first = -1;
		for (char character : characters) {
			int index = value.indexOf(character);
			if (index >= 0 && (first < 0 || index < first)) {
				first = index;
			}
		}
		return first;
	}

}
