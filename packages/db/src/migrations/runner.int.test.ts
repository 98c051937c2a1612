import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";
import { MigrationError, migrate } from "./runner.ts";

const dirs: string[] = [];
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "vigil-migrations-"));
  dirs.push(dir);
  await Promise.all(
    Object.entries(files).map(async ([name, sql]) => {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, "migration.sql"), sql);
    }),
  );
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const databases: TestDatabase[] = [];
async function emptyDatabase(): Promise<string> {
  const database = await createTestDatabase({ migrated: false });
  databases.push(database);
  return database.url;
}
afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("migration runner", () => {
  it("applies files in name order, whatever order the folders were written in", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({
      "20260102000000_second": "INSERT INTO steps VALUES ('second');",
      "20260101000000_first": "CREATE TABLE steps (name text); INSERT INTO steps VALUES ('first');",
      "20260103000000_third": "INSERT INTO steps VALUES ('third');",
    });
    const result = await migrate({ connectionString: url, dir });
    expect(result.applied).toEqual([
      "20260101000000_first",
      "20260102000000_second",
      "20260103000000_third",
    ]);
    const rows = await query<{ name: string }>(url, "SELECT name FROM steps");
    expect(rows.map((row) => row.name)).toEqual(["first", "second", "third"]);
  });

  it("is idempotent: a second run applies nothing, a new file alone is applied later", async () => {
    const url = await emptyDatabase();
    const files = {
      "20260101000000_init": "CREATE TABLE counter (n int); INSERT INTO counter VALUES (1);",
    };
    const dir = await migrationsDir(files);
    await migrate({ connectionString: url, dir });
    const again = await migrate({ connectionString: url, dir });
    expect(again).toEqual({ applied: [], alreadyApplied: 1 });

    await mkdir(join(dir, "20260102000000_more"));
    await writeFile(
      join(dir, "20260102000000_more", "migration.sql"),
      "UPDATE counter SET n = n + 1;",
    );
    const third = await migrate({ connectionString: url, dir });
    expect(third.applied).toEqual(["20260102000000_more"]);
    expect(await query(url, "SELECT n FROM counter")).toEqual([{ n: 2 }]);
  });

  it("refuses to run when an applied file was edited, and applies nothing", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({ "20260101000000_init": "CREATE TABLE a (id int);" });
    await migrate({ connectionString: url, dir });
    await writeFile(
      join(dir, "20260101000000_init", "migration.sql"),
      "CREATE TABLE a (id bigint);",
    );
    await mkdir(join(dir, "20260102000000_next"));
    await writeFile(join(dir, "20260102000000_next", "migration.sql"), "CREATE TABLE b (id int);");

    const run = migrate({ connectionString: url, dir });
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(/20260101000000_init was edited after it was applied/);
    expect(await query(url, "SELECT to_regclass('b') AS b")).toEqual([{ b: null }]);
  });

  it("refuses a database that has migrations this build does not know", async () => {
    const url = await emptyDatabase();
    const newer = await migrationsDir({
      "20260101000000_init": "CREATE TABLE a (id int);",
      "20260201000000_future": "CREATE TABLE f (id int);",
    });
    await migrate({ connectionString: url, dir: newer });
    const older = await migrationsDir({ "20260101000000_init": "CREATE TABLE a (id int);" });
    await expect(migrate({ connectionString: url, dir: older })).rejects.toThrow(
      /has migration 20260201000000_future, which this build does not contain/,
    );
  });

  it("rolls back a failing file entirely and records nothing for it", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({
      "20260101000000_ok": "CREATE TABLE ok (id int);",
      "20260102000000_broken": "CREATE TABLE half (id int); SELECT no_such_function();",
    });
    await expect(migrate({ connectionString: url, dir })).rejects.toThrow(
      /20260102000000_broken failed and was rolled back: .*no_such_function/,
    );
    const state = await query(
      url,
      "SELECT to_regclass('ok') IS NOT NULL AS ok, to_regclass('half') IS NOT NULL AS half",
    );
    expect(state).toEqual([{ ok: true, half: false }]);
    const ledger = await query<{ name: string }>(url, "SELECT name FROM vigil_migrations");
    expect(ledger.map((row) => row.name)).toEqual(["20260101000000_ok"]);
  });

  it("lets concurrent runners apply each file exactly once", async () => {
    const url = await emptyDatabase();
    // A slow first file widens the window in which the runners would race without the lock.
    const dir = await migrationsDir({
      "20260101000000_slow":
        "CREATE TABLE hits (n int); SELECT pg_sleep(0.3); INSERT INTO hits VALUES (1);",
      "20260102000000_next": "INSERT INTO hits VALUES (2);",
    });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => migrate({ connectionString: url, dir })),
    );
    const appliedCounts = results.map((result) => result.applied.length).sort();
    expect(appliedCounts).toEqual([0, 0, 0, 2]);
    expect(await query(url, "SELECT n FROM hits ORDER BY n")).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
