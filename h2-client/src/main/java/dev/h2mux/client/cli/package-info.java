/**
 * The {@code h2-client} command, a small curl for HTTP/2: its curl-style command line, its progress
 * meter, and the exit codes it shares with curl.
 *
 * <p>Only {@link dev.h2mux.client.cli.Main} is public; it is a program, not an API, and the only
 * code of the module that prints to the console. It runs on the main thread, with one daemon thread
 * for the {@code --max-time} deadline.
 */
package dev.h2mux.client.cli;
