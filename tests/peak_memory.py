"""Peak resident memory of this process, resettable (Linux's VmHWM and clear_refs).

``resource.getrusage(...).ru_maxrss`` is no use here: it never goes down, and a child
started by a large pytest process inherits the parent's peak across fork and exec.
"""
import resource

_STATUS = "/proc/self/status"


def reset_peak():
    """Starts a new peak measurement; False where the system cannot."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_kb():
    """The peak resident set size in KiB since the process started or ``reset_peak``."""
    try:
        with open(_STATUS) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
