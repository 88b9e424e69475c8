package io.aviary.admin.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Turns an {@link ApiException} into its status and JSON body; 401s also name the schemes. */
public final class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException e) {
        Response.ResponseBuilder builder = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(e.code(), e.getMessage()));
        if (e.status() == 401) {
            builder.header("WWW-Authenticate", "Basic realm=\"aviary\"");
        }
        return builder.build();
    }
}
