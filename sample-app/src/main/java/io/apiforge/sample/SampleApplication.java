package io.apiforge.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The demo application of the migrations starter: a small user service whose schema is
 * built by Flyway migrations (tables, then an additive change, then a batched data
 * migration) run through the starter's lifecycle. With no {@code spring.datasource.url}
 * it starts its own embedded PostgreSQL, so that it runs with no set-up.
 *
 * @author apiforge
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
