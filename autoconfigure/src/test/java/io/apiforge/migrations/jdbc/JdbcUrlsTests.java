package io.apiforge.migrations.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is left of a JDBC URL when it is shown: no user info, no parameters.
 */
class JdbcUrlsTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			jdbc:postgresql://db:5432/app?user=app&password=secret           | jdbc:postgresql://db:5432/app
			jdbc:p6spy:postgresql://db/app?password=secret                   | jdbc:p6spy:postgresql://db/app
			jdbc:otel:postgresql://db/app?sslmode=verify-full&sslpassword=secret | jdbc:otel:postgresql://db/app
			jdbc:postgresql://app:secret@db:5432/app                         | jdbc:postgresql://db:5432/app
			jdbc:postgresql://app:se@cr?et@db/app                            | jdbc:postgresql://db/app
			jdbc:postgresql://app:se/cret@db/app                             | jdbc:postgresql://db/app
			jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary | jdbc:postgresql://db1:5432,db2:5432/app
			jdbc:sqlserver://db:1433;databaseName=app;password=secret        | jdbc:sqlserver://db:1433
			jdbc:oracle:thin:scott/secret@db:1521:orcl                       | jdbc:oracle:thin:@db:1521:orcl
			jdbc:oracle:thin:scott/secret@//db:1521/app                      | jdbc:oracle:thin:@//db:1521/app
			jdbc:postgresql:app                                              | jdbc:postgresql:app
			""")
	void aShownUrlHoldsNeitherUserInfoNorParameters(String url, String shown) {
		assertThat(JdbcUrls.redact(url)).isEqualTo(shown).doesNotContain("secret");
	}

}
