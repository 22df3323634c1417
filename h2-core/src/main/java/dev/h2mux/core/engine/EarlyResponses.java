package dev.h2mux.core.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Server streams whose response ended while the peer was still sending its request. RFC 9113 §8.1
 * lets a server then ask the client to stop with RST_STREAM(NO_ERROR). Sent at once, that reset
 * would race the client: frames it sent before it saw the response would cross the reset and have
 * to be ignored (§5.1), so whether a bad trailer or a body longer than its content-length is
 * answered would depend on how fast our handler was. Instead a PING goes out after the response;
 * when its ACK arrives the client has seen the response, everything it sent before has been handled
 * like any frame, and only then is the stream reset. Streams wait in two groups: those the PING in
 * flight covers, and those that ended after it was sent, which need the next PING.
 *
 * <p>Used under the connection's lock.
 */
final class EarlyResponses {
  private List<Http2Stream> covered = new ArrayList<>(0);
  private List<Http2Stream> waiting = new ArrayList<>(0);
  private boolean pingInFlight;

  /**
   * Adds a stream whose response just ended.
   *
   * @return true if the caller must send a PING now (none is in flight), and report its ACK to
   *     {@link #acknowledged}
   */
  boolean add(Http2Stream stream) {
    if (pingInFlight) {
      waiting.add(stream);
      return false;
    }
    covered.add(stream);
    pingInFlight = true;
    return true;
  }

  /**
   * The PING in flight was acknowledged: returns the streams it covered, to be reset. If others
   * ended since it was sent, they become covered and {@link #pingNeeded} says a new PING must go.
   */
  List<Http2Stream> acknowledged() {
    List<Http2Stream> stop = covered;
    covered = waiting;
    waiting = new ArrayList<>(0);
    pingInFlight = !covered.isEmpty();
    return stop;
  }

  /** True right after {@link #acknowledged} moved streams under a PING still to be sent. */
  boolean pingNeeded() {
    return pingInFlight;
  }

  /** True if any stream waits. */
  boolean isEmpty() {
    return covered.isEmpty() && waiting.isEmpty();
  }

  /**
   * Returns every waiting stream, to be reset now: the peer has been silent for a while, so what it
   * sent before it saw the responses has arrived (a peer that never answers PINGs must not hold its
   * streams open). A PING still in flight covers nothing any more when it is answered.
   */
  List<Http2Stream> takeAll() {
    List<Http2Stream> stop = new ArrayList<>(covered);
    stop.addAll(waiting);
    covered.clear();
    waiting.clear();
    return stop;
  }
}
