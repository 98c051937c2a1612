// The Prometheus grammar's node names for operators and matchers, as Vigil's syntax tree spells
// them, and the constructs the grammar knows (newer Prometheus) that Vigil does not evaluate.
import type { BinaryOp, MatchOp } from "./ast.ts";

export const BINARY_OPS: Record<string, BinaryOp> = {
  Add: "+",
  Sub: "-",
  Mul: "*",
  Div: "/",
  Mod: "%",
  Pow: "^",
  Atan2: "atan2",
  Eql: "==",
  Neq: "!=",
  Gtr: ">",
  Lss: "<",
  Gte: ">=",
  Lte: "<=",
  And: "and",
  Or: "or",
  Unless: "unless",
};
export const COMPARISONS = new Set<BinaryOp>(["==", "!=", ">", "<", ">=", "<="]);
export const SET_OPS = new Set<BinaryOp>(["and", "or", "unless"]);
export const MATCH_OPS: Record<string, MatchOp> = {
  EqlSingle: "=",
  Neq: "!=",
  EqlRegex: "=~",
  NeqRegex: "!~",
};

/** Constructs the grammar knows (newer Prometheus) that Vigil does not evaluate. */
export const UNSUPPORTED: Record<string, string> = {
  AnchoredExpr: "the anchored modifier",
  SmoothedExpr: "the smoothed modifier",
  FillModifier: "fill modifiers of binary operators",
  TrimUpper: "the </ operator",
  TrimLower: "the >/ operator",
};
