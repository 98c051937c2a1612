import dc from "node:diagnostics_channel";
import { Server } from "node:net";
import { cpuSince } from "../cpu.ts";

/**
 * The load an instance reports with its heartbeats: HTTP requests in flight (from Node's own
 * diagnostics channels, so it costs two counter updates per request) and the CPU the process
 * used since the previous reading, in cores (1 = one core busy throughout).
 */
export class LoadMeter {
  #inFlight = 0;
  readonly #cores = cpuSince();
  readonly #onStart = () => {
    this.#inFlight++;
  };
  readonly #onFinish = () => {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  };

  constructor() {
    dc.subscribe("http.server.request.start", this.#onStart);
    dc.subscribe("http.server.response.finish", this.#onFinish);
  }

  read(): { InFlight: number; CPU: number } {
    return { InFlight: this.#inFlight, CPU: Math.round((this.#cores() ?? 0) * 1000) / 1000 };
  }

  close(): void {
    dc.unsubscribe("http.server.request.start", this.#onStart);
    dc.unsubscribe("http.server.response.finish", this.#onFinish);
  }
}

/** Calls back with the port of the first TCP server the process starts listening on. */
export function onFirstListen(callback: (port: number) => void): () => void {
  const channel = dc.tracingChannel("net.server.listen");
  let done = false;
  const handlers = {
    asyncEnd(message: unknown) {
      const address = (message as { server?: { address(): unknown } }).server?.address();
      const port = (address as { port?: number } | null)?.port;
      if (done || !port) return;
      done = true;
      callback(port);
    },
  };
  channel.subscribe(handlers as Parameters<typeof channel.subscribe>[0]);
  return () => channel.unsubscribe(handlers as Parameters<typeof channel.unsubscribe>[0]);
}

/**
 * The port of a TCP server this process already listens on, for an agent started after the
 * service's listen: Node keeps every listening server among the process's active handles.
 */
export function listeningPort(): number | undefined {
  const handles = (process as unknown as { _getActiveHandles?(): unknown[] })._getActiveHandles?.();
  for (const handle of handles ?? []) {
    if (!(handle instanceof Server) || !handle.listening) continue;
    const address = handle.address();
    if (address && typeof address === "object" && address.port) return address.port;
  }
  return undefined;
}
