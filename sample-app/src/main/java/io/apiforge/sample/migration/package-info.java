/**
 * Java migrations of the demo schema, for changes that SQL alone does not express well,
 * such as a data migration done in batches. They are Spring beans, which Spring Boot
 * hands to Flyway: no classpath scanning, so they are found in an executable jar too.
 */
@NullMarked
package io.apiforge.sample.migration;

import org.jspecify.annotations.NullMarked;
