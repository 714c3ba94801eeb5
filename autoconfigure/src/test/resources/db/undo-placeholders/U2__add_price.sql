-- Placeholders as Flyway replaces them: its built-ins, and configured ones whatever their case.
ALTER TABLE ${FLYWAY:DEFAULTSCHEMA}.items DROP COLUMN ${COLUMN};
COMMENT ON TABLE ${flyway:defaultSchema}.items IS '${flyway:filename} by ${flyway:user} in ${flyway:database}, ${flyway:table}';
