// The service the agent benchmark drives: a hello-world handler and a 1 ms handler. It prints
// {"port": N} when listening; GET /__cpu answers the process's CPU time so far, in µs.
import http from "node:http";

const server = http.createServer((request, response) => {
  if (request.url === "/hello") {
    response.end("hello world");
  } else if (request.url === "/slow") {
    setTimeout(() => response.end("done"), 1);
  } else if (request.url === "/__cpu") {
    const { user, system } = process.cpuUsage();
    response.end(String(user + system));
  } else {
    response.statusCode = 404;
    response.end();
  }
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === "object" ? address?.port : 0 })}\n`,
  );
});
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
});
