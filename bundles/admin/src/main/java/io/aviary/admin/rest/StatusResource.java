package io.aviary.admin.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** GET /status: the unauthenticated liveness probe, plain text like EMQX's. */
@Path("status")
public final class StatusResource {

    private final String nodeName;

    public StatusResource(String nodeName) {
        this.nodeName = nodeName;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @ApiDoc(summary = "Liveness for load balancers (no credentials)", open = true)
    public String status() {
        return "Node " + nodeName + " is started\naviary is running";
    }
}
