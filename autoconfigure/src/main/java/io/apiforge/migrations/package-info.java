/**
 * A safe, observable Flyway lifecycle for Spring Boot on PostgreSQL. This package holds
 * only what every concern shares: the base type of the failures a user must read.
 */
@NullMarked
package io.apiforge.migrations;

import org.jspecify.annotations.NullMarked;
