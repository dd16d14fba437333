/**
 * Our take on Prometheus&apos; exporter-toolkit: the web config file ({@code WebConfigLoader}, {@code WebConfig}) and
 * what it sets up: the listening connector ({@code Connectors}, {@code ListenAddress}), TLS with client certificates
 * and files read again when they change ({@code TlsSettings}, {@code TlsMaterial}, {@code RotatingSslContextFactory}),
 * basic auth and response headers ({@code BasicAuth}, {@code WebAccess}), and the configuration in force across
 * reloads ({@code LiveWebConfig}). May import only {@code config}; {@code web} uses it through {@code LiveWebConfig}.
 */
package dev.crcexporter.web.toolkit;
