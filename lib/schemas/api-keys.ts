import { z } from "zod";

/** `POST /api/keys` (BITNET_AUTH=accounts): a new `/v1` key of the signed-in account, under a name. */
export const createApiKeySchema = z.object({
  name: z.string({ error: "name is required" }).trim().min(1, "name must not be empty").max(60, "name must be at most 60 characters"),
});

export interface ApiKeyDto {
  id: string;
  name: string;
  createdAt: string;
}

/** The answer to `POST /api/keys`: the key itself, shown this once. */
export interface CreatedApiKeyDto extends ApiKeyDto {
  key: string;
}
