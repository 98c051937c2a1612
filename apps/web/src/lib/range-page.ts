import { type TimeWindow, windowFor } from "@/domain/overview/time-range.ts";

/** The props of a project page whose time range is in the URL (`?range=`). */
export type RangePageProps = {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<{ range?: string }>;
};

/** The project and the time window such a page shows. */
export async function projectWindow(
  props: RangePageProps,
): Promise<{ projectId: string; window: TimeWindow }> {
  const { projectId } = await props.params;
  return { projectId, window: windowFor((await props.searchParams).range) };
}
