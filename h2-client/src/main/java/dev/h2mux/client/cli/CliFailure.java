package dev.h2mux.client.cli;

/**
 * Something the CLI reports as curl does, as {@code h2-client: (CODE) message}, and exits with
 * curl's exit code for it.
 */
class CliFailure extends Exception {
  final int code;

  CliFailure(int code, String message) {
    super(message);
    this.code = code;
  }
}
