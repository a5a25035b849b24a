"""``get_source_inputs``: the ``Input`` tensors a symbolic tensor was computed from."""


def get_source_inputs(tensor):
    """The list of input tensors (``kfront.Input``s) needed to compute ``tensor``, each
    once, in the order they are first reached. A tensor that has no layer history is
    returned as is.

    >>> a, b = kfront.Input((3,)), kfront.Input((3,))
    >>> kfront.utils.get_source_inputs(kfront.layers.Add()([a, b])) == [a, b]
    True
    """
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return tensor
    layer, node_index, _ = history
    if not layer or not layer._inbound_nodes:
        return [tensor]
    node = layer._inbound_nodes[node_index]
    if node.is_input:
        return list(node.outputs)
    sources = []
    for parent in node.input_tensors:
        for source in get_source_inputs(parent):
            if all(source is not seen for seen in sources):
                sources.append(source)
    return sources
