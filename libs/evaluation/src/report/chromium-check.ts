/**
 * Opens an HTML file in headless Chromium over the DevTools protocol (a pipe, no network port)
 * and reports console errors, uncaught exceptions and the number of chart SVGs. Used by the
 * report test and usable by callers that want to check a rendered report.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | undefined {
  const env = process.env.CHROMIUM_PATH;
  if (env && existsSync(env)) return env;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

export interface PageCheck {
  title: string;
  svgCount: number;
  /** ids of <figure> elements that contain an <svg>. */
  chartIds: string[];
  /** id of the body's first element (what a reader sees first). */
  firstElementId: string;
  /** SVG texts cut off with an ellipsis (a label too long for its limit). */
  cutTexts: string[];
  consoleErrors: string[];
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** Check one HTML file (see checkHtmlFilesInChromium). */
export async function checkHtmlInChromium(
  htmlPath: string,
  options: { chromium?: string; timeoutMs?: number } = {},
): Promise<PageCheck> {
  return (await checkHtmlFilesInChromium([htmlPath], options))[0];
}

/** Open each file in its own tab of one headless Chromium and report what each page shows. */
export async function checkHtmlFilesInChromium(
  htmlPaths: readonly string[],
  options: { chromium?: string; timeoutMs?: number } = {},
): Promise<PageCheck[]> {
  const chromium = options.chromium ?? findChromium();
  if (!chromium)
    throw new Error(
      `checkHtmlInChromium: no Chromium found (tried ${CHROMIUM_CANDIDATES.join(', ')}; set CHROMIUM_PATH)`,
    );
  const profile = mkdtempSync(join(tmpdir(), 'ecode-chromium-'));
  const child = spawn(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-extensions',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const toChrome = child.stdio[3] as Writable;
  const fromChrome = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));

  let nextId = 1;
  const pending = new Map<number, { resolve: (r: CdpMessage) => void; reject: (e: Error) => void }>();
  const listeners: Array<(m: CdpMessage) => void> = [];
  let buf = '';
  fromChrome.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let z: number;
    while ((z = buf.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buf.slice(0, z)) as CdpMessage;
      buf = buf.slice(z + 1);
      if (msg.id !== undefined && pending.has(msg.id)) {
        const p = pending.get(msg.id)!;
        pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`CDP error: ${msg.error.message}`));
        else p.resolve(msg);
      } else {
        for (const l of listeners) l(msg);
      }
    }
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<CdpMessage> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      toChrome.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });

  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`checkHtmlInChromium: timed out after ${timeoutMs} ms; chromium stderr: ${stderr.slice(-2000)}`),
        ),
      timeoutMs,
    );
  });
  const exited = new Promise<never>((_, reject) => {
    // only an exit before the work is done is an error

    child.on('exit', (code) =>
      reject(new Error(`chromium exited early (code ${code}); stderr: ${stderr.slice(-2000)}`)),
    );
    child.on('error', (e) => reject(e));
  });

  const checkOne = async (htmlPath: string): Promise<PageCheck> => {
    const consoleErrors: string[] = [];
    const target = await send('Target.createTarget', { url: 'about:blank' });
    const targetId = target.result?.targetId as string;
    const attached = await send('Target.attachToTarget', { targetId, flatten: true });
    const sessionId = attached.result?.sessionId as string;
    let loaded: () => void = () => undefined;
    const loadedP = new Promise<void>((r) => (loaded = r));
    listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      if (m.method === 'Page.loadEventFired') loaded();
      if (m.method === 'Runtime.consoleAPICalled' && (m.params?.type === 'error' || m.params?.type === 'assert')) {
        consoleErrors.push(JSON.stringify(m.params?.args));
      }
      if (m.method === 'Runtime.exceptionThrown') consoleErrors.push(JSON.stringify(m.params?.exceptionDetails));
      if (m.method === 'Log.entryAdded') {
        const e = m.params?.entry as { level?: string; text?: string; url?: string } | undefined;
        if (e?.level === 'error') consoleErrors.push(`${e.text ?? ''} ${e.url ?? ''}`.trim());
      }
    });
    await send('Page.enable', {}, sessionId);
    await send('Runtime.enable', {}, sessionId);
    await send('Log.enable', {}, sessionId);
    await send('Page.navigate', { url: pathToFileURL(htmlPath).href }, sessionId);
    await loadedP;
    const ev = await send(
      'Runtime.evaluate',
      {
        expression: `JSON.stringify({ title: document.title, svgCount: document.querySelectorAll('svg').length,
          chartIds: [...document.querySelectorAll('figure')].filter(f => f.querySelector('svg')).map(f => f.id),
          firstElementId: document.body.firstElementChild ? document.body.firstElementChild.id : '',
          cutTexts: [...document.querySelectorAll('svg text')].map(t => t.textContent).filter(t => t.includes('\u2026')) })`,
        returnByValue: true,
      },
      sessionId,
    );
    const page = JSON.parse((ev.result?.result as { value: string }).value) as Omit<PageCheck, 'consoleErrors'>;
    // give late console messages a moment to arrive
    await new Promise((r) => setTimeout(r, 200));
    await send('Target.closeTarget', { targetId }).catch(() => undefined);
    return { ...page, consoleErrors };
  };
  const work = (async (): Promise<PageCheck[]> => {
    const out: PageCheck[] = [];
    for (const p of htmlPaths) out.push(await checkOne(p));
    await send('Browser.close').catch(() => undefined);
    return out;
  })();
  try {
    return await Promise.race([work, timeout, exited]);
  } finally {
    if (timer) clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      const grace = new Promise<void>((r) => setTimeout(r, 3000));
      await Promise.race([gone, grace]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await gone;
      }
    }
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      // a helper process may still be writing; leaving a temp profile behind is harmless
    }
  }
}
