import { describe, expect, it } from "vitest";
import { hashPassword, SCRYPT_LOG_N, verifyPassword } from "./password-hash";

describe("password hashes", () => {
  it("are salted scrypt strings naming their parameters, never containing the password", async () => {
    const [a, b] = await Promise.all([hashPassword("correct horse"), hashPassword("correct horse")]);
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(SCRYPT_LOG_N).toBe(15);
    expect(a).not.toBe(b);
    expect(a).not.toContain("correct");
  });

  it("verify the password they were made from only; a malformed hash verifies nothing", async () => {
    const stored = await hashPassword("correct horse");
    expect(await verifyPassword("correct horse", stored)).toBe(true);
    expect(await verifyPassword("correct horsf", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
    for (const bad of ["", "!", "scrypt$15$8$1$salt", `${stored.slice(0, -2)}`]) expect(await verifyPassword("correct horse", bad)).toBe(false);
  });
});
