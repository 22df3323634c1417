/**
 * The HTTP/2 engine (RFC 9113), one for both roles: {@link dev.h2mux.core.engine.Http2Connection}
 * and its {@link dev.h2mux.core.engine.Http2Stream}s. The role decides only stream-id parity, who
 * sends the client preface, and whether a peer's HEADERS open a request (server) or answer one
 * (client); every rule below is written once.
 *
 * <h2>Which file enforces which rule</h2>
 *
 * <table class="striped">
 *   <caption>The engine's files, each with one job</caption>
 *   <thead>
 *     <tr><th scope="col">file</th><th scope="col">what it enforces</th><th scope="col">RFC 9113</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><td>{@code Http2Connection}</td><td>the facade and the lifecycle: preface queued,
 *         start or serve, PING, shutdown</td><td>§3.4</td></tr>
 *     <tr><td>{@code Termination}, {@code LingeringClose}</td><td>the end, once: the last GOAWAY,
 *         every stream and PING failed, a close that never destroys what was sent</td>
 *         <td>§5.4.1, §6.8</td></tr>
 *     <tr><td>{@code Handshake}</td><td>the client preface, SETTINGS first, one deadline for
 *         both</td><td>§3.4</td></tr>
 *     <tr><td>{@code ReadLoop}</td><td>frames read one after the other; a stream error resets
 *         the stream, a connection error ends the connection; the idle timeout</td>
 *         <td>§5.4</td></tr>
 *     <tr><td>{@code SweptWaits}</td><td>a server's reader waits for the socket without a
 *         timeout; the owner's sweep keeps the idle timeout and the quiet-time housekeeping</td>
 *         <td>—</td></tr>
 *     <tr><td>{@code InboundFrames}</td><td>one method per frame type: DATA, RST_STREAM,
 *         SETTINGS, PING, GOAWAY, WINDOW_UPDATE; PUSH_PROMISE refused, unknown types ignored;
 *         the abuse budgets</td><td>§6, §5.5, §10.5</td></tr>
 *     <tr><td>{@code InboundHeaders}</td><td>a complete field block: always decoded, then a
 *         request, a response head, a 1xx head or trailers; the message rules of {@code
 *         core.http}</td><td>§4.3, §8.1–§8.3</td></tr>
 *     <tr><td>{@code FieldBlockAssembler}</td><td>HEADERS and its CONTINUATIONs, with nothing
 *         between them, bounded</td><td>§4.3, §6.10, §10.5.1</td></tr>
 *     <tr><td>{@code StreamState}</td><td>Figure 2 as a table: what each state lets either side
 *         send, and the error for a frame it does not allow</td><td>§5.1</td></tr>
 *     <tr><td>{@code StreamTable}, {@code ClosedStreams}</td><td>stream ids: parity, only
 *         increasing, the state of any id (open, idle, closed as it closed, untracked)</td>
 *         <td>§5.1, §5.1.1</td></tr>
 *     <tr><td>{@code StreamOpener}</td><td>the streams we open: ids in order, no more than the
 *         peer's SETTINGS_MAX_CONCURRENT_STREAMS</td><td>§5.1.1, §5.1.2</td></tr>
 *     <tr><td>{@code FlowControl}, {@code InboundWindow}, {@code OutboundWindow}</td><td>both
 *         levels of flow control, windows up to 2^31-1, negative windows after a SETTINGS
 *         change, WINDOW_UPDATE once half a window was read</td><td>§5.2, §6.9</td></tr>
 *     <tr><td>{@code ConnectionSettings}</td><td>our SETTINGS and the peer's; the receive window
 *         before ours are acknowledged</td><td>§6.5, §6.9.2</td></tr>
 *     <tr><td>{@code StreamEnds}, {@code EarlyResponses}</td><td>END_STREAM, RST_STREAM either
 *         way, and stopping a request body once its response ended</td><td>§5.1, §5.4.2,
 *         §8.1</td></tr>
 *     <tr><td>{@code GracefulShutdown}</td><td>GOAWAY both ways: the two-step shutdown, last
 *         stream ids that never grow, the streams a GOAWAY refused</td><td>§6.8, §8.7</td></tr>
 *     <tr><td>{@code Pings}</td><td>PING and the ACK that completes it</td><td>§6.7</td></tr>
 *     <tr><td>{@code H2cUpgrade}</td><td>stream 1 after an h2c Upgrade</td><td>RFC 7540
 *         §3.2</td></tr>
 *     <tr><td>{@code ConnectionWriter}</td><td>control frames ahead of DATA, the SETTINGS ACK in
 *         order behind what was sent under the old values, the final GOAWAY last</td>
 *         <td>§6.5.3, §6.8</td></tr>
 *     <tr><td>{@code Http2Stream}, {@code InboundBody}, {@code OutboundBody}</td><td>the stream's
 *         handle and its two bodies; content-length against the DATA received</td>
 *         <td>§8.1.1</td></tr>
 *     <tr><td>{@code NoOpFrames}, {@code RateBudget}, {@code AbuseLimits}</td><td>frames that
 *         do nothing, rapid resets</td><td>§10.5</td></tr>
 *     <tr><td>{@code Http2Config}</td><td>the limits we advertise and enforce</td>
 *         <td>§6.5.2</td></tr>
 *     <tr><td>{@code ChunkPool}, {@code WriteBuffer}, {@code IdleClock}, {@code
 *         FrameTrace}</td><td>memory reuse, the idle clock, the frame trace</td><td>—</td></tr>
 *   </tbody>
 * </table>
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li><b>The reader</b> ({@code ReadLoop}; on a server the thread that called {@code serve()}, on
 *       a client a platform thread) reads and handles every frame: {@code InboundFrames}, {@code
 *       InboundHeaders}, {@code FieldBlockAssembler}, the abuse budgets. It never blocks on the
 *       application or on flow control, so PING, SETTINGS and WINDOW_UPDATE are answered promptly;
 *       it writes only by queueing for the writer. It wakes the streams that received DATA and
 *       hands new streams to the listener in batches, before it may wait for the socket. Its
 *       handlers assert that they run on it.
 *   <li><b>The writer</b> ({@code ConnectionWriter.run}, a virtual thread) drains the queues into
 *       the socket, encodes HPACK blocks (so encoding order is wire order), and flushes once the
 *       queues are empty, after one yield.
 *   <li><b>Application threads</b> read a stream's {@code input()} and write its {@code output()}
 *       (waiting for flow-control credit in {@code FlowControl.acquireCredit}), open streams
 *       ({@code newStream}), send PINGs and start shutdowns.
 *   <li><b>Two short-lived virtual threads</b>: {@code -goaway} sends a graceful shutdown's final
 *       GOAWAY if its PING is not answered in time; {@code -closer} bounds the lingering close.
 * </ul>
 *
 * <h2>Locks</h2>
 *
 * One {@link java.util.concurrent.locks.ReentrantLock} per connection guards the state of every
 * part above and of every stream, taken for short sections; a frame takes it as often as before the
 * parts had files of their own. What one thread alone touches (the reader's batches of streams to
 * wake and to dispatch, the writer's batch) needs no lock. Methods named {@code ...Locked} must be
 * called with it held, and assert so (the tests run with {@code -ea}). The writer has a lock of its
 * own for its queues and the {@code ChunkPool}; the order is always the connection's lock first,
 * then the writer's. Nothing blocks on a monitor: waits are on the lock's conditions ({@code
 * FlowControl.windowOpened}, {@code StreamTable.slotFreed}, each stream's {@code changed}).
 *
 * <p>TRACE on the logger {@code dev.h2mux.core.engine.FrameTrace} logs every frame both ways, one
 * {@link dev.h2mux.core.frame.FrameLog} line each. docs/DESIGN.md has the overview, and
 * docs/BENCHMARKS.md ("Why the code is shaped this way") the measurements behind the performance
 * choices.
 *
 * <p>Exported to the server and client modules only.
 */
package dev.h2mux.core.engine;
