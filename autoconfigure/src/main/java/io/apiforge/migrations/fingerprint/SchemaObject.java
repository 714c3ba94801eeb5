package io.apiforge.migrations.fingerprint;

import java.util.Comparator;

import org.springframework.util.Assert;

/**
 * One object of a {@link SchemaFingerprint}: what kind it is, which one it is, and how it
 * is defined.
 *
 * @param kind what kind of object it is
 * @param identity which one it is, qualified and quoted the way PostgreSQL quotes
 * identifiers (such as {@code "Sales"."Customer"."Full Name"} for a column,
 * {@code customer_audit ON "Sales"."Customer"} for a trigger or constraint,
 * {@code public.audit_customer()} for a function, {@code TABLE public.audit} for
 * privileges and owners); unique within its kind
 * @param definition how it is defined, as PostgreSQL's own functions render it where
 * there is one; empty for a schema
 * @author apiforge
 */
public record SchemaObject(ObjectKind kind, String identity, String definition) implements Comparable<SchemaObject> {

	private static final Comparator<SchemaObject> ORDER = Comparator.comparing(SchemaObject::kind)
		.thenComparing(SchemaObject::identity);

	/**
	 * Create an object.
	 * @param kind what kind of object it is
	 * @param identity which one it is
	 * @param definition how it is defined
	 */
	public SchemaObject {
		Assert.notNull(kind, "'kind' must not be null");
		Assert.hasText(identity, "'identity' must not be empty");
		Assert.notNull(definition, "'definition' must not be null");
	}

	/**
	 * Return how much a difference in this object matters.
	 * @return the severity of its kind
	 */
	public Severity severity() {
		return this.kind.severity();
	}

	/**
	 * Return whether another object is the same object (same kind and identity), however
	 * it is defined.
	 * @param other the other object
	 * @return whether both name the same object
	 */
	public boolean isSameObjectAs(SchemaObject other) {
		return this.kind == other.kind && this.identity.equals(other.identity);
	}

	/**
	 * Order by kind, then identity (by code point, whatever the locale), then definition.
	 */
	@Override
	public int compareTo(SchemaObject other) {
		int order = ORDER.compare(this, other);
		return (order != 0) ? order : this.definition.compareTo(other.definition);
	}

	@Override
	public String toString() {
		return this.kind.label() + " " + this.identity;
	}

}
