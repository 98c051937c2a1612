import { attachShards } from "@vigil/db/shards";
const u = process.env.U!;
await attachShards(u, [0, 1].map((k) => u.replace(/(\/[a-z0-9_]+)$/, `$1_s${k}`)));
console.log("attached");
