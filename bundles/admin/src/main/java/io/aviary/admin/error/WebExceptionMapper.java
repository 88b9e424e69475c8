package io.aviary.admin.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Jersey's own errors (no such path 404, wrong method 405, unsupported media type 415, ...)
 * in the API's JSON shape. Headers Jersey set on the error (e.g. Allow) are kept.
 */
public final class WebExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        Response.ResponseBuilder builder = Response.fromResponse(original)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.forStatus(status, messageFor(status, e)));
        return builder.build();
    }

    private static String messageFor(int status, WebApplicationException e) {
        switch (status) {
            case 404:
                return "no such resource";
            case 405:
                return "method not allowed on this resource";
            case 406:
                return "this resource cannot answer in the requested media type";
            case 415:
                return "unsupported Content-Type: send application/json";
            default:
                return e.getMessage();
        }
    }
}
