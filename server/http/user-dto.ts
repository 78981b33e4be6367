import type { UserDto } from "@/lib/schemas/users";
import type { UserRow } from "@/server/db/schema";

/** An account as admins see it: never its password hash. */
export function toUserDto(user: UserRow): UserDto {
  return { id: user.id, name: user.name, role: user.role, disabled: user.disabled, createdAt: user.createdAt.toISOString() };
}
