"""Where kfront's progress output goes: stdout (interactive logging, the default) or the
``"kfront"`` Python logger, one plain line per message (no redrawn lines, no colours)."""
import logging
import sys

_state = {"interactive": True}
logger = logging.getLogger("kfront")


def enable_interactive_logging():
    """Progress bars and epoch lines go to stdout (the default)."""
    _state["interactive"] = True


def disable_interactive_logging():
    """Progress bars and epoch lines go to the ``"kfront"`` logger at INFO level, one plain
    line per message: for log files and job schedulers."""
    _state["interactive"] = False


def is_interactive_logging_enabled():
    """True when progress output goes to stdout, False when it goes to the logger."""
    return _state["interactive"]


def print_msg(message, line_break=True):
    """Writes ``message`` to stdout, or logs it as one line when interactive logging is
    off."""
    if _state["interactive"]:
        sys.stdout.write(message + ("\n" if line_break else ""))
        sys.stdout.flush()
    else:
        logger.info(message.strip("\r\n"))
