package io.aviary.admin.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the OpenAPI generator cannot read from the JAX-RS annotations: a summary, the query
 * parameters a method reads from {@code UriInfo}, the success status, whether 404 applies,
 * and the request body's shape. Kept on the method itself so the document cannot drift.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiDoc {
    String summary();

    /** Query parameters, including those read from UriInfo rather than @QueryParam. */
    String[] query() default {};

    int status() default 200;

    boolean notFound() default false;

    /** The request body's shape in words; empty when the method takes none. */
    String body() default "";

    /** Further answers beside the success status and the common errors (e.g. 202, 409, 413, 429). */
    int[] also() default {};

    /** True for methods that need no credentials. */
    boolean open() default false;
}
