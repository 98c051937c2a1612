import { describe, expect, it } from "vitest";
import { runsDemo } from "./launch.ts";

describe("whether npm start runs the demo fleet", () => {
  it("does on the embedded database, unless VIGIL_DEMO=0", () => {
    expect(runsDemo(undefined, true)).toBe(true);
    expect(runsDemo(false, true)).toBe(false);
  });

  it("does not with DATABASE_URL, unless VIGIL_DEMO=1", () => {
    expect(runsDemo(undefined, false)).toBe(false);
    expect(runsDemo(true, false)).toBe(true);
  });
});
