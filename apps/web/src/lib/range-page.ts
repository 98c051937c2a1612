import { type TimeWindow, windowFromSearch } from "@/domain/overview/time-range.ts";
import { type ProjectViewer, projectPage } from "@/lib/project-page.ts";

type RangeSearch = { range?: string; from?: string; to?: string };

/** The props of a project page whose time range (and maybe filters) are in the URL. */
export type RangePageProps<Search extends RangeSearch = RangeSearch> = {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Search>;
};

/**
 * The project (after the viewer's membership is checked), the time window (`?range=` or a custom
 * `?from=&to=`), what is wrong with a custom range if anything, and the other search parameters.
 */
export async function projectWindow<Search extends RangeSearch>(
  props: RangePageProps<Search>,
): Promise<{
  projectId: string;
  viewer: ProjectViewer;
  window: TimeWindow;
  rangeProblem: string | null;
  search: Search;
}> {
  const { projectId, viewer } = await projectPage(props.params);
  const search = await props.searchParams;
  const { window, problem } = windowFromSearch(search);
  return { projectId, viewer, window, rangeProblem: problem, search };
}
