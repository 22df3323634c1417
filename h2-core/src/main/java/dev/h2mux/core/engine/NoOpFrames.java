package dev.h2mux.core.engine;

import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.Http2Settings;

/**
 * Which received frames do nothing, so that a peer sending many of them is flooding us (the "empty
 * frames flood", CVE-2019-9518): each costs a read and a dispatch and moves no exchange forward. A
 * legitimate peer sends a handful per connection (an empty first SETTINGS, a few PRIORITY frames, a
 * GREASE frame of unknown type) and perhaps one per stream (a PRIORITY_UPDATE of RFC 9218, which we
 * don't implement); they count against {@link AbuseLimits#noOpFrameBurst()}, and each stream the
 * peer opens gives one back. A WINDOW_UPDATE for a stream we never knew is one too; the engine
 * counts it where it looks the stream up.
 */
final class NoOpFrames {
  private NoOpFrames() {}

  static boolean isNoOp(Frame frame) {
    return switch (frame) {
      // Padding only, or nothing: no body bytes and no end of the body.
      case Frame.Data d -> d.length() == 0 && !d.endStream();
      // An empty fragment adds nothing to a field block; an empty trailer section with
      // END_STREAM does end the stream.
      case Frame.Headers h -> h.block().length == 0 && !h.endStream();
      case Frame.Continuation c -> c.block().length == 0;
      case Frame.Settings s -> !s.ack() && s.settings().equals(Http2Settings.EMPTY);
      // RFC 9113 §5.3.2 deprecates PRIORITY signals; we ignore them.
      case Frame.PriorityFrame p -> true;
      case Frame.Unknown u -> true;
      default -> false;
    };
  }
}
