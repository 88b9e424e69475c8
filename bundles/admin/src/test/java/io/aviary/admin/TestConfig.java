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
    public boolean listeners_http_enable() {
        return true;
    }

    @Override
    public boolean listeners_https_enable() {
        return false;
    }

    @Override
    public String listeners_https_bind() {
        return "127.0.0.1:0";
    }

    @Override
    public String listeners_https_ssl__options_certfile() {
        return "";
    }

    @Override
    public String listeners_https_ssl__options_keyfile() {
        return "";
    }

    @Override
    public String listeners_https_ssl__options_password() {
        return "";
    }

    @Override
    public String listeners_https_ssl__options_cacertfile() {
        return "";
    }

    @Override
    public String[] listeners_https_ssl__options_versions() {
        return new String[] {"tlsv1.3", "tlsv1.2"};
    }

    @Override
    public String[] listeners_https_ssl__options_ciphers() {
        return new String[0];
    }

    @Override
    public String listeners_https_ssl__options_verify() {
        return "verify_none";
    }

    @Override
    public boolean listeners_https_ssl__options_fail__if__no__peer__cert() {
        return false;
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
