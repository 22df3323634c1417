package dev.h2mux.client.cli;

import java.net.URI;

/**
 * The file name {@code -O} takes from a URL, by curl's rules: the last segment of the path, without
 * query or fragment, as written (percent-escapes are not decoded, so the name can never hold a
 * {@code /}), in the current directory. A URL whose path ends in {@code /} or is empty has no name:
 * that is exit code 23 before anything is sent.
 */
final class RemoteName {
  private RemoteName() {}

  static String of(URI uri) throws CliFailure {
    String path = uri.normalize().getRawPath();
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new CliFailure(
          23,
          "Remote file name has no length in "
              + uri
              + ": -O needs a URL that ends in a file name (or use -o FILE)");
    }
    return name;
  }
}
