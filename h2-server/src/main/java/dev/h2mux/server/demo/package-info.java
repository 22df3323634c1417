/**
 * The demo server behind {@code java -jar h2-server.jar}: its command line and its routes (a
 * welcome page, static files, {@code /bytes/N}, {@code /echo}).
 *
 * <p>Only {@link dev.h2mux.server.demo.Main} is public; it is a program, not an API, and the only
 * code of the module that prints to the console.
 */
package dev.h2mux.server.demo;
