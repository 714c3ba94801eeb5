package io.apiforge.migrations.lint;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.lint.TokenCursor.QualifiedName;

/**
 * The schema as the linted migrations change it, statement by statement: what the
 * catalog held when the lint started, then the tables and columns the migrations
 * create, rename and drop. A table or column is <em>existing</em> when it was in the
 * catalog (or, with {@link ExistingTables#IN_DATABASE_OR_EARLIER_MIGRATIONS}, created by
 * an earlier script); one created by the migrations is new, and new tables are empty.
 *
 * @author apiforge
 */
final class SchemaView {

	private final List<String> searchPath;

	private final Map<TableKey, TrackedTable> tables = new LinkedHashMap<>();

	private final Map<String, Boolean> volatileFunctions;

	SchemaView(DatabaseCatalog catalog) {
		this.searchPath = catalog.searchPath();
		catalog.tables().forEach((key, table) -> {
			TrackedTable tracked = new TrackedTable(true);
			table.columns()
				.forEach((name, column) -> tracked.columns.put(name, new TrackedColumn(column.type(), column.notNull(), true)));
			tracked.provenNotNull.addAll(table.provenNotNull());
			this.tables.put(key, tracked);
		});
		this.volatileFunctions = new HashMap<>(catalog.volatileFunctions());
	}

	/**
	 * Find the table a name refers to: a qualified name as written, an unqualified one in
	 * the first schema of the search path that has it (or where it would be created).
	 * @param name the name
	 * @return the table
	 */
	TableKey resolve(QualifiedName name) {
		String qualifier = name.qualifier();
		if (qualifier != null) {
			return new TableKey(qualifier, name.last());
		}
		for (String schema : this.searchPath) {
			TableKey key = new TableKey(schema, name.last());
			if (this.tables.containsKey(key)) {
				return key;
			}
		}
		return new TableKey(this.searchPath.isEmpty() ? "public" : this.searchPath.get(0), name.last());
	}

	boolean isExisting(TableKey table) {
		TrackedTable tracked = this.tables.get(table);
		return tracked != null && tracked.existing;
	}

	boolean isExistingColumn(TableKey table, String column) {
		TrackedColumn tracked = column(table, column);
		return isExisting(table) && tracked != null && tracked.existing;
	}

	@Nullable String columnType(TableKey table, String column) {
		TrackedColumn tracked = column(table, column);
		return (tracked != null) ? tracked.type : null;
	}

	boolean isNotNull(TableKey table, String column) {
		TrackedColumn tracked = column(table, column);
		return tracked != null && tracked.notNull;
	}

	boolean isProvenNotNull(TableKey table, String column) {
		TrackedTable tracked = this.tables.get(table);
		return tracked != null && tracked.provenNotNull.contains(column);
	}

	private @Nullable TrackedColumn column(TableKey table, String column) {
		TrackedTable tracked = this.tables.get(table);
		return (tracked != null) ? tracked.columns.get(column) : null;
	}

	void tableCreated(TableKey table, Map<String, String> columns) {
		TrackedTable tracked = new TrackedTable(false);
		columns.forEach((name, type) -> tracked.columns.put(name, new TrackedColumn(type, false, false)));
		this.tables.put(table, tracked);
	}

	void tableDropped(TableKey table) {
		this.tables.remove(table);
	}

	void tableRenamed(TableKey table, TableKey renamed) {
		TrackedTable tracked = this.tables.remove(table);
		if (tracked != null) {
			this.tables.put(renamed, tracked);
		}
	}

	void columnAdded(TableKey table, String column, String type, boolean notNull) {
		TrackedTable tracked = this.tables.get(table);
		if (tracked != null) {
			tracked.columns.put(column, new TrackedColumn(type, notNull, false));
		}
	}

	void columnDropped(TableKey table, String column) {
		TrackedTable tracked = this.tables.get(table);
		if (tracked != null) {
			tracked.columns.remove(column);
			tracked.provenNotNull.remove(column);
		}
	}

	void columnRenamed(TableKey table, String column, String renamed) {
		TrackedTable tracked = this.tables.get(table);
		if (tracked != null && tracked.columns.containsKey(column)) {
			tracked.columns.put(renamed, tracked.columns.remove(column));
		}
	}

	void columnChanged(TableKey table, String column, @Nullable String type, @Nullable Boolean notNull) {
		TrackedColumn tracked = column(table, column);
		if (tracked != null) {
			this.tables.get(table).columns.put(column, new TrackedColumn((type != null) ? type : tracked.type,
					(notNull != null) ? notNull : tracked.notNull, tracked.existing));
		}
	}

	/**
	 * Record a {@code CHECK (column IS NOT NULL)} constraint.
	 * @param table the table
	 * @param constraint the constraint's name, or {@code null} when it has none
	 * @param column the column it proves not null
	 * @param valid whether it is valid already (added without {@code NOT VALID})
	 */
	void notNullCheckAdded(TableKey table, @Nullable String constraint, String column, boolean valid) {
		TrackedTable tracked = this.tables.get(table);
		if (tracked == null) {
			return;
		}
		if (valid) {
			tracked.provenNotNull.add(column);
		}
		else if (constraint != null) {
			tracked.notYetValidChecks.put(constraint, column);
		}
	}

	void constraintValidated(TableKey table, String constraint) {
		TrackedTable tracked = this.tables.get(table);
		if (tracked != null && tracked.notYetValidChecks.containsKey(constraint)) {
			tracked.provenNotNull.add(tracked.notYetValidChecks.remove(constraint));
		}
	}

	void functionCreated(String name, boolean isVolatile) {
		this.volatileFunctions.put(name, isVolatile);
	}

	/**
	 * Return whether a function is volatile.
	 * @param name the function's name
	 * @return whether any function of that name is volatile, or {@code null} when none
	 * is known
	 */
	@Nullable Boolean isVolatile(String name) {
		return this.volatileFunctions.get(name);
	}

	/**
	 * End a script: with {@link ExistingTables#IN_DATABASE_OR_EARLIER_MIGRATIONS}, what it
	 * created counts as existing for the scripts after it.
	 * @param existingTables which tables count as existing
	 */
	void scriptEnded(ExistingTables existingTables) {
		if (existingTables != ExistingTables.IN_DATABASE_OR_EARLIER_MIGRATIONS) {
			return;
		}
		for (TrackedTable table : this.tables.values()) {
			table.existing = true;
			table.columns.replaceAll((name, column) -> new TrackedColumn(column.type, column.notNull, true));
		}
	}

	private static final class TrackedTable {

		private boolean existing;

		private final Map<String, TrackedColumn> columns = new LinkedHashMap<>();

		private final Set<String> provenNotNull = new LinkedHashSet<>();

		private final Map<String, String> notYetValidChecks = new HashMap<>();

		TrackedTable(boolean existing) {
			this.existing = existing;
		}

	}

	private record TrackedColumn(String type, boolean notNull, boolean existing) {

	}

}
