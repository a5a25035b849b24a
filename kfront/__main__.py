"""``python -m kfront info``: see ``kfront/cli/``."""
import importlib
import sys

# Each command is a module of kfront.cli with ``main(argv) -> exit status``.
COMMANDS = {
    "info": ("kfront.cli.info", "versions, the selected backend and why, engines and devices"),
    "compare": ("kfront.cli.compare", "run a script on every backend; compare what it logs"),
}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        lines = ["usage: python -m kfront <command> [options]", "", "commands:"]
        lines += [f"  {name:10s} {help_}" for name, (_, help_) in COMMANDS.items()]
        unknown = argv and argv[0] not in ("-h", "--help")
        if unknown:
            lines.insert(0, f"kfront: unknown command {argv[0]!r}")
        print("\n".join(lines), file=sys.stderr if unknown else sys.stdout)
        return 2 if unknown or not argv else 0
    return importlib.import_module(COMMANDS[argv[0]][0]).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
