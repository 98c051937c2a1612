export type MapNodeKind = "service" | "database";
export type PlacedNode = { id: string; kind: MapNodeKind; x: number; y: number };

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 44;
const COLUMN = 240;
const ROW = 72;
const MARGIN = 16;

/**
 * Places nodes in columns by call depth: callers left of what they call (the longest chain of
 * calls decides the column; cycles stop growing after as many rounds as there are nodes),
 * databases and caches right of their deepest caller, names in order within a column.
 */
export function layout(
  nodes: { id: string; kind: MapNodeKind }[],
  edges: { caller: string; callee: string }[],
): { nodes: PlacedNode[]; width: number; height: number } {
  const depth = new Map(nodes.map((node) => [node.id, 0]));
  for (let round = 0; round < nodes.length; round++) {
    let moved = false;
    for (const edge of edges) {
      const next = (depth.get(edge.caller) ?? 0) + 1;
      if (next > (depth.get(edge.callee) ?? 0)) {
        depth.set(edge.callee, next);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const columns = new Map<number, { id: string; kind: MapNodeKind }[]>();
  for (const node of nodes) {
    const column = depth.get(node.id) ?? 0;
    columns.set(column, [...(columns.get(column) ?? []), node]);
  }
  const placed: PlacedNode[] = [];
  let rows = 0;
  for (const [column, members] of columns) {
    members.sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
    for (const [row, node] of members.entries())
      placed.push({ ...node, x: MARGIN + column * COLUMN, y: MARGIN + row * ROW });
    rows = Math.max(rows, members.length);
  }
  const columnsUsed = Math.max(1, ...[...columns.keys()].map((c) => c + 1));
  return {
    nodes: placed,
    width: MARGIN * 2 + (columnsUsed - 1) * COLUMN + NODE_WIDTH,
    height: MARGIN * 2 + Math.max(0, rows - 1) * ROW + NODE_HEIGHT,
  };
}
