import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { sessionUser } from "@/auth/auth.ts";
import { logger } from "@/lib/logger.ts";
import { appRouter } from "@/trpc/root.ts";

const handle = (request: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => ({ user: await sessionUser(request.headers) }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR")
        logger().error({ err: error, path }, "tRPC procedure failed");
    },
  });

export const GET = handle;
export const POST = handle;
