package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.auth.Caller;
import io.aviary.admin.auth.Credentials;
import io.aviary.admin.auth.LoginLimiter;
import io.aviary.admin.auth.TokenStore;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonFields;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** POST /login trades the admin user's password for a bearer token; POST /logout revokes it. */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public final class LoginResource {

    private static final Logger LOG = LoggerFactory.getLogger(LoginResource.class);

    private final LoginLimiter limiter;
    private final Credentials credentials;
    private final TokenStore tokens;
    private final String version;

    public LoginResource(Credentials credentials, TokenStore tokens, LoginLimiter limiter, String version) {
        this.limiter = limiter;
        this.credentials = credentials;
        this.tokens = tokens;
        this.version = version;
    }

    @POST
    @Path("login")
    @ApiDoc(summary = "Log in as the admin user: {username, password} -> {token}", open = true, also = {401, 429},
            body = "{username, password}")
    public JsonObject login(@Context HttpServletRequest http, JsonObject body) {
        String address = http == null ? "unknown" : http.getRemoteAddr();
        limiter.check(address);
        JsonFields fields = JsonFields.of(body);
        String username = fields.requiredString("username");
        String password = fields.requiredString("password");
        if (!credentials.adminMatches(username, password)) {
            limiter.failed(address);
            LOG.warn("admin api: failed login for user {} from {}", username, address);
            throw ApiException.unauthorized("BAD_USERNAME_OR_PWD", "Auth failed");
        }
        JsonObject license = new JsonObject();
        license.addProperty("edition", "opensource");
        JsonObject result = new JsonObject();
        result.addProperty("token", tokens.issue(username));
        result.addProperty("version", version);
        result.addProperty("role", "administrator");
        result.add("license", license);
        LOG.info("admin api: user {} logged in", username);
        return result;
    }

    @POST
    @Path("logout")
    @ApiDoc(summary = "Revoke the Bearer token used", status = 204)
    public Response logout(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @Context ContainerRequestContext request) {
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        if (caller == null || caller.kind() != Caller.Kind.TOKEN) {
            throw ApiException.badRequest("logout needs the Bearer token from POST /login");
        }
        tokens.revoke(authorization.substring(authorization.indexOf(' ') + 1).trim());
        return Response.noContent().build();
    }
}
