package io.aviary.admin;

import java.lang.annotation.Annotation;

/** The component's typed configuration, built by hand as DS would from properties. */
final class TestConfig implements AdminServer.Config {

    private final String bind;
    private final String username;
    private final String password;

    TestConfig(String bind, String username, String password) {
        this.bind = bind;
        this.username = username;
        this.password = password;
    }

    static TestConfig onFreePort() {
        return new TestConfig("127.0.0.1:0", "admin", "public");
    }

    @Override
    public String listeners_http_bind() {
        return bind;
    }

    @Override
    public String default__username() {
        return username;
    }

    @Override
    public String default__password() {
        return password;
    }

    @Override
    public long plugin__upload__max__size() {
        return io.aviary.admin.http.JettyHttpServer.DEFAULT_UPLOAD_MAX;
    }

    @Override
    public String bootstrap__file() {
        return "";
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return AdminServer.Config.class;
    }
}
