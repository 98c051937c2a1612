import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { sessionUser } from "@/auth/auth.ts";
import { listProjectsForUser } from "@/domain/tenancy/projects.ts";

export const dynamic = "force-dynamic";

/** Home: the first project of the signed-in user, or the sign-in page. */
export default async function Home() {
  const user = await sessionUser(await headers());
  if (!user) redirect("/sign-in");
  const [first] = await listProjectsForUser(user.id);
  if (!first) redirect("/no-project");
  redirect(`/projects/${first.id}`);
}
