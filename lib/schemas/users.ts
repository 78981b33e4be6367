import { z } from "zod";
import { userRoleSchema } from "./session";

const password = z.string({ error: "password must be a string" }).min(8, "password must be at least 8 characters").max(1_000, "password must be at most 1000 characters");

/** `POST /api/users` (admins): a new account. */
export const createUserSchema = z.object({
  name: z
    .string({ error: "name is required" })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, "name is 1–32 letters, digits, '.', '_' or '-', starting with a letter or digit"),
  password,
  role: userRoleSchema.default("user"),
});
export type CreateUserRequest = z.infer<typeof createUserSchema>;

/** `PATCH /api/users/{id}` (admins): any of role, disabled, a new password. Disabling or a new password ends the account's sessions. */
export const updateUserSchema = z
  .object({ role: userRoleSchema.optional(), disabled: z.boolean().optional(), password: password.optional() })
  .refine((body) => Object.keys(body).length > 0, { message: "Give role, disabled or password" });

/** `DELETE /api/users/{id}?keepData=1`: the account's conversations and presets go to the admin deleting it instead of being deleted. */
export const deleteUserQuerySchema = z.object({ keepData: z.enum(["0", "1"]).default("0") });

export interface UserDto {
  id: string;
  name: string;
  role: "admin" | "user";
  disabled: boolean;
  createdAt: string;
}
