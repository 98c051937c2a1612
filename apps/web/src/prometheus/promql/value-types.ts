// What kind of value a PromQL expression gives (instant vector, range vector, scalar, string), as
// Prometheus's type checks name them.
import type { Expr, ValueType } from "./ast.ts";
import { SIGNATURES } from "./signatures.ts";

/** The type of value an expression gives. */
export function typeOf(expr: Expr): ValueType {
  switch (expr.type) {
    case "vector":
    case "aggregate":
      return "vector";
    case "matrix":
    case "subquery":
      return "matrix";
    case "number":
      return "scalar";
    case "string":
      return "string";
    case "paren":
    case "unary":
      return typeOf(expr.expr);
    case "call":
      return SIGNATURES[expr.func]?.returns ?? "vector";
    case "binary":
      return typeOf(expr.lhs) === "scalar" && typeOf(expr.rhs) === "scalar" ? "scalar" : "vector";
  }
}

export function typeName(type: ValueType): string {
  return { vector: "instant vector", matrix: "range vector", scalar: "scalar", string: "string" }[
    type
  ];
}
