import { db, isUniqueViolation } from "@vigil/db";
import { z } from "zod";
import { seal, unseal } from "../../lib/secret-box.ts";
import { BlockedTarget, resolveTarget } from "../../net/outbound.ts";
import { outboundPolicy } from "../../net/policy.ts";
import { DomainError } from "../errors.ts";
import { parseInput } from "../telemetry/query-params.ts";
import { alertmanagerBody } from "./alertmanager-payload.ts";
import { checkBodyTemplate } from "./body-template.ts";
import { newWebhookSecret, signWebhook } from "./webhook-signature.ts";

// Webhook receivers: a URL (checked against SSRF on every save), extra headers and signing
// secrets kept sealed, and an optional body template. A secret is shown once, when created.

/** During a rotation the previous secret keeps signing this long. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
]);

const headerMap = z
  .record(
    z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "header names use letters, digits and - _ ."),
    z
      .string()
      .max(4000)
      .refine((value) => !/[\r\n]/.test(value), "header values are one line"),
  )
  .superRefine((headers, context) => {
    for (const name of Object.keys(headers))
      if (RESERVED_HEADERS.has(name.toLowerCase()))
        context.addIssue({
          code: "custom",
          path: [name],
          message: `${name} is set by Vigil and cannot be overridden`,
        });
  });

const sampleBody = alertmanagerBody({
  receiver: "example",
  groupKey: "0:{}",
  groupLabels: { alertname: "Example" },
  alerts: [
    {
      status: "firing",
      labels: { alertname: "Example", service: "checkout" },
      annotations: { summary: 'a "quoted" summary' },
      startsAt: new Date(0),
      endsAt: null,
      generatorURL: "http://vigil.example",
    },
  ],
  externalURL: "http://vigil.example",
});

export const receiverInput = z.object({
  name: z
    .string({ error: "name is required" })
    .trim()
    .min(1, "name is required")
    .max(80, "name is at most 80 characters"),
  url: z.string({ error: "url is required" }).trim().min(1, "url is required").max(2000),
  headers: headerMap.optional(),
  bodyTemplate: z
    .string()
    .max(20_000)
    .nullable()
    .optional()
    .superRefine((template, context) => {
      if (!template) return;
      try {
        checkBodyTemplate(template, sampleBody);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  enabled: z.boolean().optional(),
  /** Only for provisioning: use this secret instead of generating one. */
  secret: z.string().startsWith("whsec_", "secret must be a whsec_ secret").optional(),
});
export type ReceiverInput = z.input<typeof receiverInput>;

type StoredSecret = { secret: string; addedAt: number };

/** Refuses a URL Vigil may not send to, with the reason (the same check runs on every delivery). */
export async function checkReceiverUrl(url: string): Promise<void> {
  try {
    await resolveTarget(url, outboundPolicy());
  } catch (error) {
    if (error instanceof BlockedTarget)
      throw new DomainError("BAD_REQUEST", `url: ${error.message}`);
    throw error;
  }
}

function checkSecret(secret: string): void {
  try {
    signWebhook({ id: "msg_check", timestampSeconds: 0, body: "", secrets: [secret] });
  } catch (error) {
    throw new DomainError("BAD_REQUEST", `secret: ${(error as Error).message}`);
  }
}

function view(row: {
  id: string;
  name: string;
  url: string;
  headersSealed: string | null;
  bodyTemplate: string | null;
  disabledAt: Date | null;
  disabledReason: string;
  provisioned: boolean;
  createdAt: Date;
}) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    /** Header names only: values may be credentials and are never shown again. */
    headerNames: row.headersSealed
      ? Object.keys(JSON.parse(unseal(row.headersSealed)) as object)
      : [],
    bodyTemplate: row.bodyTemplate,
    enabled: row.disabledAt === null,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
    provisioned: row.provisioned,
    createdAt: row.createdAt,
  };
}
export type ReceiverView = ReturnType<typeof view>;

export async function listReceivers(projectId: string): Promise<ReceiverView[]> {
  const rows = await db().prisma.alertReceiver.findMany({
    where: { projectId },
    orderBy: { name: "asc" },
  });
  return rows.map(view);
}

/** The project's receiver by id; NOT_FOUND for an unknown or malformed id. */
export async function receiverRow(projectId: string, id: string) {
  const row = z.uuid().safeParse(id).success
    ? await db().prisma.alertReceiver.findUnique({ where: { projectId_id: { projectId, id } } })
    : null;
  if (!row) throw new DomainError("NOT_FOUND", "No such receiver in this project");
  return row;
}

export async function getReceiver(projectId: string, id: string): Promise<ReceiverView> {
  return view(await receiverRow(projectId, id));
}

async function uniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError("CONFLICT", `A receiver named ${name} already exists in this project`);
    throw error;
  }
}

/** Creates a receiver; the answer holds its signing secret, which is never shown again. */
export async function createReceiver(projectId: string, input: unknown, provisioned = false) {
  const data = parseInput(receiverInput, input);
  await checkReceiverUrl(data.url);
  const secret = data.secret ?? newWebhookSecret();
  checkSecret(secret);
  const stored: StoredSecret[] = [{ secret, addedAt: Date.now() }];
  const row = await uniqueName(
    () =>
      db().prisma.alertReceiver.create({
        data: {
          projectId,
          name: data.name,
          url: data.url,
          headersSealed:
            data.headers && Object.keys(data.headers).length
              ? seal(JSON.stringify(data.headers))
              : null,
          secretsSealed: seal(JSON.stringify(stored)),
          bodyTemplate: data.bodyTemplate || null,
          disabledAt: data.enabled === false ? new Date() : null,
          disabledReason: data.enabled === false ? "disabled by a user" : "",
          provisioned,
        },
      }),
    data.name,
  );
  return { receiver: view(row), secret };
}

/** Changes what is given; `enabled: true` also re-enables a receiver that answered 410. */
export async function updateReceiver(
  projectId: string,
  id: string,
  input: unknown,
  provisioned?: boolean,
) {
  const current = await receiverRow(projectId, id);
  const data = parseInput(receiverInput.partial(), input);
  if (data.url !== undefined) await checkReceiverUrl(data.url);
  if (data.secret !== undefined) checkSecret(data.secret);
  const enabled =
    data.enabled === undefined
      ? {}
      : data.enabled
        ? { disabledAt: null, disabledReason: "" }
        : {
            disabledAt: current.disabledAt ?? new Date(),
            disabledReason: current.disabledReason || "disabled by a user",
          };
  const row = await uniqueName(
    () =>
      db().prisma.alertReceiver.update({
        where: { projectId_id: { projectId, id } },
        data: {
          ...(data.name !== undefined ? { name: data.name } : {}),
          ...(data.url !== undefined ? { url: data.url } : {}),
          ...(data.headers !== undefined
            ? {
                headersSealed: Object.keys(data.headers).length
                  ? seal(JSON.stringify(data.headers))
                  : null,
              }
            : {}),
          ...(data.bodyTemplate !== undefined ? { bodyTemplate: data.bodyTemplate || null } : {}),
          ...(data.secret !== undefined
            ? {
                secretsSealed: seal(JSON.stringify([{ secret: data.secret, addedAt: Date.now() }])),
              }
            : {}),
          ...(provisioned !== undefined ? { provisioned } : {}),
          ...enabled,
          updatedAt: new Date(),
        },
      }),
    data.name ?? current.name,
  );
  return view(row);
}

export async function deleteReceiver(projectId: string, id: string): Promise<void> {
  await receiverRow(projectId, id);
  await db().prisma.alertReceiver.delete({ where: { projectId_id: { projectId, id } } });
}

/** A new signing secret, shown once; the previous one keeps signing for 24 hours. */
export async function rotateSecret(projectId: string, id: string): Promise<{ secret: string }> {
  const row = await receiverRow(projectId, id);
  const now = Date.now();
  const secret = newWebhookSecret();
  const previous = (JSON.parse(unseal(row.secretsSealed)) as StoredSecret[])[0];
  const stored: StoredSecret[] = [{ secret, addedAt: now }, ...(previous ? [previous] : [])];
  await db().prisma.alertReceiver.update({
    where: { projectId_id: { projectId, id } },
    data: { secretsSealed: seal(JSON.stringify(stored)), updatedAt: new Date() },
  });
  return { secret };
}

/** What a delivery needs: the URL, the extra headers and every secret that still signs. */
export function deliveryMaterial(row: {
  url: string;
  headersSealed: string | null;
  secretsSealed: string;
}) {
  const stored = JSON.parse(unseal(row.secretsSealed)) as StoredSecret[];
  const newest = stored[0]?.addedAt ?? 0;
  return {
    url: row.url,
    headers: row.headersSealed
      ? (JSON.parse(unseal(row.headersSealed)) as Record<string, string>)
      : {},
    secrets: stored
      .filter((_entry, index) => index === 0 || Date.now() - newest < ROTATION_OVERLAP_MS)
      .map((entry) => entry.secret),
  };
}
