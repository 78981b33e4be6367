/**
 * One account's view of the store (BITNET_AUTH=accounts): the chat layer is handed this instead of the whole
 * store, so every use case — list, search, read, write, export, token records, presets, efficiency — sees
 * only the account's conversations, and another account's ids look exactly like ids that do not exist
 * (the use cases' own 404s; no 403 to tell them apart).
 *
 * Lists and searches filter in SQL (`ownerId`); a call naming a conversation or message by id first checks
 * that it is the account's (one indexed read, remembered for the wrapper's life: a request or one answer).
 */
import type { Store } from "./store";

export function ownedStore(store: Store, ownerId: string): Store {
  const owned = new Set<string>();
  const ownsConversation = async (id: string): Promise<boolean> => {
    if (owned.has(id)) return true;
    const row = await store.conversations.getConversation({ id });
    if (row?.ownerId !== ownerId) return false;
    owned.add(id);
    return true;
  };
  const ownsMessage = async (id: string): Promise<boolean> => {
    const message = await store.messages.getMessage({ id });
    return message !== undefined && (await ownsConversation(message.conversationId));
  };
  const ownedMessageIds = async (ids: readonly string[]): Promise<string[]> => {
    const mine: string[] = [];
    for (const id of ids) if (await ownsMessage(id)) mine.push(id);
    return mine;
  };
  const mustOwn = async (conversationId: string): Promise<void> => {
    if (!(await ownsConversation(conversationId))) throw new Error(`Conversation ${conversationId} is not this account's`);
  };
  const ifOwned = async <T>(id: string, otherwise: T, work: () => Promise<T>): Promise<T> => ((await ownsConversation(id)) ? work() : otherwise);
  const { conversations: c, messages: m, messageTokens: t } = store;

  return {
    dialect: store.dialect,
    sessions: store.sessions,
    users: store.users,
    apiKeys: store.apiKeys,
    ping: () => store.ping(),
    transaction: (fn) => store.transaction((tx) => fn(ownedStore(tx, ownerId))),
    conversations: {
      createConversation: (args) => c.createConversation({ ...args, ownerId }),
      getConversation: async (args) => {
        const row = await c.getConversation(args);
        return row?.ownerId === ownerId ? row : undefined;
      },
      findConversationByTitleAndCreation: (args) => c.findConversationByTitleAndCreation({ ...args, ownerId }),
      getConversationSummary: (args) => ifOwned(args.id, undefined, () => c.getConversationSummary(args)),
      listConversations: (args) => c.listConversations({ ...args, ownerId }),
      listConversationsByIds: (args) => c.listConversationsByIds({ ...args, ownerId }),
      renameConversation: (args) => ifOwned(args.id, false, () => c.renameConversation(args)),
      updateConversationParams: (args) => ifOwned(args.id, false, () => c.updateConversationParams(args)),
      setConversationPinned: (args) => ifOwned(args.id, false, () => c.setConversationPinned(args)),
      touchConversation: (args) => ifOwned(args.id, false, () => c.touchConversation(args)),
      setActiveLeaf: (args) => ifOwned(args.id, false, () => c.setActiveLeaf(args)),
      deleteConversation: (args) => ifOwned(args.id, false, () => c.deleteConversation(args)),
    },
    messages: {
      insertMessage: async (args) => {
        await mustOwn(args.message.conversationId);
        return m.insertMessage(args);
      },
      insertMessages: async (args) => {
        for (const id of new Set(args.messages.map((message) => message.conversationId))) await mustOwn(id);
        return m.insertMessages(args);
      },
      updateMessage: async (args) => (await ownsMessage(args.id)) && m.updateMessage(args),
      listMessages: (args) => ifOwned(args.conversationId, [], () => m.listMessages(args)),
      getMessage: async (args) => {
        const message = await m.getMessage(args);
        return message && (await ownsConversation(message.conversationId)) ? message : undefined;
      },
      deleteMessages: async (args) => {
        const mine: string[] = [];
        for (const id of args.ids) if (await ownsMessage(id)) mine.push(id);
        return mine.length === 0 ? 0 : m.deleteMessages({ ids: mine });
      },
      listRecentAnswers: (args) => m.listRecentAnswers({ ...args, ownerId }),
    },
    messageTokens: {
      saveMessageTokens: async (args) => {
        if (!(await ownsMessage(args.messageId))) throw new Error(`Message ${args.messageId} is not this account's`);
        return t.saveMessageTokens(args);
      },
      getMessageTokens: async (args) => ((await ownsMessage(args.messageId)) ? t.getMessageTokens(args) : undefined),
      listMessageTokens: async (args) => t.listMessageTokens({ messageIds: await ownedMessageIds(args.messageIds) }),
      // Which answers have token records (the "Tokens" button): only this account's messages are asked about.
      listRecordedMessageIds: async (args) => t.listRecordedMessageIds({ messageIds: await ownedMessageIds(args.messageIds) }),
    },
    presets: {
      listPresets: () => store.presets.listPresets({ ownerId }),
      savePreset: (args) => store.presets.savePreset({ ...args, ownerId }),
      deletePreset: (args) => store.presets.deletePreset({ ...args, ownerId }),
    },
    search: { searchConversations: (args) => store.search.searchConversations({ ...args, ownerId }) },
  };
}
