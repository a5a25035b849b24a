"""Counting batches for callbacks that save every ``save_freq`` batches."""


def is_valid_save_freq(save_freq):
    """Whether ``save_freq`` is "epoch" or a positive integer."""
    if save_freq == "epoch":
        return True
    return isinstance(save_freq, int) and not isinstance(save_freq, bool) and save_freq >= 1


class BatchCounter:
    """Says when ``every`` training batches have run since the last save.

    The batch index restarts at 0 each epoch, so the count is what ran since the
    previous call, not the index itself.
    """

    def __init__(self, every):
        self.every = every
        self.seen_since_save = 0
        self.last_batch = None

    def step(self, batch):
        """Records batch ``batch``; True when a save is due (the count then restarts)."""
        if self.last_batch is None or batch <= self.last_batch:
            added = batch + 1
        else:
            added = batch - self.last_batch
        self.seen_since_save += added
        self.last_batch = batch
        if self.seen_since_save >= self.every:
            self.seen_since_save = 0
            return True
        return False
