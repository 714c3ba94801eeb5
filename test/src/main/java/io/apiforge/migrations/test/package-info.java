/**
 * A test kit for Flyway migrations on a real PostgreSQL, for JUnit 5:
 * {@link io.apiforge.migrations.test.MigrationsExtension} migrates a template database
 * once per test class and gives each test a clone of it, as a
 * {@link io.apiforge.migrations.test.Migrations} handle that migrates, rolls back, seeds,
 * and asserts round trips of undo scripts, lint and drift.
 * {@link io.apiforge.migrations.test.PostgresServers} chooses the server: embedded,
 * Testcontainers, or one named by an environment variable.
 */
@NullMarked
package io.apiforge.migrations.test;

import org.jspecify.annotations.NullMarked;
