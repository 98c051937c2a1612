import { describe, expect, it } from "vitest";
import { PromQLError } from "./ast.ts";
import { parsePromQL } from "./parse.ts";

const refusal = (query: string) => {
  try {
    parsePromQL(query);
  } catch (error) {
    expect(error).toBeInstanceOf(PromQLError);
    expect((error as PromQLError).type).toBe("bad_data");
    return (error as Error).message;
  }
  throw new Error(`${query} parsed`);
};

describe("parsing PromQL", () => {
  it("attaches offset and @ to the selector they follow, not to the whole operation", () => {
    const expr = parsePromQL("a + b offset 5m @ 100");
    expect(expr).toMatchObject({
      type: "binary",
      lhs: { type: "vector", offsetMs: 0, at: null },
      rhs: { type: "vector", name: "b", offsetMs: 300_000, at: 100_000 },
    });
  });

  it("reads matchers, grouping and vector matching", () => {
    expect(parsePromQL('sum by (job) (rate(x{a="b",c=~"d.*"}[5m]))')).toMatchObject({
      type: "aggregate",
      op: "sum",
      grouping: ["job"],
      without: false,
      expr: { type: "call", func: "rate", args: [{ type: "matrix", rangeMs: 300_000 }] },
    });
    expect(parsePromQL("a * on(x) group_left(y) b")).toMatchObject({
      matching: { on: true, labels: ["x"], card: "many-to-one", include: ["y"] },
    });
    expect(parsePromQL('x{a="\\u00e9\\n"}')).toMatchObject({ matchers: [{}, { value: "é\n" }] });
  });

  it.each([
    ["rate(x)", 'expected type range vector in call to function "rate", got instant vector'],
    ["sum(x[5m])", "expected type instant vector in aggregation expression, got range vector"],
    ["1 > 2", "comparisons between scalars must use BOOL modifier"],
    ["x and 1", 'set operator "and" not allowed in binary scalar expression'],
    ["(a + b)[5m]", "ranges only allowed for vector selectors"],
    ["1 offset 5m", "offset and @ modifiers must be preceded by"],
    ['{a=""}', "vector selector must contain at least one non-empty matcher"],
    ['x{a=~"("}', "error parsing regexp"],
    ["sum(x", "parse error"],
    ["", "no expression found"],
    ["histogram_count(x)", 'function "histogram_count" is not supported by Vigil'],
    ["limitk(2, x)", 'aggregation "limitk" is not supported by Vigil'],
    ["x[5m+1m]", "duration arithmetic (5m+1m) is not supported by Vigil"],
    ["a + fill(0) b", "fill modifiers of binary operators are not supported by Vigil"],
  ])("refuses %s, saying what is wrong", (query, message) => {
    expect(refusal(query)).toContain(message);
  });
});
