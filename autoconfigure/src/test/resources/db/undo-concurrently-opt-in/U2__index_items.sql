-- drops the index without blocking writes
DROP INDEX CONCURRENTLY items_name;
