"""NASNet against Keras 3 (normal and reduction cells, separable convolutions, the
two-path adjust block): Keras's saved weights give Keras's predictions in kfront."""
import pytest
from applications_parity import check_parity

import kfront
from kfront.applications import nasnet

SHAPE = (32, 32, 3)
# A narrow NASNet-A with one normal cell per stage keeps the default run short; both cell
# kinds, both adjust paths and the skip wiring are in it.
SMALL = {"penultimate_filters": 96, "num_blocks": 1, "stem_block_filters": 8,
         "skip_reduction": False, "default_size": 224}


def test_nasnet_matches_keras(tmp_path):
    from keras.src.applications import nasnet as keras_nasnet
    check_parity(tmp_path,
                 lambda keras: keras_nasnet.NASNet(input_shape=SHAPE, weights=None, **SMALL),
                 lambda w: nasnet.NASNet(input_shape=SHAPE, weights=w, **SMALL),
                 32, legacy_h5=True)


@pytest.mark.slow
@pytest.mark.sampled("applications")
@pytest.mark.parametrize("ctor", ["NASNetMobile", "NASNetLarge"])
def test_nasnet_models_match_keras(tmp_path, ctor):
    check_parity(tmp_path,
                 lambda keras: getattr(keras.applications, ctor)(weights=None,
                                                                 input_shape=SHAPE),
                 lambda w: getattr(nasnet, ctor)(weights=w, input_shape=SHAPE), 32,
                 scale=1.0)


def test_nasnet_errors_and_paths():
    with pytest.raises(ValueError, match="must be a multiple of 24"):
        nasnet.NASNet(input_shape=SHAPE, weights=None, penultimate_filters=100)
    with pytest.raises(ValueError, match="input_shape argument must be static"):
        nasnet.NASNetLarge(input_shape=(None, None, 3), weights="imagenet", include_top=False)
    assert nasnet.NASNetMobile(weights=None, include_top=False).input_shape == \
        (None, 224, 224, 3)
    assert kfront.applications.NASNetMobile is nasnet.NASNetMobile
