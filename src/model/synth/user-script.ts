/**
 * One synthetic user: walks the model's chain from `^`, one file session at a time, and hands
 * out its ops lazily in time order. With a duration, a user that reaches `$` early starts a new
 * visit after a between-sessions pause, and no session starts after the duration (the one under
 * way still ends with its close, so no handle is left open).
 */
import type { IrNamespaceEntry, IrOp, UserId } from '../../ir/index.js';
import { nextState } from '../markov-chain.js';
import type { UserModel } from '../model-types.js';
import { CHAIN_END, CHAIN_START, parseChainState } from '../path-role.js';
import type { PathRole, SessionAction } from '../path-role.js';
import { Prng } from '../prng.js';
import { sampleQuantiles } from '../quantile-table.js';
import { synthesizeSession } from './file-session.js';
import type { Locality } from './file-session.js';
import { UserFiles } from './user-files.js';

/** A session longer than this is cut (a chain with a near-1 self-loop must still end). */
const MAX_SESSION_OPS = 10_000;

export interface UserScriptOptions {
  /** Stop starting sessions at this t (µs); without it, one walk from `^` to `$`. */
  readonly durationUs?: number;
  /** Hard cap on the user's ops (sessions are not cut: the last one may pass it by its length). */
  readonly maxOps: number;
}

export class UserScript {
  readonly namespace: readonly IrNamespaceEntry[];
  private readonly files: UserFiles;
  private readonly here: Locality = {
    prevPath: undefined,
    prevWasDir: false,
    location: '',
    nextHandle: 0,
    fallbacks: 0,
  };
  private queue: IrOp[] = [];
  private state = CHAIN_START;
  /** A next state already drawn (the session before ended by reaching it). */
  private drawn: string | undefined;
  private t: number;
  private emitted = 0;
  private done = false;

  constructor(
    readonly user: UserId,
    private readonly model: UserModel,
    private readonly rng: Prng,
    private readonly options: UserScriptOptions,
  ) {
    this.files = new UserFiles(model, rng);
    this.namespace = this.files.generateInitial(user);
    this.t = sampleQuantiles(model.think.userStart, rng, 0);
  }

  get fallbacks(): number {
    return this.here.fallbacks;
  }

  /** The user's next op, or undefined when the user is finished. */
  next(): IrOp | undefined {
    while (this.queue.length === 0 && !this.done) this.queue = this.nextSession();
    const op = this.queue.shift();
    if (op) this.emitted++;
    return op;
  }

  private nextSession(): IrOp[] {
    const { durationUs, maxOps } = this.options;
    if (this.emitted >= maxOps || (durationUs !== undefined && this.t >= durationUs)) {
      this.done = true;
      return [];
    }
    let from = this.drawn ?? nextState(this.model.chain, this.state, this.rng);
    this.drawn = undefined;
    if (from === undefined || from === CHAIN_END) {
      // A finished walk: over, unless there is time left for another visit.
      if (durationUs === undefined || this.state === CHAIN_START) {
        this.done = true;
        return [];
      }
      this.state = CHAIN_START;
      this.t += this.betweenGap();
      return [];
    }
    const start = parseChainState(from);
    if (start === undefined || start.action !== 'create') {
      this.done = true;
      return [];
    }
    const actions: SessionAction[] = ['create'];
    const role: PathRole = start.role;
    for (;;) {
      const to = nextState(this.model.chain, from, this.rng);
      const parsed = to === undefined ? undefined : parseChainState(to);
      if (to === undefined || parsed === undefined || parsed.role !== role || parsed.action === 'create') {
        // The session ended without a close in the trace; the chain goes on from what was drawn.
        this.state = from;
        this.drawn = to;
        break;
      }
      actions.push(parsed.action);
      from = to;
      if (parsed.action === 'close' || actions.length >= MAX_SESSION_OPS) {
        this.state = to;
        break;
      }
    }
    const input = { user: this.user, model: this.model, rng: this.rng, files: this.files, here: this.here };
    const ops = synthesizeSession(input, role, actions, this.t, () => this.withinGap());
    this.t = ops[ops.length - 1]!.t + this.betweenGap();
    return ops;
  }

  private withinGap(): number {
    return sampleQuantiles(this.model.think.withinSession, this.rng, 0);
  }

  private betweenGap(): number {
    return sampleQuantiles(this.model.think.betweenSessions, this.rng, 0);
  }
}

export function userScript(
  model: UserModel,
  seed: number,
  index: number,
  options: UserScriptOptions,
): UserScript {
  return new UserScript(`u${index}`, model, Prng.forStream(seed, index), options);
}
