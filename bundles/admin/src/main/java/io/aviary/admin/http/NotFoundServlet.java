package io.aviary.admin.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Everything outside /api/v5 (there is no dashboard yet): a JSON 404 rather than a directory listing. */
final class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(404);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JsonErrors.body(404, "no such resource: " + request.getRequestURI()
                .substring(0, Math.min(200, request.getRequestURI().length()))));
    }
}
