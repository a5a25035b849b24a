"""``DTypePolicyMap``: dtype policies by layer path (exact or regular-expression keys)."""
import re
from collections.abc import MutableMapping

from kfront.mixed_precision.dtype_policy import DTypePolicy


class DTypePolicyMap(DTypePolicy, MutableMapping):
    """Maps layer paths to ``DTypePolicy``s; a path no key matches gets ``default_policy``.

    A lookup tries the exact key first, then every key as a pattern (``re.fullmatch``);
    more than one matching pattern is an error.

    Args:
        default_policy: the policy of unmatched paths (default: the global policy).
        policy_map: an initial ``{path or pattern: policy}`` dict.

    >>> policy_map = DTypePolicyMap(default_policy="float32")
    >>> policy_map["encoder/.*"] = "bfloat16"
    >>> policy_map["encoder/dense"].name, policy_map["decoder"].name
    ('bfloat16', 'float32')
    """

    def __init__(self, default_policy=None, policy_map=None):
        from kfront.dtype_policies import get
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("`default_policy` cannot be a `DTypePolicyMap`.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError("If specified, `policy_map` must be a dict. Received: "
                            f"policy_map={policy_map!r} of type {type(policy_map).__name__}")
        self._default_policy_arg = default_policy
        self._default_policy = None if default_policy is None else get(default_policy)
        self._policy_map = {}
        for key, policy in (policy_map or {}).items():
            self[key] = policy

    @property
    def default_policy(self):
        """The policy for paths no key matches (the global policy when none was given)."""
        from kfront.dtype_policies import get
        return get(self._default_policy)

    @property
    def name(self):
        return f"map_{self.default_policy.name}"

    @property
    def variable_dtype(self):
        return self.default_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self.default_policy.compute_dtype

    @property
    def quantization_mode(self):
        return self.default_policy.quantization_mode

    def __getitem__(self, key):
        if key in self._policy_map:
            return self._policy_map[key]
        matches = [p for p in self._policy_map if re.fullmatch(p, key)]
        if len(matches) > 1:
            raise ValueError(f"Path '{key}' matches multiple dtype policy specification keys: "
                             f"{matches}. Please make sure each path only matches at most one "
                             "dtype policy specification key in the DTypePolicyMap.")
        return self._policy_map[matches[0]] if matches else self.default_policy

    def __setitem__(self, key, policy):
        from kfront.dtype_policies import get
        if key in self._policy_map:
            raise ValueError(f"{key} already exist in the DTypePolicyMap with value "
                             f"{self._policy_map[key]}. Please make sure to not use "
                             "duplicated keys.")
        try:
            policy = get(policy)
        except Exception:
            raise ValueError("Cannot interpret the assigned value by "
                             f"`kfront.dtype_policies.get`. Received: {policy!r} of type "
                             f"{type(policy).__name__}") from None
        self._policy_map[key] = policy

    def __delitem__(self, key):
        return self._policy_map.pop(key)

    def __contains__(self, key):
        return key in self._policy_map

    def __len__(self):
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def __eq__(self, other):
        return isinstance(other, DTypePolicyMap) and \
            other._default_policy == self._default_policy and \
            other._policy_map == self._policy_map

    __hash__ = None

    def get_config(self):
        from kfront.dtype_policies import serialize
        default = self._default_policy_arg
        if isinstance(default, DTypePolicy):
            default = serialize(default)
        return {"default_policy": default,
                "policy_map": {k: serialize(v) for k, v in self._policy_map.items()}}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kfront.dtype_policies import deserialize
        config = dict(config)
        policy_map = config.get("policy_map") or {}
        # Keras writes the dict itself as a serialized object: {"config": {...}}.
        if isinstance(policy_map, dict) and "config" in policy_map and \
                policy_map.get("class_name") == "__dict__":
            policy_map = policy_map["config"]
        config["policy_map"] = {k: deserialize(v, custom_objects) if isinstance(v, dict) else v
                                for k, v in policy_map.items()}
        default = config.get("default_policy")
        if isinstance(default, dict):
            config["default_policy"] = deserialize(default, custom_objects)
        return cls(**config)

    def __repr__(self):
        default = self._default_policy.name if self._default_policy is not None else None
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return f"<DTypePolicyMap default_policy={default}, mapping={mapping}>"
