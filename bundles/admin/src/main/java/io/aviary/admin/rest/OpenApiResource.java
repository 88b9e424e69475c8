package io.aviary.admin.rest;

import com.google.gson.GsonBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The OpenAPI 3 document, generated at start from the served resource classes
 * ({@link OpenApiGenerator}); at GET /api-docs/openapi.json and at GET /openapi.json.
 */
@Path("")
public final class OpenApiResource {

    private final String document;

    /** Not public: ApiApplication binds this instance, and Jersey warns about public constructors it cannot call. */
    OpenApiResource(String version, Class<?>... resources) {
        this.document = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(OpenApiGenerator.document(version, resources));
    }

    @GET
    @Path("api-docs/openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(summary = "This OpenAPI 3 document")
    public String document() {
        return document;
    }

    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(summary = "This OpenAPI 3 document (same as /api-docs/openapi.json)")
    public String openapi() {
        return document;
    }
}
