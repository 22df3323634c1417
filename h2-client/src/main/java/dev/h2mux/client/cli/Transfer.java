package dev.h2mux.client.cli;

import dev.h2mux.client.ClientRequest;
import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.Http2Client;
import dev.h2mux.client.Protocol;
import dev.h2mux.client.cli.CliOptions.FailMode;
import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One URL's transfer: sends the request, writes the head where {@code -i}, {@code -I} and {@code
 * -D} want it, the body to standard output or the {@code -o}/{@code -O} file, applies {@code -f},
 * and records what {@code -w} reports. {@code -m} bounds it as a whole. With {@code -L} each
 * redirect's head is written as the final one is, as curl does, and {@code -e ';auto'} sends the
 * URL each redirect came from as the next hop's referer.
 */
final class Transfer {
  private final Session session;
  private final CliOptions options;
  private final URI uri;
  private final ClientRequest request;
  private final Path file;
  private final RequestFactory factory;
  private final OutputSink sink;

  /** The request of the hop under way; the redirect hook's thread, then the finishing one. */
  private ClientRequest current;

  final TransferInfo info;
  private volatile boolean timedOut;

  /** Body bytes written so far, for the progress meter and a timeout's message. */
  private long received;

  private volatile ClientResponse open;

  /** A write of an interim head that failed, on the call's thread. */
  private volatile IOException writeFailure;

  private CompletableFuture<ClientResponse> future;
  private ScheduledFuture<?> deadline;

  Transfer(
      Session session,
      int index,
      String url,
      URI uri,
      ClientRequest request,
      Path file,
      RequestFactory factory) {
    this.session = session;
    this.options = session.options;
    this.uri = uri;
    ClientRequest.Builder b = request.toBuilder().onInterimResponse(this::interim);
    if (options.location()) b.onRedirect(this::redirecting);
    this.request = b.build();
    this.current = this.request;
    this.file = file;
    this.factory = factory;
    this.sink = new OutputSink(session.out, file);
    this.info = new TransferInfo(index, url);
    info.method = request.method();
    info.filename = file == null ? null : file.toString();
    info.referer = request.headers().get("referer");
  }

  /** Sends the request; the response is taken by {@link #finish}. */
  void start(Http2Client client) {
    info.startNanos = System.nanoTime();
    future = client.sendAsync(request);
    if (options.maxTime() != null) {
      deadline =
          session.timer.schedule(this::timeOut, options.maxTime().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void timeOut() {
    timedOut = true;
    future.cancel(true);
    ClientResponse response = open;
    if (response != null) response.cancel();
  }

  /**
   * A redirect is followed (on the call's thread): its head goes where the final one will, and the
   * next hop gets its referer.
   */
  private ClientRequest redirecting(ClientResponse redirect, ClientRequest next)
      throws IOException {
    earlierHead(HeadText.response(redirect));
    info.sizeRequest +=
        HeadText.request(current, redirect.protocol(), absoluteForm(redirect)).length();
    if (session.verbose != null) {
      session.verbose.info("Issue another request to this URL: '" + next.uri() + "'");
    }
    if (options.autoReferer()) {
      next = factory.withReferer(next, RequestFactory.autoReferer(redirect.uri()));
    }
    info.referer = next.headers().get("referer");
    current = next;
    return next;
  }

  /** An interim (1xx) head arrived (on the call's thread): written as curl writes it. */
  private void interim(Protocol protocol, int status, String reason, HttpFields headers) {
    try {
      earlierHead(HeadText.response(protocol, status, reason, headers));
    } catch (IOException e) {
      writeFailure = e; // the listener cannot throw: reported when the transfer finishes
    }
  }

  /** A head before the final one: counted, and written where -i and -D want heads. */
  private void earlierHead(String head) throws IOException {
    info.sizeHeader += head.length();
    session.dumpHeader(head);
    if (options.headOnOutput()) sink.write(head.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Waits for the response, writes it out, and returns the exit code. */
  int finish() {
    try {
      try (sink) {
        receive();
      }
      info.exitCode = 0;
    } catch (CliFailure f) {
      info.exitCode = f.code;
      info.errorMessage = f.getMessage();
      session.report(f);
    } catch (IOException e) {
      CliFailure f = failure(e); // closing the output failed
      info.exitCode = f.code;
      info.errorMessage = f.getMessage();
      session.report(f);
    } finally {
      if (deadline != null) deadline.cancel(false);
      info.endNanos = System.nanoTime();
    }
    if (options.writeOut() != null) {
      WriteOut.write(options.writeOut(), info, session.out, session.err);
    }
    return info.exitCode;
  }

  private void receive() throws CliFailure {
    ClientResponse response;
    try {
      response = future.get();
    } catch (CancellationException e) {
      throw failure(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(28, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw failure(io);
      throw new CliFailure(2, "the request failed: " + e.getCause());
    }
    open = response;
    if (timedOut) response.cancel();
    if (writeFailure != null) {
      response.cancel();
      throw failure(writeFailure);
    }
    try (response) {
      info.response(response);
      info.sizeRequest +=
          HeadText.request(current, response.protocol(), absoluteForm(response)).length();
      String head = HeadText.response(response);
      info.sizeHeader += head.length();
      session.dumpHeader(head);
      byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
      if (options.headOnOutput()) sink.write(headBytes);
      boolean failed = options.fail() != FailMode.OFF && response.status() >= 400;
      if (options.head() || (failed && options.fail() == FailMode.FAIL)) {
        response.cancel(); // nothing (more) is written: don't wait for a body
      } else {
        copyBody(response, sink);
      }
      if (failed) {
        throw new CliFailure(22, "The requested URL returned error: " + response.status());
      }
      sink.complete();
    } catch (IOException e) {
      throw failure(e);
    } finally {
      info.exchange = response.info(); // after the body: its totals are final
      // As received, before --compressed decoding, as curl counts it.
      info.sizeDownload = info.exchange.bytesDownloaded();
      info.sizeUpload = info.exchange.bytesUploaded();
    }
  }

  private void copyBody(ClientResponse response, OutputSink sink) throws IOException {
    long total = contentLength(response);
    Progress progress =
        file != null && session.terminal && !options.silent()
            ? new Progress(new PrintWriter(session.err), total, System::nanoTime)
            : null;
    byte[] buffer = new byte[64 * 1024];
    InputStream in = response.body();
    for (int n; (n = in.read(buffer)) >= 0; ) {
      sink.write(buffer, 0, n);
      received += n;
      if (progress != null) progress.advance(n);
    }
    if (progress != null) progress.finish();
    if (session.verbose != null) session.verbose.trailers(response.trailers());
  }

  /** An http:// request through a proxy goes in absolute form ({@code GET http://host/ ...}). */
  private boolean absoluteForm(ClientResponse response) {
    return options.proxy() != null && response.uri().getScheme().equalsIgnoreCase("http");
  }

  private static long contentLength(ClientResponse response) {
    String value = response.headers().get("content-length");
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private CliFailure failure(IOException e) {
    long elapsedMillis = (System.nanoTime() - info.startNanos) / 1_000_000;
    if (timedOut || e == null) {
      return TransferErrors.timedOut(options.maxTime().toMillis(), received);
    }
    return TransferErrors.of(e, uri, options.proxy(), elapsedMillis);
  }
}
