import { auth } from "@/auth/auth.ts";

// better-auth's own endpoints: sign-in, sign-out, session.
const handle = (request: Request) => auth().handler(request);
export const GET = handle;
export const POST = handle;
