// Writes a text file atomically for a reader that may look at any moment (node_exporter's textfile collector):
// one write at a time, each through its own temporary file, renamed over the target; nothing left behind.
import { open, rename, unlink } from 'node:fs/promises';

export interface TextfileWriter {
  /**
   * Replaces the file's content. Writes run one at a time; a text given while one runs waits, and a newer text
   * replaces a waiting one (only the latest is worth writing). Resolves once this text (or a newer one) is in place.
   */
  write(text: string): Promise<void>;
  /** Waits for the write in progress, drops a waiting one, and removes any temporary file; safe to call twice. */
  close(): Promise<void>;
}

let sequence = 0;

export function createTextfileWriter(path: string): TextfileWriter {
  let running: Promise<void> | null = null;
  let waiting: { text: string; done: Array<{ resolve: () => void; reject: (error: Error) => void }> } | null =
    null;
  let closed = false;
  const temporaries = new Set<string>();

  const writeOnce = async (text: string): Promise<void> => {
    // A name no other write (of this or another process) uses; 'wx' never follows a link planted at it.
    const temporary = `${path}.${process.pid}.${++sequence}.${Date.now().toString(36)}.tmp`;
    temporaries.add(temporary);
    try {
      const handle = await open(temporary, 'wx', 0o644);
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
      temporaries.delete(temporary);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      temporaries.delete(temporary);
      throw error;
    }
  };

  const drain = async (): Promise<void> => {
    while (waiting !== null && !closed) {
      const { text, done } = waiting;
      waiting = null;
      try {
        await writeOnce(text);
        for (const each of done) each.resolve();
      } catch (error) {
        for (const each of done) each.reject(error as Error);
      }
    }
    // Writes dropped by close() settle too, so nobody waits for ever.
    if (waiting !== null) for (const each of waiting.done) each.resolve();
    waiting = null;
    running = null;
  };

  return {
    write(text) {
      if (closed) return Promise.reject(new Error(`${path}: the writer is closed`));
      return new Promise<void>((resolve, reject) => {
        const done = [...(waiting?.done ?? []), { resolve, reject }];
        waiting = { text, done };
        running ??= drain();
      });
    },
    async close() {
      closed = true;
      await running;
      await Promise.all([...temporaries].map((temporary) => unlink(temporary).catch(() => undefined)));
      temporaries.clear();
    },
  };
}
