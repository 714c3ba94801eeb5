package io.apiforge.migrations.fingerprint;

import java.util.Arrays;
import java.util.Locale;

/**
 * The kinds of object a {@link SchemaFingerprint} describes, in the order it lists them.
 * Each kind is written in JSON by its {@link #label() label}.
 *
 * @author apiforge
 */
public enum ObjectKind {

	/**
	 * A schema the migrations manage.
	 */
	SCHEMA,

	/**
	 * An enum type: its labels, in order.
	 */
	ENUM,

	/**
	 * A domain: its type, collation, default, {@code NOT NULL} and constraints.
	 */
	DOMAIN,

	/**
	 * A composite type ({@code CREATE TYPE … AS (…)}): its attributes, in order.
	 */
	COMPOSITE_TYPE,

	/**
	 * A range type: its subtype and functions.
	 */
	RANGE_TYPE,

	/**
	 * A sequence: its definition (type, start, increment, bounds, cache, cycle, owner
	 * column), never its current value.
	 */
	SEQUENCE,

	/**
	 * A table, partitioned table or foreign table: what it is, its partitioning,
	 * inheritance, storage options and row-level security.
	 */
	TABLE,

	/**
	 * A column of a table, keyed by name (not by its position): type, collation,
	 * {@code NOT NULL}, default, identity, generation.
	 */
	COLUMN,

	/**
	 * A constraint of a table, as {@code pg_get_constraintdef} gives it ({@code NOT VALID}
	 * while it is not validated).
	 */
	CONSTRAINT,

	/**
	 * An index, as {@code pg_get_indexdef} gives it, marked when it is invalid.
	 */
	INDEX,

	/**
	 * A view, as {@code pg_get_viewdef} gives it.
	 */
	VIEW,

	/**
	 * A materialized view, as {@code pg_get_viewdef} gives it.
	 */
	MATERIALIZED_VIEW,

	/**
	 * A function, as {@code pg_get_functiondef} gives it.
	 */
	FUNCTION,

	/**
	 * A procedure, as {@code pg_get_functiondef} gives it.
	 */
	PROCEDURE,

	/**
	 * An aggregate: its state and final functions and its initial condition.
	 */
	AGGREGATE,

	/**
	 * A trigger, as {@code pg_get_triggerdef} gives it, with whether it is enabled.
	 */
	TRIGGER,

	/**
	 * A rule other than a view's own, as {@code pg_get_ruledef} gives it.
	 */
	RULE,

	/**
	 * A row-level security policy.
	 */
	POLICY,

	/**
	 * An extended statistics object, as {@code pg_get_statisticsobjdef} gives it.
	 */
	STATISTICS,

	/**
	 * The privileges granted on an object, one line a grantee.
	 */
	PRIVILEGES(Severity.PRIVILEGES),

	/**
	 * The owner of an object.
	 */
	OWNER(Severity.PRIVILEGES);

	private final Severity severity;

	private final String label;

	ObjectKind() {
		this(Severity.SCHEMA);
	}

	ObjectKind(Severity severity) {
		this.severity = severity;
		this.label = name().toLowerCase(Locale.ROOT).replace('_', ' ');
	}

	/**
	 * Return how much a difference in an object of this kind matters.
	 * @return the severity
	 */
	public Severity severity() {
		return this.severity;
	}

	/**
	 * Return the kind's name as people and the JSON read it, such as
	 * {@code materialized view}.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	/**
	 * Return the kind with a label.
	 * @param label the label, as {@link #label()} gives it
	 * @return the kind
	 * @throws IllegalArgumentException when no kind has that label
	 */
	public static ObjectKind ofLabel(String label) {
		return Arrays.stream(values())
			.filter((kind) -> kind.label.equals(label))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No object kind is called '" + label
					+ "'; a fingerprint with it was written by a newer version of the starter: read it with that version"));
	}

	@Override
	public String toString() {
		return this.label;
	}

}
