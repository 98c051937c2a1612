// The PromQL syntax tree Vigil evaluates, built from the Prometheus project's own grammar
// (parse.ts). Times and durations are milliseconds, as in Prometheus.

import type { LabelMatcher } from "../../lib/label-match.ts";

export type MatchOp = LabelMatcher["op"];
export type Matcher = LabelMatcher;

/** `offset` and `@` of a selector or subquery; `at` is a time, or the query's start or end. */
export type Modifiers = { offsetMs: number; at: number | "start" | "end" | null };

export type VectorSelector = {
  type: "vector";
  name: string | null;
  matchers: Matcher[];
} & Modifiers;

export type MatrixSelector = { type: "matrix"; vector: VectorSelector; rangeMs: number };

export type Subquery = {
  type: "subquery";
  expr: Expr;
  rangeMs: number;
  /** 0: the query's default resolution (its step, or 1 m for an instant query). */
  stepMs: number;
} & Modifiers;

export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "^"
  | "atan2"
  | "=="
  | "!="
  | ">"
  | "<"
  | ">="
  | "<="
  | "and"
  | "or"
  | "unless";

export type VectorMatching = {
  /** on(...) when true, ignoring(...) when false (ignoring() when no clause was written). */
  on: boolean;
  labels: string[];
  /** one-to-one, or which side has many (group_left: the left). */
  card: "one-to-one" | "many-to-one" | "one-to-many";
  include: string[];
};

export type Binary = {
  type: "binary";
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  bool: boolean;
  matching: VectorMatching;
};

export type AggregateOp =
  | "sum"
  | "avg"
  | "min"
  | "max"
  | "count"
  | "group"
  | "stddev"
  | "stdvar"
  | "topk"
  | "bottomk"
  | "quantile"
  | "count_values";

export type Aggregate = {
  type: "aggregate";
  op: AggregateOp;
  expr: Expr;
  param: Expr | null;
  /** by(...) when false, without(...) when true. */
  without: boolean;
  grouping: string[];
};

export type Call = { type: "call"; func: string; args: Expr[] };
export type NumberLiteral = { type: "number"; value: number };
export type StringLiteral = { type: "string"; value: string };
export type Unary = { type: "unary"; expr: Expr };
export type Paren = { type: "paren"; expr: Expr };

export type Expr =
  | VectorSelector
  | MatrixSelector
  | Subquery
  | Binary
  | Aggregate
  | Call
  | NumberLiteral
  | StringLiteral
  | Unary
  | Paren;

export type ValueType = "vector" | "matrix" | "scalar" | "string";

/** A query Vigil cannot answer as written: `type` is Prometheus's error type. */
export class PromQLError extends Error {
  override name = "PromQLError";
  readonly type: "bad_data" | "execution" | "timeout" | "unavailable";
  constructor(type: PromQLError["type"], message: string) {
    super(message);
    this.type = type;
  }
}
