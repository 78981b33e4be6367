/** Choosing and configuring the store from the environment; user input as a tsquery; what counts as "unreachable". */
import { describe, expect, it } from "vitest";
import { poolSizeFromEnv, postgresUrlFromEnv } from "./connection";
import { DatabaseUnreachableError, isConnectionFailure } from "./database-unreachable";
import { toFtsQuery, toTsQuery } from "./fts-query";

describe("store configuration", () => {
  it("DATABASE_URL selects PostgreSQL only for postgres:// URLs; unset means SQLite", () => {
    expect(postgresUrlFromEnv(undefined)).toBeNull();
    expect(postgresUrlFromEnv("")).toBeNull();
    expect(postgresUrlFromEnv("postgres://u@h/db")).toBe("postgres://u@h/db");
    expect(postgresUrlFromEnv("postgresql://u@h/db")).toBe("postgresql://u@h/db");
    expect(() => postgresUrlFromEnv("mysql://u@h/db")).toThrow(/DATABASE_URL must be a postgres:\/\//);
  });

  it("BITNET_DB_POOL_SIZE: default 10, a whole number from 1 to 1000, else a clear error", () => {
    expect(poolSizeFromEnv(undefined)).toBe(10);
    expect(poolSizeFromEnv("25")).toBe(25);
    for (const bad of ["0", "-1", "2.5", "lots", "1001"]) expect(() => poolSizeFromEnv(bad)).toThrow(/BITNET_DB_POOL_SIZE must be a whole number/);
  });
});

describe("search queries from user input", () => {
  it("the same words for both dialects: required prefix terms, syntax as plain text, hyphenated parts as a phrase", () => {
    expect(toFtsQuery("hello wor")).toBe('"hello"* "wor"*');
    expect(toTsQuery("hello wor")).toBe("'hello':* & 'wor':*");
    expect(toTsQuery("rocket-sha")).toBe("'rocket' <-> 'sha':*");
    expect(toTsQuery("a & b | !c <-> 'd':*")).toBe("'a':* & 'b':* & 'c':* & 'd':*");
    expect(toTsQuery("?!… ***")).toBeNull();
    expect(toFtsQuery("?!…")).toBeNull();
  });
});

describe("database unreachable", () => {
  it("recognises connection failures through wrappers, not query errors", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(isConnectionFailure(new Error("Failed query: select 1", { cause: refused }))).toBe(true);
    expect(isConnectionFailure(new AggregateError([refused], ""))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error("the database system is shutting down"), { code: "57P03" }))).toBe(true);
    expect(isConnectionFailure(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(new DatabaseUnreachableError(refused).message).toMatch(/^database unreachable: connect ECONNREFUSED/);
  });
});
