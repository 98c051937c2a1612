// What the global setup hands every test file (vitest's provide/inject).
declare module "vitest" {
  export interface ProvidedContext {
    /** A maintenance-database URL on the test server; test files create their databases there. */
    pgAdminUrl: string;
    /** A migrated database that test databases are copied from. */
    pgTemplate: string;
  }
}

export {};
