import { describe, expect, it } from "vitest";
import { groupByRecency, recencyGroup } from "./group-by-recency";

const now = new Date(2026, 10, 28, 9, 30); // local time, 28 Nov 2026 09:30
const at = (day: number, hour = 12, month = 10, year = 2026) => new Date(year, month, day, hour).toISOString();

describe("groupByRecency", () => {
  it("uses calendar days, not 24-hour windows, then months past 30 days", () => {
    expect(recencyGroup(at(28, 0), now)).toBe("Today");
    expect(recencyGroup(at(27, 23), now)).toBe("Yesterday");
    expect(recencyGroup(at(22), now)).toBe("Previous 7 days");
    expect(recencyGroup(at(10), now)).toBe("Previous 30 days");
    expect(recencyGroup(at(20, 12, 9), now)).toBe("October");
    expect(recencyGroup(at(5, 12, 0), now)).toBe("January");
    expect(recencyGroup(at(31, 12, 11, 2025), now)).toBe("December 2025");
  });

  it("orders groups and items newest first, pinned first, and drops empty groups", () => {
    const items = [
      { id: "old", updatedAt: at(1) },
      { id: "today-early", updatedAt: at(28, 1) },
      { id: "september", updatedAt: at(3, 12, 8) },
      { id: "week", updatedAt: at(24) },
      { id: "pinned-old", updatedAt: at(2, 12, 3), pinned: true },
      { id: "today-late", updatedAt: at(28, 8) },
      { id: "august", updatedAt: at(3, 12, 7) },
    ];
    const groups = groupByRecency(items, now);
    expect(groups.map((g) => g.group)).toEqual(["Pinned", "Today", "Previous 7 days", "Previous 30 days", "September", "August"]);
    expect(groups[1]!.items.map((i) => i.id)).toEqual(["today-late", "today-early"]);
    expect(groups[0]!.items.map((i) => i.id)).toEqual(["pinned-old"]);
  });
});
