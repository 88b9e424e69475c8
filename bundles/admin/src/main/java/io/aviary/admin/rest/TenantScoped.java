package io.aviary.admin.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource whose endpoints work in one tenant (auth.TenantScope): the OpenAPI document gives
 * each of them the optional {@code tenant} query parameter.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface TenantScoped {
}
