import { z } from "zod";

/** Body of `POST /api/model`. */
export const modelActionSchema = z.object({
  action: z.enum(["use-demo", "use-real", "retry"], { error: 'action must be "use-demo", "use-real" or "retry"' }),
});
export type ModelAction = z.infer<typeof modelActionSchema>["action"];
