package dev.h2mux.client.cli;

/** The command line can't be understood; the CLI prints the message and exits with 2, as curl. */
final class UsageException extends CliFailure {
  UsageException(String message) {
    super(2, message);
  }
}
