package io.aviary.broker.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code aviary.tenants}: how devices are resolved to tenants (see tenant.TenantResolver). */
@ObjectClassDefinition(name = "Aviary tenant resolution")
public @interface TenantsConfig {

    @AttributeDefinition(description = "<tenant>.<sni_domain> SNI host names name a tenant; empty = none")
    String sni__domain() default "";

    @AttributeDefinition(description = "user@tenant user names name a tenant")
    boolean username__suffix() default true;

    @AttributeDefinition(description = "clients that name no tenant belong to 'default'")
    boolean default__enabled() default true;
}
