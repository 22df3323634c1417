package dev.h2mux.core.http;

import dev.h2mux.core.HttpFields;

/**
 * A validated request head. {@code contentLength} is -1 when absent. {@code authority} is empty
 * when the request carried neither :authority nor Host.
 */
public record RequestHead(
    String method,
    String scheme,
    String authority,
    String path,
    HttpFields headers,
    long contentLength) {}
