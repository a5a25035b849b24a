"""``FeatureSpace``: one object that preprocesses a dict of structured-data columns
(normalize floats, look up or hash categories, cross features) into one vector per sample.

It runs on the host over NumPy, like kfront's string layers (``StringLookup``, ``Hashing``):
strings fit in no torch or JAX tensor. Apply it to the data or in a dataset's ``map``, and
build the model on ``get_encoded_features()``.
"""
import numpy as np

from kfront import ops
from kfront.layers.layer import Layer
from kfront.trainers.data_adapters.engine_tensors import engine_to_numpy, is_engine_tensor
from kfront.utils.naming import unique_name

FEATURE_OUTPUT_MODES = ("int", "one_hot", "float")


def _check_mode(value, allowed):
    if value not in allowed:
        raise ValueError("Invalid value for argument `output_mode`. Expected one of "
                         f"{{{', '.join(repr(a) for a in allowed)}}}. Received: "
                         f"output_mode={value}")


def _to_numpy(x):
    if is_engine_tensor(x):
        return engine_to_numpy(x)
    return np.asarray(x)


class Feature:
    """One feature of a ``FeatureSpace``: its input dtype, the layer that preprocesses it
    and how the result is encoded ("int", "one_hot" or "float")."""

    def __init__(self, dtype, preprocessor, output_mode):
        _check_mode(output_mode, FEATURE_OUTPUT_MODES)
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            from kfront.saving import deserialize_keras_object
            if preprocessor.get("class_name") == "TFDIdentity":
                # Keras's float() pass-through layer; kfront's is Identity.
                name = (preprocessor.get("config") or {}).get("name")
                preprocessor = {"class_name": "Identity", "config": {"name": name}}
            preprocessor = deserialize_keras_object(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self):
        return {"dtype": self.dtype, "preprocessor": _layer_config(self.preprocessor),
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Cross:
    """A cross of features, hashed into ``crossing_dim`` buckets (``HashedCrossing``)."""

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        _check_mode(output_mode, ("int", "one_hot"))
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        return "_X_".join(self.feature_names)

    def get_config(self):
        return {"feature_names": list(self.feature_names), "crossing_dim": self.crossing_dim,
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _layer_config(layer):
    """A preprocessor's serialized config, with its adapted state inside, so a reloaded
    FeatureSpace needs no weights file (as Keras's saves none of its own)."""
    from kfront.layers import Normalization
    from kfront.saving import serialize_keras_object
    config = serialize_keras_object(layer)
    if isinstance(layer, Normalization) and layer.input_mean is None and layer.built:
        config["config"]["mean"] = np.asarray(layer.adapt_mean.numpy()).tolist()
        config["config"]["variance"] = np.asarray(layer.adapt_variance.numpy()).tolist()
    return config


def _keras_entry(class_name, config):
    """A Feature or Cross config entry under the names Keras registers them by."""
    return {"module": "keras.src.layers.preprocessing.feature_space",
            "class_name": class_name, "config": config, "registered_name": class_name}


def _is_tf_graph_tensor(x):
    """A symbolic TensorFlow tensor (in ``tf.data.map`` or a ``tf.function``)."""
    if not type(x).__module__.startswith("tensorflow"):
        return False
    import tensorflow as tf
    return not tf.executing_eagerly()


def _identity(x):
    return np.asarray(x, dtype="float32")


class FeatureSpace(Layer):
    """Preprocesses a dict of feature columns into one encoded vector per sample (or a dict
    of encoded features), as Keras's ``FeatureSpace``.

    Args:
        features: ``{name: feature}``, a feature being a ``FeatureSpace.*`` spec (e.g.
            ``FeatureSpace.float_normalized()``) or its name as a string
            (``"float_normalized"``, ``"string_categorical"``, ...).
        output_mode: "concat" (one float32 vector per sample) or "dict".
        crosses: a list of feature-name tuples (or ``FeatureSpace.cross(...)``) to cross.
        crossing_dim: hash buckets of a cross given as a tuple.
        hashing_dim: buckets of ``"integer_hashed"``/``"string_hashed"`` given by name.
        num_discretization_bins: bins of ``"float_discretized"`` given by name.

    >>> fs = kfront.utils.FeatureSpace(
    ...     {"age": "float_normalized", "city": "string_categorical",
    ...      "zip": FeatureSpace.integer_hashed(num_bins=16)},
    ...     crosses=[("city", "zip")], crossing_dim=8)
    >>> fs.adapt(features)          # a dict of columns, or a dataset of dicts
    >>> x = fs(features)            # (samples, encoded size) float32
    >>> inputs = fs.get_encoded_features()
    >>> model = kfront.Model(inputs, kfront.layers.Dense(1)(inputs))
    """

    # ---- feature specs -------------------------------------------------------------------
    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        name = name or unique_name("float")
        from kfront.layers import Identity
        return Feature("float32", Identity(name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        from kfront.layers import Rescaling
        name = name or unique_name("float_rescaled")
        return Feature("float32", Rescaling(scale=scale, offset=offset,
                                            name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_normalized(cls, name=None):
        from kfront.layers import Normalization
        name = name or unique_name("float_normalized")
        return Feature("float32", Normalization(axis=-1, name=f"{name}_preprocessor"),
                       "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot",
                          name=None):
        from kfront.layers import Discretization
        name = name or unique_name("float_discretized")
        return Feature("float32", Discretization(num_bins=num_bins,
                                                 bin_boundaries=bin_boundaries,
                                                 name=f"{name}_preprocessor"), output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                            name=None):
        from kfront.layers import IntegerLookup
        name = name or unique_name("integer_categorical")
        return Feature("int32", IntegerLookup(name=f"{name}_preprocessor",
                                              max_tokens=max_tokens,
                                              num_oov_indices=num_oov_indices), output_mode)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                           name=None):
        from kfront.layers import StringLookup
        name = name or unique_name("string_categorical")
        return Feature("string", StringLookup(name=f"{name}_preprocessor",
                                              max_tokens=max_tokens,
                                              num_oov_indices=num_oov_indices), output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        from kfront.layers import Hashing
        name = name or unique_name("string_hashed")
        return Feature("string", Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        from kfront.layers import Hashing
        name = name or unique_name("integer_hashed")
        return Feature("int32", Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    # ---- construction --------------------------------------------------------------------
    def __init__(self, features, output_mode="concat", crosses=None, crossing_dim=32,
                 hashing_dim=32, num_discretization_bins=32, name=None, **kwargs):
        adapted = kwargs.pop("adapted", False)
        super().__init__(name=name, **kwargs)
        if not features:
            raise ValueError("The `features` argument cannot be None or empty.")
        if not isinstance(features, dict):
            raise ValueError("The `features` argument must be a dict {name: feature}. "
                             f"Received: {type(features).__name__}")
        if output_mode not in ("dict", "concat"):
            raise ValueError("Invalid value for argument `output_mode`. Expected one of "
                             f"{{'dict', 'concat'}}. Received: output_mode={output_mode}")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.output_mode = output_mode
        # Plain attributes, not tracked sublayers: the adapted state travels in the config.
        object.__setattr__(self, "features", {
            key: self._standardize_feature(key, value) for key, value in features.items()})
        object.__setattr__(self, "crosses", [self._standardize_cross(c, features)
                                             for c in crosses or ()])
        self.crosses_by_name = {c.name: c for c in self.crosses}
        object.__setattr__(self, "preprocessors",
                           {key: f.preprocessor for key, f in self.features.items()})
        from kfront.layers import HashedCrossing
        object.__setattr__(self, "crossers", {
            c.name: HashedCrossing(c.crossing_dim, name=c.name) for c in self.crosses})
        self._is_adapted = bool(adapted) or not self._list_adaptable_preprocessors()
        self._encoded = None
        self._inputs = None

    def _standardize_feature(self, name, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return Feature.from_config(feature.get("config", feature))
        makers = {
            "float": lambda: self.float(name=name),
            "float_normalized": lambda: self.float_normalized(name=name),
            "float_rescaled": lambda: self.float_rescaled(name=name),
            "float_discretized": lambda: self.float_discretized(
                self.num_discretization_bins, name=name),
            "integer_categorical": lambda: self.integer_categorical(name=name),
            "string_categorical": lambda: self.string_categorical(name=name),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=name),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=name),
        }
        if not isinstance(feature, str) or feature not in makers:
            raise ValueError(f"Invalid feature type: {feature!r} (feature {name!r}). Expected "
                             f"a FeatureSpace feature or one of {sorted(makers)}.")
        return makers[feature]()

    def _standardize_cross(self, cross, features):
        if isinstance(cross, dict):
            cross = Cross.from_config(cross.get("config", cross))
        if isinstance(cross, Cross):
            return cross
        if not self.crossing_dim:
            raise ValueError("When specifying `crosses`, the argument `crossing_dim` "
                             "(dimensionality of the crossing space) should be specified as "
                             "well.")
        unknown = [k for k in cross if k not in features]
        if unknown:
            raise ValueError("All features referenced in the `crosses` argument should be "
                             f"present in the `features` dict. Received unknown features: "
                             f"{unknown} in cross {tuple(cross)}")
        return Cross(cross, crossing_dim=self.crossing_dim)

    # ---- adapt ---------------------------------------------------------------------------
    def _list_adaptable_preprocessors(self):
        from kfront.layers import Discretization, Normalization
        names = []
        for key, layer in self.preprocessors.items():
            if isinstance(layer, Normalization) and layer.input_mean is not None:
                continue
            if isinstance(layer, Discretization) and layer.bin_boundaries is not None:
                continue
            if hasattr(layer, "get_vocabulary") and getattr(layer, "_vocabulary_given", False):
                continue
            if hasattr(layer, "adapt"):
                names.append(key)
        return names

    def adapt(self, dataset):
        """Computes each adaptable preprocessor's state (vocabularies, mean and variance,
        bin boundaries) from ``dataset``: a dict of arrays/lists, or a dataset
        (``tf.data``, kfront's ``Dataset``, any iterable) of such dicts."""
        if isinstance(dataset, dict):
            parts = [dataset]
        elif hasattr(dataset, "__iter__") and not isinstance(dataset, (str, bytes)):
            parts = list(dataset)
        else:
            raise ValueError("`adapt()` can only be called on a dataset of dicts or a dict of "
                             f"arrays/lists. Received instead: {dataset!r:.100} (of type "
                             f"{type(dataset).__name__})")
        for part in parts:
            if not isinstance(part, dict):
                raise ValueError(f"`adapt()` expects the dataset to yield dicts {{feature name: "
                                 f"values}}; it yielded a {type(part).__name__}. Map away "
                                 "the labels first: `ds.map(lambda x, y: x)`.")
        for key in self._list_adaptable_preprocessors():
            missing = [i for i, p in enumerate(parts) if key not in p]
            if missing:
                raise ValueError(f"`adapt()`: the data has no feature {key!r}.")
            column = np.concatenate([self._column(p[key]) for p in parts])
            self.preprocessors[key].adapt(column)
        self._is_adapted = True
        self.built = True

    @staticmethod
    def _column(x):
        """Values as a ``(samples, 1)`` column."""
        x = _to_numpy(x)
        if x.ndim == 0:
            x = x.reshape(1, 1)
        elif x.ndim == 1:
            x = x[:, None]
        return x

    def _check_if_adapted(self):
        if not self._is_adapted:
            raise ValueError("You need to call `.adapt(dataset)` on the FeatureSpace before "
                             "you can start using it.")

    # ---- encoding ------------------------------------------------------------------------
    def _preprocess(self, key, x):
        layer = self.preprocessors[key]
        from kfront.layers import Identity
        if isinstance(layer, Identity):
            return _identity(x)
        return _to_numpy(layer(x))

    @staticmethod
    def _cardinality(key, layer):
        from kfront.layers import (CategoryEncoding, Discretization, HashedCrossing, Hashing,
                                   IntegerLookup, StringLookup)
        if isinstance(layer, (IntegerLookup, StringLookup)):
            return layer.vocabulary_size()
        if isinstance(layer, CategoryEncoding):
            return layer.num_tokens
        if isinstance(layer, Discretization) and layer.bin_boundaries is not None:
            return len(layer.bin_boundaries) + 1
        if isinstance(layer, (Discretization, HashedCrossing, Hashing)):
            return layer.num_bins
        raise ValueError(f"Feature '{key}' has `output_mode='one_hot'`. However it isn't a "
                         "standard feature and the dimensionality of its output space is not "
                         "known, thus it cannot be one-hot encoded. Try using "
                         "`output_mode='int'`.")

    def _encode(self, key, values, spec, layer):
        if spec.output_mode != "one_hot":
            return values
        if values.dtype.kind not in "iu":
            raise ValueError(f"Feature '{key}' has `output_mode='one_hot'`. Thus its "
                             "preprocessor should return an integer dtype. Instead it returns "
                             f"a {values.dtype} dtype.")
        depth = self._cardinality(key, layer)
        out = np.zeros(values.shape[:-1] + (depth,), dtype="float32")
        flat = values.reshape(len(values), -1)
        for j in range(flat.shape[1]):
            out[np.arange(len(values)), flat[:, j]] = 1.0
        return out

    def _encoded_numpy(self, data):
        """``{name: encoded array}`` for the columns of ``data`` (each ``(batch, 1)``)."""
        pre = {key: self._preprocess(key, data[key]) for key in sorted(self.features)}
        # Crosses hash the preprocessed values (lookup indices, bins), as in Keras.
        crossed = {name: _to_numpy(crosser([pre[k] for k in
                                            self.crosses_by_name[name].feature_names]))
                   for name, crosser in self.crossers.items()}
        out = {}
        for key in sorted(pre):
            out[key] = self._encode(key, pre[key], self.features[key],
                                    self.preprocessors[key])
        for key in sorted(crossed):
            out[key] = self._encode(key, crossed[key], self.crosses_by_name[key],
                                    self.crossers[key])
        return out

    def _concat(self, encoded):
        for key, value in encoded.items():
            if value.dtype.kind in "iuUSO":
                raise ValueError(f"Cannot concatenate features because feature '{key}' has "
                                 f"not been encoded (it has dtype {value.dtype}). Consider "
                                 "using `output_mode='dict'`.")
        return np.concatenate([v.astype("float32") for v in encoded.values()], axis=-1)

    def __call__(self, data, **kwargs):
        kwargs.pop("training", None)
        self._check_if_adapted()
        if not isinstance(data, dict):
            raise ValueError("A FeatureSpace can only be called with a dict. Received: "
                             f"data={data!r:.100} (of type {type(data).__name__})")
        missing = sorted(set(self.features) - set(data))
        if missing:
            raise ValueError(f"FeatureSpace: the data has no value for the features {missing} "
                             f"(it has {sorted(data)}).")
        if any(_is_tf_graph_tensor(v) for v in data.values()):
            return self._call_in_tf_graph(data)
        result = self._host_call(data)
        if self.output_mode == "concat":
            return ops.convert_to_tensor(result)
        return {key: ops.convert_to_tensor(v) for key, v in result.items()}

    def _host_call(self, data):
        """The encoded features of ``data`` as NumPy: one array ("concat") or a dict."""
        columns = {key: _to_numpy(value) for key, value in data.items()}
        scalar = any(v.ndim == 0 for v in columns.values())
        columns = {key: self._column(value) for key, value in columns.items()}
        encoded = self._encoded_numpy(columns)
        self.built = True
        if self.output_mode == "concat":
            merged = self._concat(encoded)
            return merged[0] if scalar else merged
        widths = self._widths()
        return {key: (v[0] if scalar else v).astype(widths[key][1])
                for key, v in encoded.items()}

    def _call_in_tf_graph(self, data):
        """Inside ``tf.data``'s ``map`` (a TF graph): the host code runs through
        ``tf.numpy_function``, so Keras's ``ds.map(lambda x, y: (fs(x), y))`` works."""
        import tensorflow as tf
        keys = sorted(data)
        widths = self._widths()
        names = list(widths)

        def run(*values):
            result = self._host_call(dict(zip(keys, values)))
            if self.output_mode == "concat":
                return [result]
            return [result[name] for name in names]

        if self.output_mode == "concat":
            dtypes = [tf.float32]
        else:
            dtypes = [tf.as_dtype(widths[name][1]) for name in names]
        outputs = tf.numpy_function(run, [data[k] for k in keys], dtypes, stateful=False)
        rank = tf.TensorShape(data[keys[0]].shape).rank
        batch = [] if rank == 0 else [tf.TensorShape(data[keys[0]].shape)[0]]
        if self.output_mode == "concat":
            outputs[0].set_shape(batch + [sum(w for w, _ in widths.values())])
            return outputs[0]
        for name, out in zip(names, outputs):
            out.set_shape(batch + [widths[name][0]])
        return dict(zip(names, outputs))

    def _widths(self):
        """``{name: (width, dtype)}`` of each encoded feature, in output order."""
        widths = {}
        for key in sorted(self.features):
            spec = self.features[key]
            if spec.output_mode == "one_hot":
                widths[key] = (self._cardinality(key, spec.preprocessor), "float32")
            else:
                widths[key] = (1, "float32" if spec.output_mode == "float" else "int64")
        for key in sorted(self.crosses_by_name):
            cross = self.crosses_by_name[key]
            widths[key] = (cross.crossing_dim if cross.output_mode == "one_hot" else 1,
                           "float32" if cross.output_mode == "one_hot" else "int64")
        return widths

    def get_encoded_features(self):
        """Symbolic inputs shaped like the encoded features: one ``Input`` of the concatenated
        width ("concat"), or a dict of them ("dict"). Build the trainable model on them and
        feed it ``feature_space(data)``."""
        self._check_if_adapted()
        if self._encoded is None:
            from kfront.layers import Input
            widths = self._widths()
            if self.output_mode == "concat":
                for key, (_, dtype) in widths.items():
                    if dtype != "float32":
                        raise ValueError(f"Cannot concatenate features because feature "
                                         f"'{key}' has not been encoded (it has dtype "
                                         f"{dtype}). Consider using `output_mode='dict'`.")
                self._encoded = Input(shape=(sum(w for w, _ in widths.values()),),
                                      name=f"{self.name}_encoded")
            else:
                self._encoded = {key: Input(shape=(w,), dtype=dtype, name=key)
                                 for key, (w, dtype) in widths.items()}
        return self._encoded

    def get_inputs(self):
        """``{name: Input(shape=(1,), dtype)}``, one symbolic input per raw feature."""
        self._check_if_adapted()
        if self._inputs is None:
            from kfront.layers import Input
            self._inputs = {key: Input(shape=(1,), dtype=f.dtype, name=key)
                            for key, f in self.features.items()}
        return self._inputs

    # ---- saving --------------------------------------------------------------------------
    def get_config(self):
        return {
            "name": self.name,
            "features": {key: _keras_entry("Feature", f.get_config())
                         for key, f in self.features.items()},
            "output_mode": self.output_mode,
            "crosses": [_keras_entry("Cross", c.get_config()) for c in self.crosses],
            "crossing_dim": self.crossing_dim, "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }
        # No "adapted" flag (Keras's constructor has none): the adapted state is in the
        # preprocessors' configs, and a space whose preprocessors all carry it is adapted.

    def keras_archive_config(self, config):
        """The archive config as Keras writes a FeatureSpace's, so Keras loads kfront's
        ``.keras`` file: its module, and a build config per feature (empty: Keras builds
        the preprocessors on first use)."""
        return dict(config, module="keras.utils", registered_name=None,
                    build_config={key: {} for key in self.features})

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def load_keras_archive_state(self, weights, assets):
        """Reads the adapted state a ``.keras`` file written by Keras keeps outside the
        config: Normalization statistics in ``preprocessors/<key>/vars`` of the weights
        file and lookup vocabularies in ``assets/preprocessors/<key>/``, keyed as Keras
        names the preprocessors (kfront's own files carry the state in the config)."""
        from kfront.layers import Normalization
        group = weights.get("preprocessors")
        layers = list(self.preprocessors.values())
        # Keras's float() preprocessor is its TFDIdentity class.
        names = [{"Identity": "TFDIdentity"}.get(type(layer).__name__, type(layer).__name__)
                 for layer in layers]
        loaded = False
        for key, layer in zip(self._keras_keys(names), layers):
            folder = f"assets/preprocessors/{key}/"
            files = {n[len(folder):]: data for n, data in assets.items()
                     if n.startswith(folder)}
            if files and hasattr(layer, "load_assets_from"):
                layer.load_assets_from(files)
                loaded = True
            stored = group.get(f"{key}/vars") if group is not None else None
            if isinstance(layer, Normalization) and stored is not None and len(stored):
                if not layer.built:
                    layer.build((None, 1))
                values = [np.asarray(stored[str(i)]) for i in range(len(stored))]
                for var, value in zip(layer.weights, values):
                    var.assign(value.astype(var.dtype).reshape(var.shape))
                loaded = True
        if loaded:
            self._is_adapted = True
            self.built = True

    @staticmethod
    def _keras_keys(class_names):
        """Keras's keys for the preprocessors: snake-cased class names made unique."""
        from kfront.utils.naming import to_snake_case
        used, keys = {}, []
        for name in class_names:
            base = to_snake_case(name)
            keys.append(base if base not in used else f"{base}_{used[base]}")
            used[base] = used.get(base, 0) + 1
        return keys

    def save(self, filepath):
        """Saves the FeatureSpace (with its adapted state) to a ``.kfront`` or ``.keras``
        file; ``kfront.saving.load_model(filepath)`` reloads it."""
        from kfront.saving.saving_lib import save_model
        save_model(self, filepath)

