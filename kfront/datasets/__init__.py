"""``kfront.datasets``: small datasets; ``digits`` ships with the package."""
from kfront.datasets import digits  # noqa: F401
