import { describe, expect, it } from "vitest";
import { startVigil } from "./index.ts";

describe("startVigil", () => {
  it.each([
    [undefined, /`service` is required/],
    [{ service: "checkout", key: "k" }, /`endpoint` must be the control plane's URL/],
    [{ service: "checkout", endpoint: "ftp://vigil", key: "k" }, /http or https/],
    [{ service: "checkout", endpoint: "http://vigil:3000" }, /`key` is required/],
  ])("warns once and returns an inactive handle for bad options (%j)", async (options, problem) => {
    const warnings: string[] = [];
    const handle = startVigil(options, (message) => warnings.push(message));
    expect(handle.active).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(problem);
    await expect(handle.shutdown()).resolves.toBeUndefined();
  });

  it("is active with usable options", async () => {
    const warnings: string[] = [];
    const handle = startVigil(
      { service: "checkout", endpoint: "http://localhost:3000/", key: "vgl_ik_x" },
      (m) => warnings.push(m),
    );
    expect(handle.active).toBe(true);
    expect(warnings).toEqual([]);
    await handle.shutdown();
  });
});
