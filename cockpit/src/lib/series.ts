// A fixed number of points of several aligned series (time first), as uPlot wants its data: one array per
// series. Oldest points are dropped beyond `capacity`, so a cockpit left open for hours stays the same size.

export class Series {
  private readonly columns: number[][];

  constructor(readonly width: number, private readonly capacity: number) {
    if (!(Number.isInteger(width) && width >= 1)) throw new RangeError(`width must be an integer ≥ 1, got ${width}`);
    if (!(Number.isInteger(capacity) && capacity >= 2)) throw new RangeError(`capacity must be an integer ≥ 2, got ${capacity}`);
    this.columns = Array.from({ length: width }, () => []);
  }

  /** One point: `values.length` must equal `width` (x first). */
  push(values: readonly number[]): void {
    if (values.length !== this.width) throw new RangeError(`a point has ${this.width} values, got ${values.length}`);
    values.forEach((v, i) => this.columns[i]!.push(v));
    if (this.columns[0]!.length > this.capacity) for (const c of this.columns) c.splice(0, c.length - this.capacity);
  }

  get length(): number {
    return this.columns[0]!.length;
  }

  /** The columns (copies, so a chart may keep them). */
  data(): number[][] {
    return this.columns.map((c) => c.slice());
  }

  clear(): void {
    for (const c of this.columns) c.length = 0;
  }
}
