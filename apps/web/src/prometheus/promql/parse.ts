// PromQL text → the syntax tree of ast.ts, through the Prometheus project's own grammar
// (@prometheus-io/lezer-promql), with Prometheus's type checks: a query that would not parse in
// Prometheus gets a `bad_data` error saying what is wrong and where.
import type { SyntaxNode } from "@lezer/common";
import { parser } from "@prometheus-io/lezer-promql";
import { anchoredRegex } from "../../lib/label-match.ts";
import {
  type AggregateOp,
  type Expr,
  type Matcher,
  PromQLError,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from "./ast.ts";
import { BINARY_OPS, COMPARISONS, MATCH_OPS, SET_OPS, UNSUPPORTED } from "./grammar-names.ts";
import { parseNumber } from "./literals.ts";
import { AGGREGATE_PARAMS, SIGNATURES } from "./signatures.ts";
import { SyntaxReader } from "./syntax-reader.ts";
import { typeName, typeOf } from "./value-types.ts";

const MAX_QUERY_LENGTH = 64 * 1024;

class Parser extends SyntaxReader {
  expr(node: SyntaxNode): Expr {
    const unsupported = UNSUPPORTED[node.name];
    if (unsupported) this.fail(node, `${unsupported} is not supported by Vigil`);
    switch (node.name) {
      case "NumberDurationLiteral":
        return { type: "number", value: parseNumber(this.source(node)) };
      case "StringLiteral":
        return { type: "string", value: this.string(node) };
      case "ParenExpr":
        return { type: "paren", expr: this.expr(this.only(node)) };
      case "UnaryExpr":
        return this.unary(node);
      case "VectorSelector":
        return this.vectorSelector(node);
      case "MatrixSelector":
        return this.matrix(node);
      case "SubqueryExpr":
        return this.subquery(node);
      case "OffsetExpr":
      case "StepInvariantExpr":
        return this.modifier(node);
      case "BinaryExpr":
        return this.binary(node);
      case "FunctionCall":
        return this.call(node);
      case "AggregateExpr":
        return this.aggregate(node);
      default:
        return this.fail(node, `unexpected ${this.describe(node)}`);
    }
  }

  unary(node: SyntaxNode): Expr {
    const [op, operand] = this.children(node);
    if (!op || !operand) return this.fail(node, "expected an expression after the sign");
    const expr = this.expr(operand);
    const type = typeOf(expr);
    if (type !== "scalar" && type !== "vector")
      this.fail(
        node,
        `unary expression only allowed on expressions of type scalar or instant vector, got ${typeName(type)}`,
      );
    if (this.source(op) === "+") return expr;
    if (expr.type === "number") return { type: "number", value: -expr.value };
    return { type: "unary", expr };
  }

  vectorSelector(node: SyntaxNode): VectorSelector {
    let name: string | null = null;
    const matchers: Matcher[] = [];
    for (const child of this.children(node)) {
      if (child.name === "Identifier") name = this.source(child);
      else if (child.name === "LabelMatchers") {
        for (const item of this.children(child)) {
          if (item.name === "QuotedLabelName") {
            name = this.string(this.children(item)[0] as SyntaxNode);
            continue;
          }
          if (item.name !== "UnquotedLabelMatcher" && item.name !== "QuotedLabelMatcher")
            this.fail(item, `unexpected ${this.describe(item)} in label matching`);
          const [label, op, value] = this.children(item);
          if (!label || !op || !value) this.fail(item, "expected a label matcher");
          const labelName =
            label.name === "LabelName"
              ? this.source(label)
              : this.string(this.children(label)[0] ?? label);
          const matchOp = MATCH_OPS[this.children(op)[0]?.name ?? ""];
          if (!matchOp) this.fail(op, `unexpected ${this.describe(op)}`);
          const text = this.string(value);
          if (matchOp === "=~" || matchOp === "!~") {
            try {
              anchoredRegex(text);
            } catch (error) {
              this.fail(value, `error parsing regexp: ${(error as Error).message}`);
            }
          }
          matchers.push({ name: labelName, op: matchOp, value: text });
        }
      }
    }
    if (name !== null) {
      if (matchers.some((m) => m.name === "__name__"))
        this.fail(node, `metric name must not be set twice: "${name}"`);
      matchers.unshift({ name: "__name__", op: "=", value: name });
    }
    if (!matchers.some((m) => !matchesEmpty(m)))
      this.fail(node, "vector selector must contain at least one non-empty matcher");
    return { type: "vector", name, matchers, offsetMs: 0, at: null };
  }

  matrix(node: SyntaxNode): Expr {
    const [inner, range] = this.children(node);
    if (!inner) return this.fail(node, "expected a vector selector");
    const vector = this.expr(inner);
    if (vector.type !== "vector") this.fail(node, "ranges only allowed for vector selectors");
    if (vector.offsetMs !== 0 || vector.at !== null)
      this.fail(node, "no offset or @ modifiers allowed before range");
    return { type: "matrix", vector, rangeMs: this.duration(range, "range") };
  }

  subquery(node: SyntaxNode): Expr {
    const [inner, range, step] = this.children(node).filter((c) => c.name !== "⚠");
    if (!inner) return this.fail(node, "expected an expression");
    const expr = this.expr(inner);
    if (typeOf(expr) !== "vector")
      this.fail(node, `subquery is only allowed on instant vector, got ${typeName(typeOf(expr))}`);
    const rangeMs = this.duration(range, "subquery range");
    const stepMs = step ? this.duration(step, "subquery step") : 0;
    if (stepMs < 0) this.fail(node, "subquery step must be positive");
    return { type: "subquery", expr, rangeMs, stepMs, offsetMs: 0, at: null };
  }

  /** `offset` or `@` after an expression: it belongs to the selector or subquery nearest it. */
  modifier(node: SyntaxNode): Expr {
    const parts = this.children(node);
    const inner = parts[0];
    if (!inner) return this.fail(node, "expected an expression");
    const expr = this.expr(inner);
    const target = rightmost(expr);
    const where =
      target.type === "matrix"
        ? target.vector
        : target.type === "vector" || target.type === "subquery"
          ? target
          : null;
    if (!where)
      this.fail(
        node,
        "offset and @ modifiers must be preceded by an instant vector selector, a range vector selector or a subquery",
      );
    if (node.name === "OffsetExpr") {
      if (where.offsetMs !== 0) this.fail(node, "offset may not be set multiple times");
      where.offsetMs = this.offset(parts[2]);
    } else {
      if (where.at !== null) this.fail(node, "@ <timestamp> may not be set multiple times");
      const value = parts[2];
      if (value?.name === "AtModifierPreprocessors")
        where.at = this.children(value)[0]?.name === "AtStart" ? "start" : "end";
      else if (value?.name === "NumberDurationLiteral") {
        const seconds = parseNumber(this.source(value));
        if (!Number.isFinite(seconds)) this.fail(value, "timestamp out of bounds for @ modifier");
        where.at = Math.round(seconds * 1000);
      } else this.fail(node, "expected a timestamp, start() or end() after @");
    }
    return expr;
  }

  offset(node: SyntaxNode | undefined): number {
    if (!node) return this.fail(null, "missing offset duration");
    const parts = this.children(node);
    if (parts[0]?.name === "UnaryOp") {
      const sign = this.source(parts[0]) === "-" ? -1 : 1;
      return sign * this.offset(parts[1]);
    }
    return this.duration(node, "offset");
  }

  binary(node: SyntaxNode): Expr {
    const parts = this.children(node);
    const [left, opNode] = parts;
    const right = parts[parts.length - 1];
    if (!left || !opNode || !right || right === opNode)
      return this.fail(node, "expected an operand");
    const unsupported = UNSUPPORTED[opNode.name];
    if (unsupported) this.fail(opNode, `${unsupported} is not supported by Vigil`);
    const op = BINARY_OPS[opNode.name];
    if (!op) return this.fail(opNode, `unexpected ${this.describe(opNode)}`);
    let bool = false;
    const matching: VectorMatching = { on: false, labels: [], card: "one-to-one", include: [] };
    let explicitMatching = false;
    for (const part of parts.slice(2, -1)) {
      if (part.name === "BoolModifier") bool = true;
      else if (part.name === "FillModifier")
        this.fail(part, "fill modifiers of binary operators are not supported by Vigil");
      else if (part.name === "MatchingModifierClause") {
        explicitMatching = true;
        const clause = this.children(part);
        matching.on = clause[0]?.name === "On";
        matching.labels = this.grouping(clause[1]);
        const group = clause[2];
        if (group) {
          matching.card = group.name === "GroupLeft" ? "many-to-one" : "one-to-many";
          matching.include = clause[3] ? this.grouping(clause[3]) : [];
        }
      }
    }
    const lhs = this.expr(left);
    const rhs = this.expr(right);
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    for (const [side, type] of [
      ["left", lt],
      ["right", rt],
    ] as const) {
      if (type !== "scalar" && type !== "vector")
        this.fail(
          node,
          `binary expression must contain only scalar and instant vector types (the ${side} side is a ${typeName(type)})`,
        );
    }
    if (bool && !COMPARISONS.has(op))
      this.fail(node, "bool modifier can only be used on comparison operators");
    if (COMPARISONS.has(op) && lt === "scalar" && rt === "scalar" && !bool)
      this.fail(node, "comparisons between scalars must use BOOL modifier");
    if (SET_OPS.has(op)) {
      if (lt !== "vector" || rt !== "vector")
        this.fail(node, `set operator "${op}" not allowed in binary scalar expression`);
      if (matching.card !== "one-to-one")
        this.fail(node, `no grouping allowed for "${op}" operation`);
      matching.card = "one-to-one";
    }
    if (explicitMatching && (lt !== "vector" || rt !== "vector"))
      this.fail(node, "vector matching only allowed between instant vectors");
    if (matching.on) {
      for (const name of matching.include)
        if (matching.labels.includes(name))
          this.fail(node, `label "${name}" must not occur in ON and GROUP clause at once`);
    }
    return { type: "binary", op, lhs, rhs, bool, matching };
  }

  grouping(node: SyntaxNode | undefined): string[] {
    if (!node) return [];
    return this.children(node).map((child) =>
      child.name === "LabelName"
        ? this.source(child)
        : this.string(this.children(child)[0] ?? child),
    );
  }

  args(body: SyntaxNode | undefined): Expr[] {
    if (!body) return [];
    return this.children(body)
      .filter(
        (child) =>
          child.name !== "⚠" || this.fail(child, "unexpected end of input in function call"),
      )
      .map((child) => this.expr(child));
  }

  call(node: SyntaxNode): Expr {
    const [identifier, body] = this.children(node);
    const name = identifier ? this.source(identifier) : "";
    const signature = SIGNATURES[name];
    if (!signature) return this.fail(node, `function "${name}" is not supported by Vigil`);
    const args = this.args(body);
    const min = signature.args.length - (signature.optional ?? 0);
    if (args.length < min || (!signature.variadic && args.length > signature.args.length))
      this.fail(
        node,
        `expected ${min === signature.args.length ? min : `${min} to ${signature.args.length}`} argument(s) in call to "${name}", got ${args.length}`,
      );
    args.forEach((arg, i) => {
      const wanted = signature.args[Math.min(i, signature.args.length - 1)] as ValueType;
      const got = typeOf(arg);
      if (got !== wanted)
        this.fail(
          node,
          `expected type ${typeName(wanted)} in call to function "${name}", got ${typeName(got)}`,
        );
    });
    return { type: "call", func: name, args };
  }

  aggregate(node: SyntaxNode): Expr {
    const parts = this.children(node);
    const opNode = parts[0];
    const opName = opNode ? this.source(opNode) : "";
    const known = [
      "sum",
      "avg",
      "min",
      "max",
      "count",
      "group",
      "stddev",
      "stdvar",
      "topk",
      "bottomk",
      "quantile",
      "count_values",
    ];
    if (!known.includes(opName))
      this.fail(node, `aggregation "${opName}" is not supported by Vigil`);
    const op = opName as AggregateOp;
    const modifier = parts.find((part) => part.name === "AggregateModifier");
    const body = parts.find((part) => part.name === "FunctionCallBody");
    const args = this.args(body);
    const paramType = AGGREGATE_PARAMS[op];
    const wanted = paramType ? 2 : 1;
    if (args.length !== wanted)
      this.fail(
        node,
        `wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`,
      );
    const expr = args[wanted - 1] as Expr;
    if (typeOf(expr) !== "vector")
      this.fail(
        node,
        `expected type instant vector in aggregation expression, got ${typeName(typeOf(expr))}`,
      );
    const param = paramType ? (args[0] as Expr) : null;
    if (param && typeOf(param) !== paramType)
      this.fail(
        node,
        `expected type ${typeName(paramType as ValueType)} in aggregation parameter, got ${typeName(typeOf(param))}`,
      );
    const modifierParts = modifier ? this.children(modifier) : [];
    return {
      type: "aggregate",
      op,
      expr,
      param,
      without: modifierParts[0]?.name === "Without",
      grouping: this.grouping(modifierParts[1]),
    };
  }
}

/** Where a trailing `offset` or `@` attaches: the right-most operand of an operator chain. */
function rightmost(expr: Expr): Expr {
  if (expr.type === "binary") return rightmost(expr.rhs);
  if (expr.type === "unary") return rightmost(expr.expr);
  return expr;
}

function matchesEmpty(m: Matcher): boolean {
  switch (m.op) {
    case "=":
      return m.value === "";
    case "!=":
      return m.value !== "";
    case "=~":
      return safeTest(m.value, "");
    case "!~":
      return !safeTest(m.value, "");
  }
}

function safeTest(pattern: string, value: string): boolean {
  return anchoredRegex(pattern).matches(value);
}

/** Parses a PromQL expression; a query Prometheus would refuse is a `bad_data` PromQLError. */
export function parsePromQL(text: string): Expr {
  if (text.length > MAX_QUERY_LENGTH)
    throw new PromQLError(
      "bad_data",
      `the query is ${text.length} characters; at most ${MAX_QUERY_LENGTH} are accepted`,
    );
  if (!text.trim()) throw new PromQLError("bad_data", "parse error: no expression found in input");
  const tree = parser.parse(text);
  const p = new Parser(text);
  let error: SyntaxNode | null = null;
  tree.iterate({
    enter(node) {
      if (error) return false;
      if (node.type.isError) error = node.node;
      return undefined;
    },
  });
  if (error) {
    const at = error as SyntaxNode;
    const near = text.slice(at.from, at.from + 20);
    p.fail(at, near ? `unexpected "${near}"` : "unexpected end of input");
  }
  const top = tree.topNode.firstChild;
  if (!top) return p.fail(null, "no expression found in input");
  return p.expr(top);
}
