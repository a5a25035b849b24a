"""Generated image folders for the image preprocessing tests."""
import os

import numpy as np
import pytest

from kfront.utils import save_img


def write_stripes(root, per_class=20, size=16, seed=0):
    """``root/horizontal`` and ``root/vertical``: noisy striped 16x16 RGB PNGs."""
    rng = np.random.RandomState(seed)
    base = (np.arange(size) // 2 % 2).astype("float32") * 200 + 25
    for name, pattern in (("horizontal", base[:, None] * np.ones((1, size))),
                          ("vertical", base[None, :] * np.ones((size, 1)))):
        os.makedirs(os.path.join(root, name), exist_ok=True)
        for i in range(per_class):
            shift = rng.randint(2)
            img = np.roll(pattern, shift, axis=0 if name == "horizontal" else 1)
            img = np.clip(img[:, :, None] + rng.normal(0, 15, (size, size, 3)), 0, 255)
            save_img(os.path.join(root, name, f"img_{i:02d}.png"), img, scale=False)
    return root


@pytest.fixture(scope="session")
def stripes_dir(tmp_path_factory):
    return str(write_stripes(str(tmp_path_factory.mktemp("stripes"))))


def pytest_collection_modifyitems(items):
    # The deprecation of ImageDataGenerator is asserted once, in its own test.
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.filterwarnings(
                "ignore:`ImageDataGenerator` is deprecated:DeprecationWarning"))
