package io.aviary.admin.rest;

import io.aviary.admin.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * GET /api-docs/openapi.json: the hand-maintained OpenAPI document shipped in the bundle
 * (openapi.json beside this class). A test checks that it lists every resource method.
 */
@Path("api-docs/openapi.json")
public final class OpenApiResource {

    static final String RESOURCE = "openapi.json";
    private final String document;

    public OpenApiResource() {
        this.document = load();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String document() {
        return document;
    }

    static String load() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ApiException(500, "INTERNAL_ERROR", "the OpenAPI document is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
