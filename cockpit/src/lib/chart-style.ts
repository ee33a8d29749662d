// What every chart of the cockpit shares: the uPlot axis style and, for the plain-canvas pictures, a canvas sized
// to its box and cleared to the panel's background.

/** uPlot axis colours on the dark theme. */
export const AXIS = { stroke: '#8b98a5', grid: { stroke: '#2d3640', width: 1 }, ticks: { stroke: '#2d3640' } };

const BACKGROUND = '#0d1117';

/** The canvas's pixels sized to its box, cleared to the background: its context and size to draw in. */
export function clearedCanvas(canvas: HTMLCanvasElement): { g: CanvasRenderingContext2D; w: number; h: number } {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d')!;
  g.fillStyle = BACKGROUND;
  g.fillRect(0, 0, w, h);
  return { g, w, h };
}
