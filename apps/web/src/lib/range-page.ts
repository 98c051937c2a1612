import { type TimeWindow, windowFor } from "@/domain/overview/time-range.ts";

/** The props of a project page whose time range (and maybe filters) are in the URL. */
export type RangePageProps<Search extends { range?: string } = { range?: string }> = {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Search>;
};

/** The project, the time window (`?range=`) and the other search parameters of such a page. */
export async function projectWindow<Search extends { range?: string }>(
  props: RangePageProps<Search>,
): Promise<{ projectId: string; window: TimeWindow; search: Search }> {
  const { projectId } = await props.params;
  const search = await props.searchParams;
  return { projectId, window: windowFor(search.range), search };
}
