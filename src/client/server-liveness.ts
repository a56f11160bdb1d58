/**
 * Tells a slow request from a dead connection. MS-SMB2 3.2.6.1 lets a client fail a request
 * that outlived its time-out and "MAY choose to disconnect the connection as well". smbench
 * disconnects only when no SMB2 message came from the server while the request waited: then the
 * whole connection is stalled (a frozen server, a black-holed route), and every other request on
 * it is doomed too. Failing them all at once as a transport error lets the runner reconnect instead of
 * timing out op after op on a connection that will never answer. A server that answers other
 * requests but not this one only times this one out.
 */
export class ServerLiveness {
  private lastReceivedAt = performance.now();

  /** Called for every SMB2 message received from the server (answer, interim, break). */
  received(now = performance.now()): void {
    this.lastReceivedAt = now;
  }

  /** True when no SMB2 message arrived from the server since `sentAt` (performance.now() ms). */
  silentSince(sentAt: number): boolean {
    return this.lastReceivedAt < sentAt;
  }
}
