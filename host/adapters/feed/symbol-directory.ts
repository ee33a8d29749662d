// The symbol directory of the current MD connection: what each SymbolDefinition said (id, name,
// tick, lot, band, reference price) and where the symbol's book is. The venue sends the whole
// directory on every connect, so a new connection starts with an empty one.
import type { SymbolSpec } from '../../protocol/index.js';

export interface SymbolInfo extends SymbolSpec {
  /** Offset of its book in the core's memory, −1 when the memory map has none for this name. */
  readonly bookOffset: number;
}

type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** `column` grown to `n` entries (per-symbol state indexed by symbol id), its values kept. */
export function widened<C extends Column>(column: C, n: number): C {
  const wider = new (column.constructor as new (n: number) => C)(n);
  wider.set(column as never);
  return wider;
}

export class SymbolDirectory {
  /** Symbols the venue announced (the SymbolDefinitions' symbolCount), 0 before the first. */
  count = 0;
  private infos: (SymbolInfo | undefined)[] = [];

  /** Why a SymbolDefinition of `symbol` announcing `count` symbols contradicts the directory, or ''. */
  contradiction(symbol: number, count: number): string {
    return this.count !== 0 && count !== this.count
      ? `SymbolDefinition of ${symbol} says ${count} symbols, the directory ${this.count}`
      : '';
  }

  set(info: SymbolInfo): void {
    if (this.count === 0) throw new Error('SymbolDirectory.set before the symbol count is known');
    this.infos[info.id] = info;
  }

  get(symbol: number): SymbolInfo | undefined {
    return this.infos[symbol];
  }

  /** The directory, by id (allocates). */
  symbols(): SymbolInfo[] {
    return this.infos.filter((s): s is SymbolInfo => s !== undefined);
  }

  /** Symbol id of `name`, or 0. */
  symbolId(name: string): number {
    for (const s of this.infos) if (s && s.name === name) return s.id;
    return 0;
  }

  clear(): void {
    this.count = 0;
    this.infos = [];
  }
}
