import type { Metadata } from "next";
import { Card } from "@/components/ui/card.tsx";
import { listServices } from "@/domain/telemetry/services.ts";
import { runtime } from "@/server/runtime.ts";
import { ServicesTable } from "./services-table.tsx";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { baseUrl } = runtime();
  const services = await listServices(projectId);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Overview</h1>
        <p className="text-sm text-zinc-500">
          Latency, errors, throughput, infrastructure and business metrics for every service in this
          project.
        </p>
      </div>
      {services.length > 0 ? (
        <Card
          title="Services"
          description="Every service that has sent telemetry to this project, with its running instances."
        >
          <ServicesTable services={services} />
        </Card>
      ) : (
        <Card
          title="No data yet"
          description="Nothing has reported to this project. Point an OpenTelemetry SDK, Collector or the Vigil agent at this control plane."
        >
          <ol className="list-decimal space-y-3 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
            <li>
              Create an <strong>ingest</strong> key under{" "}
              <a
                className="text-indigo-600 underline hover:text-indigo-500 dark:text-indigo-400"
                href={`/projects/${projectId}/settings`}
              >
                Settings → API keys
              </a>{" "}
              (or use the one printed at first start).
            </li>
            <li>
              Send OTLP/HTTP to this server:
              <pre className="mt-2 overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs text-zinc-100 dark:bg-black dark:ring-1 dark:ring-zinc-700">
                {`OTEL_EXPORTER_OTLP_ENDPOINT=${baseUrl}
OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <ingest key>"
OTEL_SERVICE_NAME=checkout`}
              </pre>
            </li>
            <li>Services appear here as soon as their first batch arrives.</li>
          </ol>
        </Card>
      )}
    </div>
  );
}
