// Reading the nodes of the Prometheus grammar's tree: their text, children, strings and durations,
// with a query's parse errors said as Prometheus says them (`bad_data`, with the position).
import type { SyntaxNode } from "@lezer/common";
import { PromQLError } from "./ast.ts";
import { parseDuration, unquote } from "./literals.ts";

export class SyntaxReader {
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  fail(node: SyntaxNode | null, message: string): never {
    const at = node ? ` at char ${node.from + 1}` : "";
    throw new PromQLError("bad_data", `parse error${at}: ${message}`);
  }

  source(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  children(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
    return out;
  }

  describe(node: SyntaxNode): string {
    const text = this.source(node);
    return text ? `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"` : "end of input";
  }

  only(node: SyntaxNode): SyntaxNode {
    const inner = this.children(node).find((child) => child.type.isTop || isExpr(child));
    if (!inner) this.fail(node, "expected an expression");
    return inner;
  }

  string(node: SyntaxNode): string {
    try {
      return unquote(this.source(node));
    } catch (error) {
      return this.fail(node, (error as Error).message);
    }
  }

  duration(node: SyntaxNode | undefined, what: string): number {
    if (!node) return this.fail(null, `missing ${what}`);
    const parts = this.children(node);
    const literal = parts.length === 1 ? parts[0] : undefined;
    if (literal?.name !== "NumberDurationLiteralInDurationContext") {
      if (parts[0]?.name === "UnaryOp" && parts[1]) {
        const sign = this.source(parts[0]) === "-" ? -1 : 1;
        return sign * this.duration(parts[1], what);
      }
      return this.fail(
        node,
        `duration arithmetic (${this.source(node)}) is not supported by Vigil`,
      );
    }
    try {
      return parseDuration(this.source(literal));
    } catch (error) {
      return this.fail(node, (error as Error).message);
    }
  }
}

function isExpr(node: SyntaxNode): boolean {
  return node.type.is("Expr");
}
