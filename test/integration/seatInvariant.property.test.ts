/**
 * Model-based property test of DESIGN §1: random sequences of create / sync
 * create / directory create in turn / block / unblock / delete / move / a
 * directory's deactivate-and-move / exempt / limit / transfer, some run
 * concurrently, checked against a plain in-memory model and against the tables.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockUser, createUser, deleteUser, getUser, unblockUser, updateUser } from '#core/people.ts';
import { createInTurn } from '#core/waitingList.ts';
import { setAreaLimit, transferSeats } from '#core/license.ts';
import { readArea } from '#core/seatCounter.ts';
import { SeatkeeperError } from '#core/errors.ts';
import { addCounts, footprint, ZERO_COUNTS, type BlockedReason, type User } from '#core/user.ts';
import { freshArea, uniqueEmail, expectInvariant } from '../support/seats.ts';

interface ModelUser {
  id: string;
  area: number;
  state: 'active' | 'blocked';
  exempt: boolean;
  blockedReason?: BlockedReason;
}

interface Model {
  areas: string[];
  limits: number[];
  users: ModelUser[];
}

type Op =
  | { kind: 'create'; area: number; exempt: boolean }
  | { kind: 'syncCreate'; area: number }
  | { kind: 'scimCreate'; area: number }
  | { kind: 'deactivateMove'; user: number; area: number }
  | { kind: 'block' | 'unblock' | 'delete'; user: number }
  | { kind: 'move'; user: number; area: number }
  | { kind: 'exempt'; user: number; exempt: boolean }
  | { kind: 'limit'; area: number; limit: number }
  | { kind: 'transfer'; from: number; to: number; seats: number };

const AREAS = 2;
const area = fc.nat(AREAS - 1);
const user = fc.nat(50);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), area, exempt: fc.nat(4).map((n) => n === 0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('syncCreate' as const), area }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('scimCreate' as const), area }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deactivateMove' as const), user, area }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('block' as const, 'unblock' as const, 'delete' as const), user }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), user, area }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('exempt' as const), user, exempt: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('limit' as const), area, limit: fc.nat(6) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: area, to: area, seats: fc.integer({ min: 1, max: 3 }) }),
  },
);
const step = fc.oneof({ weight: 3, arbitrary: op.map((o) => [o]) }, { weight: 1, arbitrary: fc.array(op, { minLength: 2, maxLength: 6 }) });

const activeIn = (model: Model, area: number) => model.users.filter((u) => u.area === area && footprint(u).active === 1).length;

/** The model's answer: the expected error code, or null with the model updated. */
function applyToModel(model: Model, o: Op): string | null {
  const free = (area: number) => model.limits[area]! - activeIn(model, area);
  const pick = (i: number) => model.users[i % model.users.length];
  switch (o.kind) {
    case 'create':
      if (!o.exempt && free(o.area) < 1) return 'SEAT_LIMIT_REACHED';
      return null;
    case 'syncCreate':
    case 'scimCreate':
      return null;
    case 'deactivateMove': {
      // One write: blocked by the directory (an admin's block stands) and moved; no seat needed anywhere.
      const u = pick(o.user)!;
      if (!(u.state === 'blocked' && u.blockedReason === 'admin')) Object.assign(u, { state: 'blocked', blockedReason: 'directory' });
      u.area = o.area;
      return null;
    }
    case 'block': {
      const u = pick(o.user)!;
      if (u.state === 'blocked' && u.blockedReason === 'admin') return null;
      Object.assign(u, { state: 'blocked', blockedReason: 'admin' });
      return null;
    }
    case 'unblock': {
      const u = pick(o.user)!;
      if (u.state === 'active') return null;
      if (!u.exempt && free(u.area) < 1) return 'SEAT_LIMIT_REACHED';
      Object.assign(u, { state: 'active', blockedReason: undefined });
      return null;
    }
    case 'delete':
      model.users.splice(o.user % model.users.length, 1);
      return null;
    case 'move': {
      const u = pick(o.user)!;
      if (u.area === o.area) return null;
      const waiting = u.state === 'blocked' && u.blockedReason === 'license';
      // A waiting user arrives in the new area as a create would: a free seat, else it waits there.
      if (waiting && free(o.area) >= 1) Object.assign(u, { state: 'active', blockedReason: undefined });
      else if (u.state === 'active' && !u.exempt && free(o.area) < 1) return 'SEAT_LIMIT_REACHED';
      u.area = o.area;
      return null;
    }
    case 'exempt': {
      const u = pick(o.user)!;
      if (u.exempt === o.exempt) return null;
      if (!o.exempt && u.state === 'active' && free(u.area) < 1) return 'SEAT_LIMIT_REACHED';
      // Exempt needs no licence: a user waiting for one stops waiting.
      if (o.exempt && u.state === 'blocked' && u.blockedReason === 'license')
        Object.assign(u, { state: 'active', blockedReason: undefined });
      u.exempt = o.exempt;
      return null;
    }
    case 'limit':
      if (o.limit < activeIn(model, o.area)) return 'LIMIT_BELOW_ACTIVE';
      model.limits[o.area] = o.limit;
      return null;
    case 'transfer':
      if (o.from === o.to) return 'INVALID_REQUEST';
      if (free(o.from) < o.seats) return 'NOT_ENOUGH_FREE_SEATS';
      model.limits[o.from]! -= o.seats;
      model.limits[o.to]! += o.seats;
      return null;
  }
}

const needsUser = (o: Op) => 'user' in o;
const targetOf = (model: Model, o: Op) => ('user' in o ? model.users[o.user % model.users.length]!.id : undefined);

/** Runs one op on the real system; returns the error code or null, and the created user if any. */
async function applyToSystem(model: Model, o: Op, target: string | undefined): Promise<{ code: string | null; created?: User }> {
  const pick = (_: number) => target!;
  try {
    switch (o.kind) {
      case 'create':
        return {
          code: null,
          created: await createUser({ email: uniqueEmail(), area: model.areas[o.area]!, exempt: o.exempt, source: 'api' }),
        };
      case 'syncCreate':
        return { code: null, created: await createUser({ email: uniqueEmail(), area: model.areas[o.area]!, source: 'sync' }, 'wait') };
      case 'scimCreate':
        return {
          code: null,
          created: await createInTurn({ email: uniqueEmail(), area: model.areas[o.area]!, source: 'scim', directory: 'prop' }),
        };
      case 'deactivateMove':
        await updateUser(pick(o.user), { area: model.areas[o.area]! }, { whenFull: 'wait', block: 'directory' });
        break;
      case 'block':
        await blockUser(pick(o.user));
        break;
      case 'unblock':
        await unblockUser(pick(o.user));
        break;
      case 'delete':
        await deleteUser(pick(o.user));
        break;
      case 'move':
        await updateUser(pick(o.user), { area: model.areas[o.area]! });
        break;
      case 'exempt':
        await updateUser(pick(o.user), { exempt: o.exempt });
        break;
      case 'limit':
        await setAreaLimit(model.areas[o.area]!, o.limit);
        break;
      case 'transfer':
        await transferSeats(model.areas[o.from]!, model.areas[o.to]!, o.seats);
        break;
    }
    return { code: null };
  } catch (error) {
    if (error instanceof SeatkeeperError) return { code: error.code };
    throw error;
  }
}

const toModelUser = (model: Model, u: User): ModelUser => ({
  id: u.id,
  area: model.areas.indexOf(u.area),
  state: u.state,
  exempt: u.exempt,
  blockedReason: u.blockedReason,
});

async function checkInvariant(model: Model) {
  for (const [index, area] of model.areas.entries()) {
    await expectInvariant(area);
    // Also against the model's users (kept by the model, or read back by id): a count that owes nothing to the area index.
    const counts = model.users.filter((u) => u.area === index).reduce((sum, u) => addCounts(sum, footprint(u)), { ...ZERO_COUNTS });
    expect(await readArea(area)).toMatchObject({ ...counts, limit: model.limits[index] });
  }
}

/** After a concurrent batch the order is unknown: take the system's state as the model's. */
async function resyncModel(model: Model) {
  const users = await Promise.all(model.users.map((u) => getUser(u.id).catch(() => undefined)));
  model.users = users.filter((u): u is User => u !== undefined).map((u) => toModelUser(model, u));
  model.limits = await Promise.all(model.areas.map(async (a) => (await readArea(a))!.limit));
}

describe('seat invariant (model-based)', () => {
  it('holds for random sequential and concurrent operations, and sequential outcomes match the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.tuple(fc.nat(4), fc.nat(4)), async (steps, limits) => {
        const model: Model = { areas: [], limits: [...limits], users: [] };
        for (const limit of limits) model.areas.push(await freshArea(limit, 'prop'));

        for (const batch of steps) {
          const ops = batch.filter((o) => !needsUser(o) || model.users.length > 0);
          if (ops.length === 0) continue;
          if (ops.length === 1) {
            const o = ops[0]!;
            const target = targetOf(model, o);
            const waits = o.kind === 'syncCreate' && activeIn(model, o.area) >= model.limits[o.area]!;
            const expected = applyToModel(model, o);
            const { code, created } = await applyToSystem(model, o, target);
            expect(code, JSON.stringify(o)).toBe(expected);
            if (created && o.kind === 'scimCreate') {
              // In turn: the newest account is active only if nobody is left waiting in its area, and
              // waits only if the list has taken every free seat. (The list may have moved: read it back.)
              model.users.push(toModelUser(model, created));
              await resyncModel(model);
              const me = model.users.find((u) => u.id === created.id)!;
              const othersWaiting = model.users.some(
                (u) => u.area === o.area && u.id !== me.id && u.blockedReason === 'license' && u.state === 'blocked',
              );
              if (me.state === 'active') expect(othersWaiting).toBe(false);
              else expect(activeIn(model, o.area)).toBe(model.limits[o.area]);
            } else if (created) {
              expect(created.state).toBe(waits ? 'blocked' : 'active');
              model.users.push(toModelUser(model, created));
            }
          } else {
            const targets = ops.map((o) => targetOf(model, o));
            const results = await Promise.all(ops.map((o, i) => applyToSystem(model, o, targets[i])));
            for (const r of results) {
              expect([
                'SEAT_LIMIT_REACHED',
                'LIMIT_BELOW_ACTIVE',
                'NOT_ENOUGH_FREE_SEATS',
                'USER_NOT_FOUND',
                'INVALID_REQUEST',
                null,
              ]).toContain(r.code);
              if ('created' in r && r.created) model.users.push(toModelUser(model, r.created));
            }
            await resyncModel(model);
          }
          await checkInvariant(model);
        }
        // The system and the model agree on every user at the end.
        const actual = await Promise.all(model.users.map(async (u) => toModelUser(model, await getUser(u.id))));
        expect(actual).toEqual(model.users.map((u) => ({ ...u, blockedReason: u.state === 'blocked' ? u.blockedReason : undefined })));
      }),
      { numRuns: 30 },
    );
  }, 240_000);
});
