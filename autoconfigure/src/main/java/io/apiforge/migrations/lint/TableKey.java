package io.apiforge.migrations.lint;

/**
 * A table, by schema and name, as the catalog stores them.
 *
 * @param schema the schema
 * @param name the table's name
 * @author apiforge
 */
record TableKey(String schema, String name) {

	@Override
	public String toString() {
		return this.schema + "." + this.name;
	}

}
