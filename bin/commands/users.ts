/**
 * `bitnet users add NAME [--admin]`, `bitnet users list`: accounts for BITNET_AUTH=accounts, in the database
 * the app uses (DATABASE_URL or DATABASE_PATH, migrated first). The password is read from a prompt that does
 * not echo it, or — when standard input is not a terminal — from its first line; it is never printed.
 */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { createUser } from "@/server/auth/users";
import { closeDatabase, getDb } from "@/server/db/connection";
import { parseCommandArgsWithPositionals } from "./args";

const HELP = `Usage: bitnet users add NAME [--admin]
       bitnet users list

Accounts of a server run with BITNET_AUTH=accounts (docs/security.md, "A team server"), in the database of
DATABASE_URL or DATABASE_PATH (default ./data/bitnet-chat.db).

  add NAME      create an account; the password is asked for (not echoed), or read from the first line of
                standard input when it is not a terminal: echo "$PASSWORD" | bitnet users add alice
  --admin       the account manages users (the first admin also receives the conversations and presets
                written before accounts were used)
  list          names, roles and whether each is disabled`;

/** One line typed at a prompt whose echo is swallowed. */
function promptHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise((resolve) => {
    rl.question("", (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
  });
}

async function firstLineOfStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/)[0] ?? "";
}

export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return firstLineOfStdin();
  const password = await promptHidden("Password: ");
  if ((await promptHidden("Password again: ")) !== password) throw new Error("The two passwords differ");
  return password;
}

export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgsWithPositionals(argv, { admin: { type: "boolean" } });
  const [action, name, ...extra] = positionals;
  if (values.help || !action) {
    console.log(HELP);
    return;
  }
  try {
    if (action === "add" && name && extra.length === 0) {
      const user = await createUser(getDb(), { name, password: await readPassword(), role: values.admin ? "admin" : "user" });
      console.log(`Created ${user.role} ${user.name}.`);
    } else if (action === "list" && !name) {
      for (const user of await getDb().users.listUsers()) console.log(`${user.name}\t${user.role}${user.disabled ? "\tdisabled" : ""}`);
    } else {
      throw new Error(`unexpected arguments\n\n${HELP}`);
    }
  } finally {
    await closeDatabase();
  }
}
