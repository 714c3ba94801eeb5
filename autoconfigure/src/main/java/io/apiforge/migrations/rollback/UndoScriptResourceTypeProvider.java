package io.apiforge.migrations.rollback;

import org.flywaydb.core.extensibility.ResourceType;

import io.apiforge.migrations.flyway.FlywayInternals;

/**
 * Teaches Flyway's file-name validation that undo scripts ({@code U2__add_phone.sql})
 * are a known kind of file, so that {@code spring.flyway.validate-migration-naming=true}
 * does not reject them. Flyway still never runs them: it only resolves its own
 * versioned and repeatable prefixes. Registered as a Flyway plugin; its prefix follows
 * {@code migrations.rollback.undo-prefix}.
 *
 * @author apiforge
 */
public class UndoScriptResourceTypeProvider extends FlywayInternals.PrefixResourceTypeProvider {

	/** Flyway's and this starter's default prefix of undo scripts. */
	public static final String DEFAULT_PREFIX = "U";

	private volatile String prefix = DEFAULT_PREFIX;

	/**
	 * Set the prefix of undo scripts.
	 * @param prefix the prefix, such as {@code U}
	 */
	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	/**
	 * Return the prefix of undo scripts.
	 * @return the prefix
	 */
	@Override
	public String getPrefix() {
		return this.prefix;
	}

	@Override
	protected ResourceType getResourceType() {
		return UndoResourceType.UNDO;
	}

	@Override
	public UndoScriptResourceTypeProvider copy() {
		UndoScriptResourceTypeProvider copy = new UndoScriptResourceTypeProvider();
		copy.setPrefix(this.prefix);
		return copy;
	}

	/**
	 * The kind of an undo script: versioned, like the migration it undoes.
	 */
	enum UndoResourceType implements ResourceType {

		UNDO;

		@Override
		public boolean isVersioned() {
			return true;
		}

	}

}
