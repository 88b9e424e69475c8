package io.aviary.admin.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * GET /prometheus/stats: the metrics bundle's Prometheus text exposition (EMQX's path), read
 * through the MetricsExporter service; 503 while the metrics bundle is not running.
 */
@Path("prometheus")
public final class PrometheusResource {

    private final Services services;

    public PrometheusResource(Services services) {
        this.services = services;
    }

    @GET
    @Path("stats")
    @ApiDoc(summary = "Metrics in Prometheus text format 0.0.4 (tenant label on broker metrics)")
    public Response stats() {
        var exporter = services.metrics();
        return Response.ok(exporter.scrape()).type(exporter.contentType()).build();
    }
}
