"use client";
import { useState, type FormEvent } from "react";
import { createUser, deleteUser, listUsers, updateUser } from "@/lib/client/api";
import { useApiList } from "@/lib/client/use-api-list";
import type { UserDto } from "@/lib/schemas/users";
import { ErrorAlert } from "./error-alert";

/** The admin page (BITNET_AUTH=accounts): create accounts, change roles, disable, reset passwords, delete. */
export function AdminUsers() {
  const { items: users, error, act } = useApiList(listUsers);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [admin, setAdmin] = useState(false);

  async function create(event: FormEvent) {
    event.preventDefault();
    await act(async () => {
      await createUser({ name, password, role: admin ? "admin" : "user" });
      setName("");
      setPassword("");
      setAdmin(false);
    });
  }

  const patch = (user: UserDto, body: Parameters<typeof updateUser>[1]) => act(() => updateUser(user.id, body));

  return (
    <div className="space-y-6">
      <ErrorAlert error={error} />
      <table className="w-full text-left text-sm">
        <thead>
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            <th className="py-2">User</th>
            <th>Role</th>
            <th>Status</th>
            <th className="sr-only">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} className="border-b border-zinc-100 dark:border-zinc-900">
              <td className="py-2 font-medium">{user.name}</td>
              <td>{user.role}</td>
              <td>{user.disabled ? "disabled" : "active"}</td>
              <td className="space-x-2 py-2 text-right">
                <button type="button" className="underline" onClick={() => patch(user, { role: user.role === "admin" ? "user" : "admin" })}>
                  {user.role === "admin" ? `Make ${user.name} a user` : `Make ${user.name} an admin`}
                </button>
                <button type="button" className="underline" onClick={() => patch(user, { disabled: !user.disabled })}>
                  {user.disabled ? `Enable ${user.name}` : `Disable ${user.name}`}
                </button>
                <button
                  type="button"
                  className="underline"
                  onClick={() => {
                    const next = window.prompt(`New password for ${user.name} (at least 8 characters)`);
                    if (next) void patch(user, { password: next });
                  }}
                >
                  Reset password of {user.name}
                </button>
                <button
                  type="button"
                  className="text-red-600 underline dark:text-red-400"
                  onClick={() => {
                    if (!window.confirm(`Delete ${user.name}?`)) return;
                    const keep = window.confirm(`Keep ${user.name}'s conversations and presets (they become yours)? Cancel deletes them too.`);
                    void act(() => deleteUser(user.id, keep));
                  }}
                >
                  Delete {user.name}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form onSubmit={create} className="space-y-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
        <h2 className="font-semibold">Add a user</h2>
        <label className="block text-sm">
          User name
          <input value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" className="mt-1 block w-full rounded-md border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700" />
        </label>
        <label className="block text-sm">
          Password
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={8}
            autoComplete="new-password"
            className="mt-1 block w-full rounded-md border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700"
          />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} />
          Admin (manages users)
        </label>
        <button type="submit" className="rounded-md bg-zinc-900 px-3 py-2 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">
          Add user
        </button>
      </form>
    </div>
  );
}
