// Stands in for the control plane during the benchmark: answers every OTLP and registry request
// with 200 after reading its body, so the agent's export cost is real but Vigil's is not measured.
import http from "node:http";

const server = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const otlp = request.url?.startsWith("/v1/traces") || request.url?.startsWith("/v1/metrics");
    response.writeHead(200, {
      "content-type": otlp ? "application/x-protobuf" : "application/json",
    });
    response.end();
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === "object" ? address?.port : 0 })}\n`,
  );
});
