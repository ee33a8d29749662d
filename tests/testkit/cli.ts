// Runs a compiled CLI (host/cli/<name>.js) as a child node process and collects its output.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CliRun { code: number | null; stdout: string; stderr: string }

/** `name` is the CLI's file in dist/host/cli without extension, e.g. 'signals' or '../venue'; or, starting with
 *  'monitor/', a program of the monitor, e.g. 'monitor/server'. */
export function runCli(name: string, args: readonly string[]): Promise<CliRun> {
  const script = fileURLToPath(new URL(name.startsWith('monitor/') ? `../../${name}.js` : `../../host/cli/${name}.js`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
