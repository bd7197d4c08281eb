// Who may do what to which unit: the pure rules every route's middleware applies.
import { describe, expect, it } from 'vitest';
import { can, TOKEN_VIEWER, type Viewer } from '../../src/auth/scope';

const viewer = (over: Partial<Viewer>): Viewer => ({
  personId: 1,
  email: 'x@example.gov.cn',
  name: 'x',
  role: 'clerk',
  actor: 'x@example.gov.cn',
  isAdmin: false,
  clerkUnitIds: [],
  supervisorUnitIds: [],
  reviewUnitIds: [],
  ...over,
});

// County 1 → towns 2 and 3 → village 4 under town 2.
const clerkOf2 = viewer({ clerkUnitIds: [2] });
const supervisorOf1 = viewer({ role: 'supervisor', supervisorUnitIds: [1], reviewUnitIds: [2, 3, 4] });
const admin = viewer({ role: 'admin', isAdmin: true });

describe('scope', () => {
  it('a clerk edits and views only their own unit, and reviews nothing', () => {
    expect([can(clerkOf2, 'edit', 2), can(clerkOf2, 'view', 2), can(clerkOf2, 'review', 2)]).toEqual([true, true, false]);
    for (const other of [1, 3, 4]) expect([can(clerkOf2, 'edit', other), can(clerkOf2, 'view', other)]).toEqual([false, false]);
  });

  it('a supervisor reviews the units below their own, never edits them, and never reviews their own unit', () => {
    for (const below of [2, 3, 4]) {
      expect([can(supervisorOf1, 'review', below), can(supervisorOf1, 'view', below), can(supervisorOf1, 'edit', below)]).toEqual([true, true, false]);
    }
    expect(can(supervisorOf1, 'review', 1)).toBe(false);
    expect(can(supervisorOf1, 'view', 1)).toBe(true);
    expect(can(supervisorOf1, 'view', 99)).toBe(false);
  });

  it('an administrator and the admin token may do everything; nobody signed out may do anything', () => {
    for (const access of ['view', 'edit', 'review'] as const) {
      expect(can(admin, access, 99)).toBe(true);
      expect(can(TOKEN_VIEWER, access, 99)).toBe(true);
      expect(can(undefined, access, 2)).toBe(false);
    }
  });
});
