"""``python -m kfront <command>``: the command-line tools that ship with kfront."""
