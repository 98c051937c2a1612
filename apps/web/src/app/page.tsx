import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { sessionUser } from "@/auth/auth.ts";
import { listProjectsForUser } from "@/domain/tenancy/projects.ts";
import { demoFleet } from "@/server/runtime.ts";

export const dynamic = "force-dynamic";

/** Home: the running demo's project, else the user's first project, or the sign-in page. */
export default async function Home() {
  const user = await sessionUser(await headers());
  if (!user) redirect("/sign-in");
  const projects = await listProjectsForUser(user.id);
  const demo = projects.find((project) => project.id === demoFleet()?.projectId);
  const first = demo ?? projects[0];
  if (!first) redirect("/no-project");
  redirect(`/projects/${first.id}`);
}
