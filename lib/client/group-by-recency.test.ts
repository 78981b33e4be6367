import { describe, expect, it } from "vitest";
import { groupByRecency, recencyGroup } from "./group-by-recency";

const now = new Date(2026, 10, 28, 9, 30); // local time, 28 Nov 2026 09:30
const at = (day: number, hour = 12) => new Date(2026, 10, day, hour).toISOString();

describe("groupByRecency", () => {
  it("uses calendar days, not 24-hour windows", () => {
    expect(recencyGroup(at(28, 0), now)).toBe("Today");
    expect(recencyGroup(at(27, 23), now)).toBe("Yesterday");
    expect(recencyGroup(at(22), now)).toBe("Previous 7 days");
    expect(recencyGroup(at(10), now)).toBe("Older");
  });

  it("orders groups and items newest first and drops empty groups", () => {
    const items = [
      { id: "old", updatedAt: at(1) },
      { id: "today-early", updatedAt: at(28, 1) },
      { id: "week", updatedAt: at(24) },
      { id: "today-late", updatedAt: at(28, 8) },
    ];
    const groups = groupByRecency(items, now);
    expect(groups.map((g) => g.group)).toEqual(["Today", "Previous 7 days", "Older"]);
    expect(groups[0].items.map((i) => i.id)).toEqual(["today-late", "today-early"]);
  });
});
