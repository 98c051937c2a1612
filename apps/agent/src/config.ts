export type VigilOptions = {
  /** The service's name (`service.name`). */
  service: string;
  /** The control plane's URL, e.g. http://vigil.internal:3000. */
  endpoint: string;
  /** An ingest key. */
  key: string;
};

export type ConfigResult = { ok: true; options: VigilOptions } | { ok: false; problem: string };

/** Checks options without throwing: the agent must never break the service it runs in. */
export function checkOptions(options: Partial<VigilOptions> | undefined): ConfigResult {
  if (!options?.service?.trim())
    return { ok: false, problem: "`service` is required (the service's name)" };
  if (!options.key?.trim())
    return { ok: false, problem: "`key` is required (an ingest key from Settings → API keys)" };
  let url: URL;
  try {
    url = new URL(options.endpoint ?? "");
  } catch {
    return {
      ok: false,
      problem: "`endpoint` must be the control plane's URL, e.g. http://localhost:3000",
    };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, problem: "`endpoint` must be an http or https URL" };
  }
  return {
    ok: true,
    options: { service: options.service.trim(), endpoint: url.origin, key: options.key.trim() },
  };
}
