package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import io.aviary.api.auth.UserStore;
import io.aviary.api.auth.UserStore.StoredUser;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's {@code /authentication/{id}/users} and {@code import_users}: the users of a password database that an auth
 * plugin keeps for the caller's tenant ({@code password_based:built_in_database} is
 * auth-builtin's). The admin API reaches the plugin only through the api's {@link UserStore}
 * service; an id no running plugin serves, or a tenant that has not enabled it, is 404.
 */
@TenantScoped
@Path("authentication/{id}")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthnUserResource {
    private static final Logger LOG = LoggerFactory.getLogger(AuthnUserResource.class);
    static final int MAX_USER_ID = 256;
    static final int MAX_PASSWORD = 1024;

    private final Services services;

    public AuthnUserResource(Services services) {
        this.services = services;
    }

    @GET
    @Path("users")
    @ApiDoc(summary = "The authenticator's users, by user id, paged; filters like_user_id (substring) and"
            + " is_superuser (true|false)", query = {"page", "limit", "like_user_id", "is_superuser"}, notFound = true)
    public JsonObject list(@PathParam("id") String id, @Context UriInfo uri) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        Page paging = Page.of(query.getFirst("page"), query.getFirst("limit"));
        String like = query.getFirst("like_user_id");
        String superuser = query.getFirst("is_superuser");
        if (superuser != null && !superuser.equals("true") && !superuser.equals("false")) {
            throw ApiException.badRequest("query parameter 'is_superuser' must be true or false");
        }
        List<StoredUser> users = store(id).list(TenantScope.current()).stream()
                .filter(u -> like == null || u.userId().contains(like))
                .filter(u -> superuser == null || u.superuser() == Boolean.parseBoolean(superuser)).toList();
        return paging.answer(users, AuthnUserResource::toJson);
    }

    @POST
    @Path("users")
    @ApiDoc(summary = "Add a user; its password is hashed with the authenticator's algorithm", status = 201,
            body = "{user_id, password, is_superuser?}", notFound = true, also = {409})
    public Response create(@PathParam("id") String id, JsonObject body) {
        JsonFields fields = JsonFields.of(body == null ? new JsonObject() : body);
        String userId = checkUserId(fields.requiredString("user_id"));
        String password = checkPassword(fields.requiredString("password"));
        boolean superuser = fields.bool("is_superuser", false);
        UserStore store = store(id);
        String tenant = TenantScope.current();
        if (!store.create(tenant, userId, password, superuser)) {
            throw new ApiException(409, "ALREADY_EXISTS", "user '" + userId + "' exists");
        }
        LOG.info("admin api: tenant={} authenticator {} user '{}' added", tenant, id, userId);
        return Response.status(201).entity(toJson(new StoredUser(userId, superuser))).build();
    }

    @GET
    @Path("users/{user_id}")
    @ApiDoc(summary = "One user", notFound = true)
    public JsonObject get(@PathParam("id") String id, @PathParam("user_id") String userId) {
        return toJson(store(id).get(TenantScope.current(), userId).orElseThrow(() -> noUser(userId)));
    }

    @PUT
    @Path("users/{user_id}")
    @ApiDoc(summary = "Change a user's password and/or superuser flag", body = "{password?, is_superuser?}",
            notFound = true)
    public JsonObject update(@PathParam("id") String id, @PathParam("user_id") String userId, JsonObject body) {
        JsonFields fields = JsonFields.of(body == null ? new JsonObject() : body);
        String password = fields.has("password") ? checkPassword(fields.requiredString("password")) : null;
        Boolean superuser = fields.has("is_superuser") ? fields.bool("is_superuser", false) : null;
        if (password == null && superuser == null) {
            throw ApiException.badRequest("field 'password' or 'is_superuser' is required");
        }
        String tenant = TenantScope.current();
        StoredUser user = store(id).update(tenant, userId, password, superuser).orElseThrow(() -> noUser(userId));
        LOG.info("admin api: tenant={} authenticator {} user '{}' updated", tenant, id, userId);
        return toJson(user);
    }

    @DELETE
    @Path("users/{user_id}")
    @ApiDoc(summary = "Delete a user", status = 204, notFound = true)
    public Response delete(@PathParam("id") String id, @PathParam("user_id") String userId) {
        String tenant = TenantScope.current();
        if (!store(id).delete(tenant, userId)) {
            throw noUser(userId);
        }
        LOG.info("admin api: tenant={} authenticator {} user '{}' deleted", tenant, id, userId);
        return Response.noContent().build();
    }

    /**
     * EMQX's import_users: the file's content as the body (EMQX takes it as a multipart part):
     * CSV with a header line, or a JSON array; {@code type=plain} rows carry {@code password},
     * {@code type=hash} (default) rows {@code password_hash} and {@code salt} made with the
     * authenticator's algorithm. Every row is checked before any is stored.
     */
    @POST
    @Path("import_users")
    @jakarta.ws.rs.Consumes({"text/csv", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @ApiDoc(summary = "Import users from an EMQX CSV or JSON export (the file as the body, Content-Type text/csv"
            + " or application/json); type=hash (default: password_hash, salt) or plain (password)",
            query = {"type"}, body = "CSV (user_id,password_hash,salt,is_superuser) or JSON [{user_id, ...}]",
            notFound = true, also = {413})
    public JsonObject importUsers(@PathParam("id") String id, @jakarta.ws.rs.QueryParam("type") String type,
                                  @Context jakarta.ws.rs.core.HttpHeaders headers, java.io.InputStream in) {
        boolean plain = "plain".equals(type);
        if (type != null && !plain && !type.equals("hash")) {
            throw ApiException.badRequest("query parameter 'type' must be hash or plain");
        }
        String text;
        try {
            byte[] bytes = in.readNBytes(MAX_IMPORT + 1);
            if (bytes.length > MAX_IMPORT) {
                throw new ApiException(413, "PAYLOAD_TOO_LARGE", "an import is at most " + MAX_IMPORT + " bytes");
            }
            text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the body could not be read: " + e.getMessage());
        }
        MediaType media = headers.getMediaType();
        boolean json = media != null ? media.isCompatible(MediaType.APPLICATION_JSON_TYPE) : text.stripLeading().startsWith("[");
        List<UserStore.ImportedUser> users = json ? UserImport.fromJson(text, plain) : UserImport.fromCsv(text, plain);
        UserStore store = store(id);
        String tenant = TenantScope.current();
        int stored = store.importUsers(tenant, users);
        LOG.info("admin api: tenant={} authenticator {} {} users imported", tenant, id, stored);
        JsonObject answer = new JsonObject();
        answer.addProperty("total", users.size());
        answer.addProperty("success", stored);
        return answer;
    }

    static final int MAX_IMPORT = 16 * 1024 * 1024;

    /** The store of that authenticator id, if the caller's tenant enabled it. */
    private UserStore store(String id) {
        UserStore store = services.userStore(id);
        if (store == null || !store.enabled(TenantScope.current())) {
            throw ApiException.notFound("NOT_FOUND", "authenticator '" + id + "' is not enabled for tenant "
                    + TenantScope.current() + (id.equals("password_based:built_in_database")
                    ? " (enable plugin auth-builtin: POST /api/v5/tenants/{id}/plugins)" : ""));
        }
        return store;
    }

    private static String checkUserId(String userId) {
        if (userId.isEmpty() || userId.length() > MAX_USER_ID) {
            throw ApiException.badRequest("field 'user_id' must be 1 to " + MAX_USER_ID + " characters");
        }
        return userId;
    }

    private static String checkPassword(String password) {
        if (password.isEmpty() || password.length() > MAX_PASSWORD) {
            throw ApiException.badRequest("field 'password' must be 1 to " + MAX_PASSWORD + " characters");
        }
        return password;
    }

    private static ApiException noUser(String userId) {
        return ApiException.notFound("NOT_FOUND", "no user '" + userId + "'");
    }

    static JsonObject toJson(StoredUser user) {
        JsonObject o = new JsonObject();
        o.addProperty("user_id", user.userId());
        o.addProperty("is_superuser", user.superuser());
        return o;
    }
}
