"""Draws a ``model_graph.Graph`` with matplotlib: the fallback of ``plot_model`` where
Graphviz is not installed.

Layout (a simple layered drawing, enough for the graphs Keras models have): each box sits
on the rank of its longest path from a graph input; boxes on a rank are ordered by the mean
position of their parents, so chains stay straight and branches fan out; nested models get
a dashed frame with their name.
"""
from kfront.utils import model_graph

_FONT_PT = 9
_CHAR_IN = 0.6 * _FONT_PT / 72      # width of one character, in inches
_LINE_IN = 1.6 * _FONT_PT / 72      # height of one text line
_PAD_IN = 0.12
_RANK_GAP_IN = 0.45
_BOX_GAP_IN = 0.3
_MAX_PIXELS = 16000                 # matplotlib refuses images above 2**16 pixels a side


def available():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _lines(parts):
    title, activation, cells, trainable = parts
    lines = [title]
    if activation is not None:
        lines.append(f"Activation: {activation}")
    lines.extend(cells)
    if trainable is not None:
        lines.append("Trainable" if trainable else "Non-trainable")
    return lines


def _ranks(boxes, edges):
    index = {id(b): i for i, b in enumerate(boxes)}
    parents = {id(b): [] for b in boxes}
    for src, dst in edges:
        if id(src) in index and id(dst) in index:
            parents[id(dst)].append(src)
    rank = {}

    def rank_of(box, depth=0):
        key = id(box)
        if key not in rank:
            # A graph from a model is acyclic; the depth guard only stops a malformed one.
            ps = parents[key] if depth < len(boxes) else []
            rank[key] = 1 + max((rank_of(p, depth + 1) for p in ps), default=-1)
        return rank[key]

    for box in boxes:
        rank_of(box)
    return rank, parents


def layout(graph, label_args, rankdir="TB"):
    """``{id(layer): (x, y, w, h, lines)}`` in inches (y grows downward) and the figure size."""
    boxes = graph.boxes()
    edges = graph.all_edges()
    rank, parents = _ranks(boxes, edges)
    lines = {id(b): _lines(model_graph.label_parts(b, **label_args)) for b in boxes}
    size = {k: (max(len(s) for s in v) * _CHAR_IN + 2 * _PAD_IN,
                len(v) * _LINE_IN + 2 * _PAD_IN) for k, v in lines.items()}
    rows = {}
    for b in boxes:
        rows.setdefault(rank[id(b)], []).append(b)
    horizontal = rankdir.upper() in ("LR", "RL")
    along = 0 if horizontal else 1          # the axis ranks advance on
    across = 1 - along
    position = {}
    offset = _BOX_GAP_IN
    extent = 0.0
    for r in sorted(rows):
        row = rows[r]
        if r > 0:
            order = {id(b): i for i, b in enumerate(row)}

            def centre(b):
                ps = [p for p in parents[id(b)] if id(p) in position]
                if not ps:
                    return float("inf"), order[id(b)]
                return sum(position[id(p)][across] for p in ps) / len(ps), order[id(b)]
            row = sorted(row, key=centre)
        depth = max(size[id(b)][along] for b in row)
        spread = sum(size[id(b)][across] for b in row) + _BOX_GAP_IN * (len(row) + 1)
        extent = max(extent, spread)
        cursor = _BOX_GAP_IN
        for b in row:
            w, h = size[id(b)]
            c = [0.0, 0.0]
            c[along] = offset + depth / 2
            c[across] = cursor + size[id(b)][across] / 2
            position[id(b)] = (c[0], c[1], w, h)
            cursor += size[id(b)][across] + _BOX_GAP_IN
        offset += depth + _RANK_GAP_IN
    # Centre each rank across the widest one.
    for r, row in rows.items():
        spread = sum(size[id(b)][across] for b in row) + _BOX_GAP_IN * (len(row) + 1)
        shift = (extent - spread) / 2
        for b in row:
            p = list(position[id(b)])
            p[across] += shift
            position[id(b)] = tuple(p)
    total = (offset - _RANK_GAP_IN + _BOX_GAP_IN, extent)
    fig_size = (total[0], total[1]) if horizontal else (total[1], total[0])
    if rankdir.upper() in ("BT", "RL"):
        k = along
        position = {key: tuple(fig_size[k] - v if i == k else v for i, v in enumerate(p))
                    for key, p in position.items()}
    return {k: (*position[k], lines[k]) for k in position}, fig_size, boxes, edges


def draw(graph, to_file, extension, label_args, rankdir="TB", dpi=200):
    """Writes the drawing of ``graph`` to ``to_file`` in format ``extension``."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    placed, (width, height), boxes, edges = layout(graph, label_args, rankdir)
    width, height = max(width, 1.0), max(height, 0.5)
    fig = Figure(figsize=(width, height))
    supported = fig.canvas.get_supported_filetypes()
    if extension not in supported:
        raise ValueError(f"plot_model cannot write {extension!r} files without Graphviz; "
                         f"use one of {sorted(supported)} (or install Graphviz).")
    dpi = min(dpi, _MAX_PIXELS / max(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    horizontal = rankdir.upper() in ("LR", "RL")
    for src, dst in edges:
        if id(src) not in placed or id(dst) not in placed:
            continue
        (x1, y1, w1, h1, _), (x2, y2, w2, h2, _) = placed[id(src)], placed[id(dst)]
        if horizontal:
            sign = 1 if x2 >= x1 else -1
            start, end = (x1 + sign * w1 / 2, y1), (x2 - sign * w2 / 2, y2)
        else:
            sign = 1 if y2 >= y1 else -1
            start, end = (x1, y1 + sign * h1 / 2), (x2, y2 - sign * h2 / 2)
        ax.annotate("", xy=end, xytext=start,
                    arrowprops=dict(arrowstyle="-|>", lw=1.2, color="black",
                                    shrinkA=0, shrinkB=0))
    for key, (x, y, w, h, lines) in placed.items():
        top = y - h / 2
        ax.add_patch(Rectangle((x - w / 2, top), w, h, facecolor="white",
                               edgecolor="black", lw=1))
        ax.add_patch(Rectangle((x - w / 2, top), w, _LINE_IN + _PAD_IN, facecolor="black"))
        for i, text in enumerate(lines):
            # The title is centred in its band; the other lines share what is left evenly.
            ty = top + (_LINE_IN + _PAD_IN) / 2 if i == 0 else \
                top + _LINE_IN + 1.5 * _PAD_IN + (i - 0.5) * _LINE_IN
            ax.text(x, ty, text, ha="center", va="center", fontsize=_FONT_PT,
                    family="DejaVu Sans", color="white" if i == 0 else "black",
                    weight="bold" if i == 0 else "normal")
    _frame_clusters(ax, graph, placed)
    fig.savefig(to_file, format=extension, dpi=dpi, facecolor="white")


def _frame_clusters(ax, graph, placed):
    from matplotlib.patches import Rectangle
    for item in graph.items:
        if not isinstance(item, model_graph.Graph):
            continue
        members = [placed[id(b)] for b in item.boxes() if id(b) in placed]
        if not members:
            continue
        left = min(x - w / 2 for x, _, w, _, _ in members) - _PAD_IN
        right = max(x + w / 2 for x, _, w, _, _ in members) + _PAD_IN
        top = min(y - h / 2 for _, y, _, h, _ in members) - _PAD_IN - _LINE_IN
        bottom = max(y + h / 2 for _, y, _, h, _ in members) + _PAD_IN
        ax.add_patch(Rectangle((left, top), right - left, bottom - top, fill=False,
                               linestyle="--", edgecolor="gray"))
        ax.text(left + _PAD_IN, top + _LINE_IN / 2 + _PAD_IN / 2, item.model.name,
                fontsize=_FONT_PT, va="center", ha="left", color="gray")
        _frame_clusters(ax, item, placed)
