"use client";

import {
  QueryClient,
  QueryClientProvider,
  type QueryKey,
  useQueryClient,
} from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useCallback, useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "./root.ts";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/**
 * Returns a function that re-reads a query after a write. A read still in flight may have started
 * before the write committed, and React Query would join it rather than start a new one, so it is
 * cancelled first.
 */
export function useRefetchAfterWrite() {
  const queryClient = useQueryClient();
  return useCallback(
    async (queryKey: QueryKey) => {
      await queryClient.cancelQueries({ queryKey });
      await queryClient.invalidateQueries({ queryKey });
    },
    [queryClient],
  );
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: 1 } } }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
