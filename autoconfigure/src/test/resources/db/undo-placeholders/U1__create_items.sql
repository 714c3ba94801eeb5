DROP TABLE ${flyway:defaultSchema}.items;
