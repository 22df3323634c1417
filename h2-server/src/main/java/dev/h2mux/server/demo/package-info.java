/**
 * The demo server behind {@code java -jar h2-server.jar}, a test target for HTTP/2 clients: its
 * command line, and its endpoints in one table ({@code Routes}) that the router and the {@code /}
 * index page both read: request inspection, shapes of responses, deliberate HTTP/2 behaviours
 * (resets, GOAWAY, CONTINUATION, slow reads, PING), and static files.
 *
 * <p>Only {@link dev.h2mux.server.demo.Main} is public; it is a program, not an API, and the only
 * code of the module that prints to the console.
 */
package dev.h2mux.server.demo;
