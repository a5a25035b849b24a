"""MkDocs hook: ``::: kfront.<namespace>`` alone on a line documents every public name.

kfront's namespaces re-export their classes and functions from the files that define them,
some resolve names lazily on first use, and ``kfront.ops`` is built at import time from the
adapter contract, so a static read of a namespace's ``__init__.py`` does not list them all.
This hook imports the namespace and writes one directive per name, pointing at the file that
defines it; names without such a file (engine functions, generated objects) go in a table of
names and first docstring lines.
"""
import importlib
import inspect
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


# Namespaces whose classes are documented with their methods (Model.fit, Optimizer.apply...);
# elsewhere a class is its docstring and signature (a layer's call/build are not API).
WITH_METHODS = {"kfront", "kfront.models", "kfront.optimizers", "kfront.utils", "kfront.saving",
                "kfront.distribution", "kfront.testing", "kfront.metrics"}


def public_members(path):
    """``{name: object}`` of a namespace's public classes, functions and submodules."""
    module = importlib.import_module(path)
    names = set(getattr(module, "__all__", None) or dir(module))
    names |= set(getattr(module, "_NAMES", {})) | set(getattr(module, "_LAZY", {}))
    found, modules = {}, {}
    for name in sorted(names):
        if name.startswith("_"):
            continue
        try:
            obj = getattr(module, name)
        except (AttributeError, ImportError):
            continue
        if inspect.ismodule(obj):
            # Submodules of a namespace (kfront.datasets.mnist); the top-level package's
            # namespaces have pages of their own.
            if obj.__name__ == f"{path}.{name}" and path != "kfront" and \
                    not obj.__name__.startswith("kfront.backends"):
                modules[name] = obj
        elif inspect.isclass(obj) or callable(obj):
            found[name] = obj
    # Submodules are the API only of a namespace that is nothing else (kfront.datasets.mnist);
    # elsewhere they are where the names are defined.
    return found or modules


def _definition(obj):
    """Where griffe finds ``obj`` statically (``kfront.x.y.Name``), or None."""
    if inspect.ismodule(obj):
        return obj.__name__
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", "")
    if not module or not module.startswith("kfront.") or module.startswith("kfront.backends"):
        return None
    if "<" in qualname or "." in qualname:
        return None
    source = importlib.import_module(module)
    path = f"{module}.{qualname}"
    return path if getattr(source, qualname, None) is obj and _found_statically(path) else None


_STATIC = {}


def _found_statically(path):
    """Whether griffe (what mkdocstrings reads) finds ``path`` in the source files."""
    if "package" not in _STATIC:
        import griffe
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        _STATIC["package"] = griffe.load("kfront", search_paths=[root], resolve_aliases=False)
    try:
        found = _STATIC["package"][path[len("kfront."):]]
        if found.is_alias:
            found = found.final_target  # raises when it does not resolve
        # A class made by a function call reads as a module attribute: listed, not rendered.
        return not found.is_attribute
    except Exception:  # griffe's lookup errors: KeyError, AliasResolutionError...
        return False


def _first_line(obj):
    doc = (inspect.getdoc(obj) or "").strip().split("\n\n")[0]
    return doc.replace("\n", " ").replace("|", "\\|")[:160]


def _homes(config):
    """``{definition: page}``: the one API page that documents each object; an object that
    several namespaces hold is documented on the first page in the nav (the top-level
    ``kfront`` page last) and linked from the others."""
    if "homes" not in _STATIC:
        pages = []
        for entry in _nav_files(config["nav"]):
            text = open(os.path.join(config["docs_dir"], entry)).read() \
                if entry.startswith("api/") else ""
            for line in text.splitlines():
                if line.startswith("::: kfront") and " " not in line[4:].strip() and \
                        _is_namespace(line[4:].strip()):
                    pages.append((line[4:].strip() == "kfront", entry, line[4:].strip()))
        homes = {}
        for _, entry, path in sorted(pages, key=lambda p: p[0]):
            for obj in public_members(path).values():
                homes.setdefault(_definition(obj), entry)
        _STATIC["homes"] = homes
    return _STATIC["homes"]


def _is_namespace(path):
    try:
        return hasattr(importlib.import_module(path), "__path__")
    except ImportError:  # a class or function path: mkdocstrings' own directive
        return False


def _nav_files(nav):
    for item in nav or []:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, list):
                yield from _nav_files(value)
            elif isinstance(value, str):
                yield value


def expand(path, page_uri, homes):
    """The markdown for ``::: path`` on the page ``page_uri``."""
    lines, table = [], []
    for name, obj in public_members(path).items():
        target = _definition(obj)
        home = homes.get(target, page_uri) if target else None
        if target is None or home != page_uri:
            where = f" (see [{target}]({os.path.relpath(home, os.path.dirname(page_uri))}" \
                    f"#{target}))" if target else ""
            table.append(f"| `{path}.{name}` | {_first_line(obj)}{where} |")
            continue
        options = ["show_root_heading: true", "show_root_full_path: false",
                   "show_root_toc_entry: true"]
        if inspect.isclass(obj) and path not in WITH_METHODS:
            options.append("members: false")
        elif inspect.isclass(obj) and path == "kfront.models":
            options.append("inherited_members: true")  # fit/evaluate live on the trainer
        options.append("heading_level: 2" if inspect.ismodule(obj) else
                       "show_if_no_docstring: true")
        lines += [f"::: {target}", "    options:"] + [f"      {o}" for o in options] + [""]
    if table:
        lines = ["| name | what it does |", "|---|---|"] + table + [""] + lines
    return lines


def methods_table(class_path, defined_in):
    """A table of ``class_path``'s public methods whose code lives under ``defined_in``
    (the training methods a Model gets from a package griffe cannot read statically)."""
    module, _, name = class_path.rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    rows = ["| method | what it does |", "|---|---|"]
    for attr in sorted(dir(cls)):
        fn = getattr(cls, attr)
        if attr.startswith("_") or not inspect.isfunction(fn) or \
                not fn.__module__.startswith(defined_in):
            continue
        signature = str(inspect.signature(fn)).replace("(self, ", "(").replace("(self)", "()")
        rows.append(f"| `{attr}{signature}` | {_first_line(fn)} |".replace("|`", "| `"))
    return rows


def on_page_markdown(markdown, page, config, files):
    lines = []
    for line in markdown.splitlines():
        if line.startswith("<!-- kfront-methods "):
            lines += methods_table(*line.split()[2:4])
            continue
        path = line[4:].strip() if line.startswith("::: kfront") else ""
        if path and " " not in path and _is_namespace(path):
            lines += expand(path, page.file.src_uri, _homes(config))
        else:
            lines.append(line)
    return "\n".join(lines)
