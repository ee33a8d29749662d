// The control token and the control calls. The token comes from the URL fragment (#token=…, which a browser
// never sends to a server), is kept for this tab only (sessionStorage, so a reload keeps it) and is taken
// out of the address bar. Without it every control says so and stays disabled: the monitor would refuse it.
import { millis } from './lib/format.js';
import { reasonName, stateName } from './lib/names.js';
import { tokenFromHash } from './lib/token.js';

const KEY = 'tradecore.controlToken';

function readToken(): string | null {
  const fromUrl = tokenFromHash(location.hash);
  if (fromUrl !== null) {
    try {
      sessionStorage.setItem(KEY, fromUrl);
    } catch {
      /* storage refused (private mode): memory only */
    }
    history.replaceState(null, '', location.pathname + location.search);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export const NO_TOKEN = 'Control needs the engine\'s control token: open the cockpit with the URL `npm start` printed (…/#token=…).';

export interface Answer {
  readonly ok: boolean;
  /** One line for a person: what happened, or why not. */
  readonly text: string;
  readonly status: number;
}

class Control {
  token = $state<string | null>(null);

  init(): void {
    this.token = readToken();
  }

  /** POSTs a control request and turns the monitor's answer into one line. */
  async post(path: string, body?: unknown): Promise<Answer> {
    if (this.token === null) return { ok: false, text: NO_TOKEN, status: 0 };
    let res: Response;
    try {
      res = await fetch(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      return { ok: false, text: `the monitor did not answer: ${(err as Error).message}`, status: 0 };
    }
    let json: Record<string, unknown> = {};
    try {
      json = (await res.json()) as Record<string, unknown>;
    } catch {
      /* not JSON: the status says enough */
    }
    if (res.ok && json['ok'] === true) {
      const state = typeof json['state'] === 'number' ? `${stateName(json['state'])} (${reasonName(json['reason'] as number)})` : '';
      return { ok: true, text: `done in ${millis(json['ms'] as number)}${state ? `; engine ${state}` : ''}`, status: res.status };
    }
    const message = typeof json['message'] === 'string' ? json['message'] : typeof json['why'] === 'string' ? json['why'] : res.statusText;
    return { ok: false, text: `refused (${res.status}): ${message}`, status: res.status };
  }
}

export const control = new Control();
