DROP INDEX CONCURRENTLY items_name;
DROP TABLE no_such_table;
