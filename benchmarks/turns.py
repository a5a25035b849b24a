"""Turn-taking between the implementations of one cell, each in its own process.

A shared machine's speed drifts by tens of percent over a few seconds (another tenant, the
host's clock), so two implementations timed one after the other can differ by more than
kfront and its native loop differ. run.py therefore starts every implementation of a cell
at once, all pinned to the same core, and lets exactly one run at a time: each worker
yields at the boundaries of its timed segments and, inside a long step loop, about every
SLICE_S seconds. The timed slices of the implementations then alternate within a second of
each other, and drift hits them alike. A blocked worker waits in a pipe read and uses no
CPU; waiting happens only between timed steps, never inside one.

Protocol (lines on the worker's stdout/stdin): the worker writes ``TURN`` when it yields
and reads one line (``go``) before it goes on; its last stdout line is ``RESULT {json}``.
Without BENCH_TURNS=1 in its environment (a worker run by hand) yielding does nothing.
"""
import os
import sys
import threading
import time

ENV = "BENCH_TURNS"
MARK = "TURN"
SLICE_S = 0.25
# The pause before the next worker's turn, so that work a yielding worker left to its
# background threads (a data loader's prefetch) runs before the next timed slice.
SETTLE_S = 0.01

_enabled = os.environ.get(ENV) == "1"
_started = time.perf_counter()


# ---- worker side ----

def take_turn():
    """Yields to the other implementations; returns when it is this process's turn again."""
    global _started
    if not _enabled:
        return
    sys.stdout.write(MARK + "\n")
    sys.stdout.flush()
    if not sys.stdin.readline():
        raise SystemExit("the benchmark runner closed the turn pipe")
    _started = time.perf_counter()


def maybe_turn():
    """Yields if this turn has lasted SLICE_S; called between timed steps."""
    if _enabled and time.perf_counter() - _started >= SLICE_S:
        take_turn()


# ---- runner side ----

class Turns:
    """Runs worker processes (``subprocess.Popen`` with piped text stdin/stdout) one at a
    time, round robin, until each prints its result line. A worker that runs ``timeout``
    seconds without yielding is killed (its name lands in ``timed_out``)."""

    def __init__(self, procs, result_mark, timeout):
        self.procs = procs  # name -> Popen
        self.mark = result_mark
        self.timeout = timeout
        self.results = {}
        self.timed_out = set()

    def _kill(self, name):
        self.timed_out.add(name)
        self.procs[name].kill()

    def _turn(self, name, go=True):
        """Lets ``name`` run to its next yield (returns True) or its end (False)."""
        proc = self.procs[name]
        timer = threading.Timer(self.timeout, self._kill, (name,))
        timer.daemon = True
        timer.start()
        try:
            if go:
                try:
                    proc.stdin.write("go\n")
                    proc.stdin.flush()
                except OSError:  # it died while waiting
                    return False
            for line in proc.stdout:
                line = line.rstrip("\n")
                if line == MARK:
                    return True
                if line.startswith(self.mark):
                    self.results[name] = line[len(self.mark):]
            return False
        finally:
            timer.cancel()

    def run(self):
        try:
            # Every worker first yields as soon as it is up: none is timed while others start.
            live = [n for n in self.procs if self._turn(n, go=False)]
            while live:
                for name in list(live):
                    time.sleep(SETTLE_S)
                    if not self._turn(name):
                        live.remove(name)
        finally:
            for p in self.procs.values():
                if p.poll() is None:
                    p.kill()
                p.wait()
        return self.results
