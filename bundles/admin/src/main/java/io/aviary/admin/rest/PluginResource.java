package io.aviary.admin.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.aviary.admin.error.ApiException;
import io.aviary.api.plugin.PluginStatus;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The plugin catalogue: GET /plugins, /plugins/{id} and /plugins/{id}/schema; upload (POST /plugins/install) and uninstall (DELETE /plugins/{id}). */
@Path("plugins")
@Produces(MediaType.APPLICATION_JSON)
public final class PluginResource {

    private static final Logger LOG = LoggerFactory.getLogger(PluginResource.class);

    private final Services services;

    public PluginResource(Services services) {
        this.services = services;
    }

    @GET
    @ApiDoc(summary = "The plugin catalogue")
    public JsonArray list() {
        JsonArray array = new JsonArray();
        services.pluginManager().plugins().forEach(p -> array.add(PluginJson.status(p)));
        return array;
    }

    @GET
    @Path("{id}")
    @ApiDoc(summary = "One plugin", notFound = true)
    public JsonObject get(@PathParam("id") String id) {
        return PluginJson.status(find(id));
    }

    @GET
    @Path("{id}/schema")
    @ApiDoc(summary = "The JSON Schema of the plugin's instance config", notFound = true)
    public JsonElement schema(@PathParam("id") String id) {
        PluginStatus status = find(id);
        if (status.descriptor() == null) {
            throw ApiException.notFound("NOT_FOUND", "plugin '" + id + "' could not be read, so it has no schema: "
                    + status.error());
        }
        String schema = status.descriptor().configSchema();
        try {
            return JsonParser.parseString(schema == null || schema.isBlank() ? "{}" : schema);
        } catch (RuntimeException e) {
            throw new ApiException(500, "INTERNAL_ERROR", "plugin '" + id + "' declares a schema that is not JSON");
        }
    }

    @POST
    @Path("install")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @ApiDoc(summary = "Upload a plugin bundle jar; its sha256 must first be allowed on the host with"
            + " `bin/aviary plugins allow <sha256>` (valid 5 minutes)", also = {403, 413},
            body = "multipart/form-data with one file part (e.g. plugin=@my-plugin.jar)")
    public Response install(@Context HttpServletRequest request) {
        byte[] jar = upload(request);
        try {
            PluginStatus status = services.pluginManager().install(jar);
            LOG.info("admin api: plugin {} uploaded ({} bytes)", status.name(), jar.length);
            return Response.ok(PluginJson.status(status)).build();
        } catch (SecurityException e) {
            LOG.warn("admin api: plugin upload refused: {}", e.getMessage());
            throw new ApiException(403, "FORBIDDEN", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field 'plugin': " + e.getMessage());
        }
    }

    /** The one file part's bytes; the servlet's multipart limit (dashboard.plugin_upload_max_size) bounds them. */
    private static byte[] upload(HttpServletRequest request) {
        // Jetty keeps the servlet's multipart settings in this request attribute: refuse by the declared length at once.
        if (request.getAttribute("org.eclipse.jetty.multipartConfig") instanceof MultipartConfigElement config
                && config.getMaxRequestSize() > 0 && request.getContentLengthLong() > config.getMaxRequestSize()) {
            drain(request, request.getContentLengthLong());
            throw tooLarge();
        }
        try {
            for (Part part : request.getParts()) {
                if (part.getSubmittedFileName() != null || "plugin".equals(part.getName())) {
                    try (InputStream in = part.getInputStream()) {
                        return in.readAllBytes();
                    }
                }
            }
        } catch (IOException | ServletException | RuntimeException e) {
            if (exceedsLimit(e)) {
                throw tooLarge();
            }
            throw ApiException.badRequest("field 'plugin': the body is not multipart/form-data: " + e.getMessage());
        }
        throw ApiException.badRequest("field 'plugin' is required: a file part holding the bundle jar");
    }

    /** The most of a refused body read and discarded so that its sender gets the 413 rather than a reset. */
    private static final long DRAIN_MAX = 16L * 1024 * 1024;

    /**
     * Reads and drops a refused body (up to {@link #DRAIN_MAX}): answering while the client is still
     * sending makes the connection close on unread bytes, and the reset can destroy the answer.
     */
    private static void drain(HttpServletRequest request, long length) {
        if (length > DRAIN_MAX) {
            return;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] sink = new byte[16 * 1024];
            while (in.read(sink) >= 0) {
                // discard
            }
        } catch (IOException gone) {
            // the client went away: nothing to answer
        }
    }

    /** Jetty reports a part over the limit as a (wrapped) "max file/request size exceeded". */
    private static boolean exceedsLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("exceed") || m.contains("too large")) {
                return true;
            }
        }
        return false;
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "the upload exceeds dashboard.plugin_upload_max_size");
    }

    @DELETE
    @Path("{id}")
    @ApiDoc(summary = "Uninstall a plugin: its instances, its bundle and its jar in plugins/", status = 204,
            notFound = true)
    public Response uninstall(@PathParam("id") String id) {
        if (!services.pluginManager().uninstall(id)) {
            throw ApiException.notFound("NOT_FOUND", "plugin '" + id + "' not found");
        }
        LOG.info("admin api: plugin {} uninstalled", id);
        return Response.noContent().build();
    }

    private PluginStatus find(String id) {
        return services.pluginManager().plugin(id)
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", "plugin '" + id + "' not found"));
    }
}
