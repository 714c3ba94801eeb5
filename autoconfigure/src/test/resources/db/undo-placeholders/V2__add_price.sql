ALTER TABLE ${flyway:defaultSchema}.items ADD COLUMN ${Column} numeric(10, 2);
