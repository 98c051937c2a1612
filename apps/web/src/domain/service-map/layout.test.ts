import { describe, expect, it } from "vitest";
import { layout } from "./layout.ts";

describe("service map layout", () => {
  it("puts callers left of callees, databases after their deepest caller, lone services in the first column", () => {
    const { nodes } = layout(
      [
        { id: "gateway", kind: "service" },
        { id: "orders", kind: "service" },
        { id: "stock", kind: "service" },
        { id: "postgresql", kind: "database" },
        { id: "cron", kind: "service" },
      ],
      [
        { caller: "gateway", callee: "orders" },
        { caller: "orders", callee: "stock" },
        { caller: "gateway", callee: "stock" },
        { caller: "stock", callee: "postgresql" },
      ],
    );
    const column = Object.fromEntries(nodes.map((node) => [node.id, node.x]));
    expect(column.gateway).toBe(column.cron);
    expect(column.gateway).toBeLessThan(column.orders as number);
    expect(column.orders).toBeLessThan(column.stock as number);
    expect(column.stock).toBeLessThan(column.postgresql as number);
  });

  it("terminates on a cycle", () => {
    const { nodes } = layout(
      [
        { id: "a", kind: "service" },
        { id: "b", kind: "service" },
      ],
      [
        { caller: "a", callee: "b" },
        { caller: "b", callee: "a" },
      ],
    );
    expect(nodes).toHaveLength(2);
  });
});
