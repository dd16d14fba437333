package dev.crcexporter.config;

/** How parameters travel to the API: the vendor's calls are POST with a form body; GET sends a query string. */
public enum RequestMethod {
    POST,
    GET
}
