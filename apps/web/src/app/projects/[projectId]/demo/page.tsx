import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { projectPage } from "@/lib/project-page.ts";
import { demoFleet } from "@/server/runtime.ts";
import { DemoPanel } from "./demo-panel.tsx";

export const metadata: Metadata = { title: "Demo" };
export const dynamic = "force-dynamic";

export default async function DemoPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await projectPage(params);
  if (demoFleet()?.projectId !== projectId) notFound();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Demo</h1>
        <p className="text-sm text-zinc-500">
          A small shop runs beside Vigil: a gateway and four services, two instances each, on their
          own PostgreSQL primary, streaming replica and two shards. Break something here and watch
          where an operator would look. The same switches are a CLI:{" "}
          <code className="font-mono text-xs">npm run demo -- pause-replica</code>.
        </p>
      </div>
      <DemoPanel projectId={projectId} />
    </div>
  );
}
