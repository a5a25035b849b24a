"""Runs a batch pipeline one step ahead in a background thread.

While the engine runs step ``n``, the thread draws batch ``n + 1`` from its source and turns it
into engine tensors, so host work (slicing, decoding, the host-to-device copy) overlaps with
compute. The consumer pays one queue hand-off per step.
"""
import queue
import threading

_END = object()


def prefetched(source, convert, depth=2):
    """Yields ``convert(item)`` for each item of ``source``, computed ``depth`` items ahead in
    a background thread; ``depth=0`` runs everything inline.

    Exceptions raised by ``source`` or ``convert`` reach the consumer at the item where they
    happened. When the consumer stops early, the thread is stopped and joined before this
    generator closes, so a shared source is never advanced by two threads at once.
    """
    if depth <= 0:
        for item in source:
            yield convert(item)
        return
    hand_off = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry):
        while not stop.is_set():
            try:
                hand_off.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work():
        try:
            for item in source:
                if stop.is_set() or not put((convert(item), None)):
                    return
            put((_END, None))
        except BaseException as e:  # re-raised in the consumer's thread
            put((_END, e))

    worker = threading.Thread(target=work, name="kfront-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item, error = hand_off.get()
            if item is _END:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        # Free the queue so a blocked put returns at once, then wait for the worker.
        while worker.is_alive():
            try:
                hand_off.get(timeout=0.01)
            except queue.Empty:
                pass
        worker.join()
