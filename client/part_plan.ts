// Moved to client/upload/part_plan.ts (issue 13). This re-export keeps branches written against the old path compiling
// while they are merged; import the new path, and delete this file once nothing imports it.
export * from "./upload/part_plan.ts";
