package dev.h2mux.client;

import dev.h2mux.client.TraceListener.Direction;
import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.FrameLog;
import java.util.ArrayList;
import java.util.List;

/**
 * One thing a {@link TraceListener} is told: an HTTP/2 {@link Frame frame} sent or received, the
 * head of a {@link Request request} as it was sent or of a {@link Response response} as it was
 * received, or an {@link Info info} line on what the client did (connecting, TLS, protocol choice).
 * Each names its connection, as {@code 127.0.0.1:8080#1}: host, port and the client's count of
 * connections opened.
 *
 * <p>Events are values, made only when a listener is installed; {@link #lines()} gives each as the
 * text lines a log wants.
 */
public sealed interface TraceEvent {
  /**
   * The connection the event happened on.
   *
   * @return its name, such as {@code 127.0.0.1:8080#1}
   */
  String connection();

  /**
   * Which way the event went.
   *
   * @return {@link Direction#OUT} for what the client sent, {@link Direction#IN} for what it
   *     received, {@link Direction#INFO} for its own doings
   */
  Direction direction();

  /**
   * The event as text: one line for a frame or an info; the start line and one {@code name: value}
   * line per field for a head, in HTTP/1.1 form whatever the protocol, as curl shows them.
   *
   * @return the lines, without line ends
   */
  List<String> lines();

  /**
   * An HTTP/2 frame, as it went on the wire: a field block split over CONTINUATION frames comes
   * frame by frame, and a frame's field block is not decoded (the {@link Request} and {@link
   * Response} events carry the fields).
   *
   * <p>The arrays the frame holds (a DATA payload, a field block fragment) are the client's and are
   * reused once the listener returns: a listener that keeps them copies them.
   *
   * @param connection the connection's name
   * @param direction {@link Direction#OUT} or {@link Direction#IN}
   * @param frame the frame
   */
  record Frame(String connection, Direction direction, dev.h2mux.core.frame.Frame frame)
      implements TraceEvent {
    /** {@link FrameLog}'s line for the frame: {@code HEADERS 1 END_STREAM|END_HEADERS 23}. */
    @Override
    public List<String> lines() {
      return List.of(FrameLog.describe(frame));
    }
  }

  /**
   * The head of a request, when it is sent: over HTTP/1.1 as it is written, over HTTP/2 once its
   * HEADERS frame is queued for the wire (after any wait for a stream slot). An h2c Upgrade request
   * is an HTTP/1.1 request, with its {@code upgrade} fields.
   *
   * @param connection the connection's name
   * @param protocol the protocol the head went in
   * @param streamId the HTTP/2 stream, 0 for HTTP/1.1
   * @param method the method
   * @param target the request target as sent: {@code /path?query}, the whole URI to an HTTP proxy,
   *     or {@code host:port} for a proxy's {@code CONNECT}
   * @param authority the host and port the request is for: {@code :authority} or {@code host}
   * @param fields the fields exactly as sent, the ones the client adds included: for HTTP/2 the
   *     pseudo-fields first (RFC 9113 §8.3.1), for HTTP/1.1 {@code host} first
   */
  record Request(
      String connection,
      Protocol protocol,
      int streamId,
      String method,
      String target,
      String authority,
      HttpFields fields)
      implements TraceEvent {
    /** {@link Direction#OUT}. */
    @Override
    public Direction direction() {
      return Direction.OUT;
    }

    /**
     * {@code GET /path HTTP/2}, then {@code host: authority} (HTTP/2 sends it as {@code
     * :authority}) and the fields, without pseudo-fields.
     */
    @Override
    public List<String> lines() {
      List<String> lines = new ArrayList<>(fields.size() + 2);
      lines.add(method + " " + target + " " + protocol);
      if (!fields.contains("host")) lines.add("host: " + authority);
      addFields(lines, fields);
      return lines;
    }
  }

  /**
   * The head of a response, when it arrived: final heads and the interim 1xx ones (a {@code 100
   * Continue}, a {@code 103 Early Hints}, an h2c Upgrade's {@code 101}), and a proxy's answer to
   * {@code CONNECT}. A redirect's head is traced as any other.
   *
   * @param connection the connection's name
   * @param protocol the protocol the head came in
   * @param streamId the HTTP/2 stream, 0 for HTTP/1.1
   * @param status the status code
   * @param reason the HTTP/1.1 reason phrase; empty for HTTP/2
   * @param fields the header fields, as received
   */
  record Response(
      String connection,
      Protocol protocol,
      int streamId,
      int status,
      String reason,
      HttpFields fields)
      implements TraceEvent {
    /** {@link Direction#IN}. */
    @Override
    public Direction direction() {
      return Direction.IN;
    }

    /** {@code HTTP/1.1 200 OK} or {@code HTTP/2 200 }, then the fields. */
    @Override
    public List<String> lines() {
      List<String> lines = new ArrayList<>(fields.size() + 1);
      lines.add(protocol + " " + status + " " + reason);
      addFields(lines, fields);
      return lines;
    }
  }

  /**
   * Something the client did or decided: {@code connected to 127.0.0.1 port 8080}, {@code TLS
   * TLSv1.3, ALPN h2}, {@code the server declined the h2c upgrade: using HTTP/1.1}, a frame the
   * server sent that could not be read.
   *
   * @param connection the connection's name
   * @param text what happened, for people
   */
  record Info(String connection, String text) implements TraceEvent {
    /** {@link Direction#INFO}. */
    @Override
    public Direction direction() {
      return Direction.INFO;
    }

    /** The text. */
    @Override
    public List<String> lines() {
      return List.of(text);
    }
  }

  private static void addFields(List<String> lines, HttpFields fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (!fields.name(i).startsWith(":")) lines.add(fields.name(i) + ": " + fields.value(i));
    }
  }
}
