package dev.h2mux.client.cli;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.cli.CliOptions.DataPart;
import dev.h2mux.client.cli.CliOptions.HeaderArg;
import dev.h2mux.core.HttpFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Turns the options into requests, with the fields curl adds, in curl's order: {@code
 * authorization} (Basic, from {@code -u} or the URL's user information), {@code user-agent} ({@code
 * -A}, else {@code h2-client/VERSION}), {@code accept: *}{@code /*}, {@code referer} ({@code -e}),
 * then the {@code -H} fields, then {@code content-length} and {@code content-type} for {@code -d}
 * data. A {@code -H} field of the same name replaces a field the CLI adds; {@code -H 'Name:'}
 * leaves it out.
 */
final class RequestFactory {
  /** The default user-agent, with the version from the jar's Maven descriptor when there is one. */
  static final String USER_AGENT = "h2-client/" + version();

  /** The body size above which curl 7.88 sends {@code Expect: 100-continue} over HTTP/1.1. */
  static final long EXPECT_THRESHOLD = 1 << 20;

  /** {@link #EXPECT_THRESHOLD} as an array size, for tests. */
  static final int EXPECT_THRESHOLD_FOR_TESTS = (int) EXPECT_THRESHOLD;

  private final CliOptions options;
  private final byte[] body;
  private final Path bodyFile;
  private final String credentials;

  /**
   * @param credentials {@code user:password} for Basic authentication, or null
   * @throws CliFailure (exit 26) if a data file can't be read
   */
  RequestFactory(CliOptions options, String credentials) throws CliFailure {
    this.options = options;
    this.credentials = credentials;
    List<DataPart> parts = options.data();
    // A lone --data-binary @FILE streams from the file as it is sent, so it may be of any size;
    // other data is joined in memory.
    boolean streamed =
        parts.size() == 1 && parts.get(0).file() != null && !parts.get(0).stripNewlines();
    this.bodyFile = streamed ? parts.get(0).file() : null;
    this.body = streamed ? null : body(parts);
    if (streamed && !Files.isReadable(bodyFile)) {
      throw new CliFailure(26, "cannot read data file " + bodyFile + ": no such readable file");
    }
  }

  /**
   * The request body from the -d parts, joined with {@code &}; null if none; exit 26 if unreadable.
   */
  private static byte[] body(List<DataPart> parts) throws CliFailure {
    if (parts.isEmpty()) return null;
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < parts.size(); i++) {
      DataPart part = parts.get(i);
      if (i > 0) joined.write('&');
      if (part.file() == null) {
        joined.writeBytes(part.text().getBytes(StandardCharsets.UTF_8));
        continue;
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(part.file());
      } catch (NoSuchFileException e) {
        throw new CliFailure(26, "cannot read data file " + part.file() + ": no such file");
      } catch (IOException e) {
        throw new CliFailure(26, "cannot read data file " + part.file() + ": " + e.getMessage());
      }
      for (byte b : bytes) {
        if (!part.stripNewlines() || (b != '\r' && b != '\n')) joined.write(b);
      }
    }
    return joined.toByteArray();
  }

  /**
   * The URL as a URI: {@code http://} is assumed when it has no scheme, as curl does. Exit 3 for a
   * malformed URL, 1 for a scheme other than http and https.
   */
  static URI uri(String url) throws CliFailure {
    String withScheme = url.contains("://") ? url : "http://" + url;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw new CliFailure(3, "URL using bad/illegal format: '" + url + "': " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new CliFailure(1, "Protocol \"" + scheme + "\" not supported");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new CliFailure(3, "URL using bad/illegal format: '" + url + "': no host");
    }
    return uri;
  }

  /** The request for {@code uri}. */
  ClientRequest request(URI uri, String method, String referer) throws CliFailure {
    try {
      ClientRequest.Builder b = ClientRequest.builder(uri).method(method);
      String auth = credentials != null ? credentials : userInfo(uri);
      if (auth != null) {
        add(
            b,
            "authorization",
            "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
      }
      add(b, "user-agent", options.userAgent() != null ? options.userAgent() : USER_AGENT);
      add(b, "accept", "*/*");
      if (referer != null) add(b, "referer", referer);
      for (HeaderArg h : options.headers()) {
        if (h.value() != null) b.header(h.name(), h.value());
      }
      if (body != null) b.body(body);
      if (bodyFile != null) b.body(bodyFile);
      if (body != null || bodyFile != null) {
        // Named here, before content-type, where curl puts it; the client would add it last.
        long length = b.build().contentLength();
        add(b, "content-length", Long.toString(length));
        add(b, "content-type", "application/x-www-form-urlencoded");
        // curl 7.88 waits for a 100 Continue before an HTTP/1.1 body of more than 1 MiB, unless
        // told otherwise by an Expect field (-H 'Expect:' turns it off).
        if (length > EXPECT_THRESHOLD && !named("expect")) b.expectContinue(true);
      }
      return b.build();
    } catch (UncheckedIOException e) {
      throw new CliFailure(26, "cannot read data file " + bodyFile + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * {@code request} with {@code referer} where the CLI puts it: after the fields it adds itself and
   * before the {@code -H} ones (and the body's), replacing any it had.
   */
  ClientRequest withReferer(ClientRequest request, String referer) {
    HttpFields fields = request.headers();
    HttpFields placed = new HttpFields();
    boolean added = false;
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.name(i);
      if (name.equals("referer")) continue;
      if (!added && fromCommandLineOrBody(name)) {
        placed.add("referer", referer);
        added = true;
      }
      placed.add(name, fields.value(i));
    }
    if (!added) placed.add("referer", referer);
    return request.toBuilder().headers(placed).build();
  }

  /** Whether a field of that name follows the referer: a -H one, or one that describes the body. */
  private boolean fromCommandLineOrBody(String name) {
    if (name.equals("content-length") || name.equals("content-type")) return true;
    for (HeaderArg h : options.headers())
      if (h.value() != null && h.name().equalsIgnoreCase(name)) return true;
    return false;
  }

  /**
   * What {@code -e ';auto'} sends after a redirect: the URI that was redirected, without user
   * information and fragment, as curl does.
   */
  static String autoReferer(URI from) {
    String path =
        from.getRawPath() == null || from.getRawPath().isEmpty() ? "/" : from.getRawPath();
    String port = from.getPort() < 0 ? "" : ":" + from.getPort();
    String query = from.getRawQuery() == null ? "" : "?" + from.getRawQuery();
    return from.getScheme() + "://" + from.getHost() + port + path + query;
  }

  /** Adds a field the CLI provides unless a -H of that name replaces or removes it. */
  private void add(ClientRequest.Builder b, String name, String value) {
    if (!named(name)) b.header(name, value);
  }

  /** Whether a -H names the field, to set it or to leave it out. */
  private boolean named(String name) {
    for (HeaderArg h : options.headers()) if (h.name().equalsIgnoreCase(name)) return true;
    return false;
  }

  /** {@code user:password} from {@code http://user:password@host/}, decoded, or null. */
  private static String userInfo(URI uri) {
    String info = uri.getUserInfo();
    return info == null || info.isEmpty() ? null : info.contains(":") ? info : info + ":";
  }

  private static String version() {
    try (InputStream in =
        RequestFactory.class.getResourceAsStream(
            "/META-INF/maven/dev.h2mux/h2-client/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank()) return v.strip();
      }
    } catch (IOException e) {
      // no descriptor: the bare name below
    }
    return "dev";
  }
}
