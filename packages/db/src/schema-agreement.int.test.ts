import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";

// The Prisma schema and the SQL migrations are written by hand; this proves they describe the
// same database: the same tables, columns, types, nullability and enum values.

type Column = { type: string; nullable: boolean };
type Shape = { tables: Record<string, Record<string, Column>>; enums: Record<string, string[]> };

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
};
type Dmmf = {
  datamodel: {
    models: { name: string; dbName: string | null; fields: DmmfField[] }[];
    enums: {
      name: string;
      dbName?: string | null;
      values: { name: string; dbName?: string | null }[];
    }[];
  };
};

const scalarTypes: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};
const nativeTypes: Record<string, (args: string[]) => string> = {
  Uuid: () => "uuid",
  Text: () => "text",
  Timestamptz: (args) => `timestamp(${args[0] ?? 6}) with time zone`,
  Timestamp: (args) => `timestamp(${args[0] ?? 6}) without time zone`,
  SmallInt: () => "smallint",
  Integer: () => "integer",
  BigInt: () => "bigint",
  DoublePrecision: () => "double precision",
  Real: () => "real",
  VarChar: (args) => (args[0] ? `character varying(${args[0]})` : "character varying"),
  JsonB: () => "jsonb",
  ByteA: () => "bytea",
};

async function schemaShape(): Promise<Shape> {
  const require = createRequire(import.meta.url);
  const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };
  const schema = await readFile(new URL("../prisma/schema.prisma", import.meta.url), "utf8");
  const dmmf = JSON.parse(
    wasm.get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schema]] })),
  ) as Dmmf;
  const enumNames = new Map(dmmf.datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const shape: Shape = { tables: {}, enums: {} };
  for (const e of dmmf.datamodel.enums) {
    shape.enums[e.dbName ?? e.name] = e.values.map((v) => v.dbName ?? v.name);
  }
  for (const model of dmmf.datamodel.models) {
    const columns: Record<string, Column> = {};
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      let type: string;
      if (field.kind === "enum") type = `enum ${enumNames.get(field.type)}`;
      else if (field.nativeType) {
        const [name, args] = field.nativeType;
        const native = nativeTypes[name];
        if (!native) throw new Error(`schema-agreement test: add native type @db.${name}`);
        type = native(args);
      } else type = scalarTypes[field.type] ?? `unknown ${field.type}`;
      if (field.isList) type = `${type}[]`;
      // Prisma cannot mark a scalar list optional; its own migrations make such columns nullable.
      columns[field.dbName ?? field.name] = { type, nullable: field.isList || !field.isRequired };
    }
    shape.tables[model.dbName ?? model.name] = columns;
  }
  return shape;
}

async function databaseShape(url: string): Promise<Shape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query<{
      table: string;
      column: string;
      type: string;
      nullable: boolean;
      enum: string | null;
    }>(`
      SELECT c.relname AS table, a.attname AS column,
             format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
             CASE WHEN t.typtype = 'e' THEN t.typname END AS enum
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      JOIN pg_type t ON t.oid = a.atttypid
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'vigil_migrations'`);
    const enums = await client.query<{ name: string; values: string[] }>(`
      SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
      GROUP BY t.typname`);
    const shape: Shape = { tables: {}, enums: {} };
    for (const row of columns.rows) {
      const table = shape.tables[row.table] ?? {};
      shape.tables[row.table] = table;
      table[row.column] = {
        type: row.enum ? `enum ${row.enum}` : row.type,
        nullable: row.nullable,
      };
    }
    for (const row of enums.rows) shape.enums[row.name] = row.values;
    return shape;
  } finally {
    await client.end();
  }
}

describe("the Prisma schema and the migrated database", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("have the same tables, columns, types, nullability and enums", async () => {
    const [fromSchema, fromDatabase] = await Promise.all([
      schemaShape(),
      databaseShape(database.url),
    ]);
    expect(Object.keys(fromSchema.tables).length).toBeGreaterThan(0);
    expect(fromDatabase).toEqual(fromSchema);
  });
});
