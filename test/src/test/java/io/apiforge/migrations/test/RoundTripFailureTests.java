package io.apiforge.migrations.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A round trip fails when an undo script forgets what its migration made, and says what.
 */
class RoundTripFailureTests {

	@RegisterExtension
	static MigrationsExtension migrations = MigrationsExtension.locations("classpath:db/forgotten-column");

	@Test
	void anUndoThatForgetsAColumnFailsNamingTheVersionTheStepAndTheColumn(Migrations migrations) {
		assertThatExceptionOfType(AssertionFailedError.class).isThrownBy(migrations::assertRoundTrip)
			.withMessageStartingWith("Round trip of version 2 (V2__add_stock.sql) failed at the undo "
					+ "(U2__add_stock.sql): the schema after it is not the schema of version 1:")
			.withMessageContaining("added column public.items.price: \"numeric(10,2)\"")
			.withMessageContaining("Fix U2__add_stock.sql so that it reverses everything V2__add_stock.sql does.")
			.withMessageNotContaining("public.items.stock");
	}

}
