/**
 * The Store on SQLite: the synchronous better-sqlite3 repositories behind the async interface.
 *
 * better-sqlite3 has one connection and synchronous transactions: its `db.transaction()` cannot hold
 * an async callback open (it would commit at the first `await`). So a transaction here is BEGIN
 * IMMEDIATE … COMMIT on the connection around the awaited callback, and while it is open every
 * other caller of this store waits for it to end: otherwise another request's statement, run
 * between two awaits of the callback, would join (and could roll back with) this transaction.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { bindRepo } from "./bind-repo";
import * as conversationsRepo from "./conversations-repo";
import * as messageTokensRepo from "./message-tokens-repo";
import * as messagesRepo from "./messages-repo";
import type { OpenDatabase } from "./open-database";
import * as presetsRepo from "./presets-repo";
import * as sessionsRepo from "./sessions-repo";
import * as usersRepo from "./users-repo";
import * as apiKeysRepo from "./api-keys-repo";
import { searchConversations } from "./search-repo";
import type { ConversationsStore, MessagesStore, MessageTokensStore, PresetsStore, SearchStore, SessionsStore, Store, UsersStore, ApiKeysStore } from "./store";

/** The one open transaction of a connection, if any: who owns it and when it ends. */
class TransactionGate {
  private open: Promise<void> | null = null;
  private readonly owner = new AsyncLocalStorage<TransactionGate>();

  /** Runs `work` when no transaction is open (it may not be called from inside one: that would wait forever). */
  async outside<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.owner.getStore() === this) {
      throw new Error("The outer store was used inside its own transaction; use the transaction's `tx`.");
    }
    while (this.open) await this.open;
    return work();
  }

  /** Runs `body` as the only transaction; others wait for it. */
  async exclusive<T>(body: () => Promise<T>): Promise<T> {
    return this.outside(async () => {
      let release!: () => void;
      this.open = new Promise((resolve) => (release = resolve));
      try {
        return await this.owner.run(this, body);
      } finally {
        this.open = null;
        release();
      }
    });
  }
}

class SqliteStore implements Store {
  readonly dialect = "sqlite" as const;
  readonly conversations: ConversationsStore;
  readonly messages: MessagesStore;
  readonly messageTokens: MessageTokensStore;
  readonly presets: PresetsStore;
  readonly search: SearchStore;
  readonly sessions: SessionsStore;
  readonly users: UsersStore;
  readonly apiKeys: ApiKeysStore;
  private savepoints = 0;

  constructor(
    private readonly open: OpenDatabase,
    private readonly gate: TransactionGate,
    /** True for the `tx` handed to a transaction's callback: it runs directly, on the open transaction. */
    private readonly inTransaction: boolean,
  ) {
    const run = <T>(work: () => T | Promise<T>): Promise<T> => (inTransaction ? Promise.resolve().then(work) : gate.outside(work));
    this.conversations = bindRepo(conversationsRepo, open.db, run);
    this.messages = bindRepo(messagesRepo, open.db, run);
    this.messageTokens = bindRepo(messageTokensRepo, open.db, run);
    this.presets = bindRepo(presetsRepo, open.db, run);
    this.search = bindRepo({ searchConversations }, open.db, run);
    this.sessions = bindRepo(sessionsRepo, open.db, run);
    this.users = bindRepo(usersRepo, open.db, run);
    this.apiKeys = bindRepo(apiKeysRepo, open.db, run);
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const { sqlite } = this.open;
    if (this.inTransaction) {
      const name = `sp${++this.savepoints}`;
      sqlite.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn(this);
        sqlite.exec(`RELEASE ${name}`);
        return result;
      } catch (error) {
        sqlite.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw error;
      }
    }
    return this.gate.exclusive(async () => {
      // IMMEDIATE takes the write lock now, so a second process (the migrate CLI) cannot make this
      // transaction fail half-way with SQLITE_BUSY on its first write.
      sqlite.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(new SqliteStore(this.open, this.gate, true));
        sqlite.exec("COMMIT");
        return result;
      } catch (error) {
        if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
        throw error;
      }
    });
  }

  /**
   * Not behind the gate: `SELECT 1` reads nothing a transaction could change or roll back, and the health
   * check must not wait for a long transaction (a bundle import works in slices inside one).
   */
  async ping(): Promise<void> {
    this.open.sqlite.prepare("SELECT 1").get();
  }
}

export function sqliteStore(open: OpenDatabase): Store {
  return new SqliteStore(open, new TransactionGate(), false);
}
