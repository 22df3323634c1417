package dev.h2mux.client.cli;

/** The command line can't be understood; the CLI prints the message and exits with 2. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
