import { keyRoute } from "@/api/key-route.ts";
import { deleteReceiver, getReceiver, updateReceiver } from "@/domain/alerting/receivers.ts";

type Params = { receiverId: string };

export const GET = keyRoute<Params>("admin", ({ principal, params }) =>
  getReceiver(principal.projectId, params.receiverId),
);

/** PUT /api/v1/alerts/receivers/{id} — changes the fields given; `enabled: true` re-enables it. */
export const PUT = keyRoute<Params>("admin", async ({ principal, params, json }) =>
  updateReceiver(principal.projectId, params.receiverId, await json()),
);

export const DELETE = keyRoute<Params>("admin", async ({ principal, params }) => {
  await deleteReceiver(principal.projectId, params.receiverId);
});
