// Types the UI may import: no runtime code, nothing server-only.
export type { KeyScope, Role } from "./generated/prisma/enums.ts";
