/**
 * Shares one read among the callers that arrive while another is under way, without ever handing a
 * caller an answer older than its call: a caller joins only a read that has not been sent yet. At
 * most one read runs and one waits; the waiting one starts when the running one settles and answers
 * everyone who asked meanwhile. Idle, a call reads at once; under load, N concurrent callers cost
 * about one read per round trip instead of N (a read model every command consults, e.g. the set
 * of active edges, stays exactly as fresh as querying it each time).
 */
export function coalescedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let waiting: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const started = read();
    running = started;
    const done = () => {
      if (running === started) running = undefined;
    };
    started.then(done, done);
    return started;
  };
  return () => {
    if (waiting) return waiting;
    if (!running) return start();
    waiting = running.then(ignore, ignore).then(() => {
      waiting = undefined;
      return start();
    });
    return waiting;
  };
}

const ignore = (): void => undefined;
