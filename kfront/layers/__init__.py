"""``kfront.layers``: Keras 3's layers by class name."""
from kfront.layers.core.activation import Activation  # noqa: F401
from kfront.layers.core.dense import Dense  # noqa: F401
from kfront.layers.core.embedding import Embedding  # noqa: F401
from kfront.layers.core.input_layer import Input, InputLayer  # noqa: F401
from kfront.layers.core.lambda_layer import Lambda  # noqa: F401
from kfront.layers.input_spec import InputSpec  # noqa: F401
from kfront.layers.layer import Layer  # noqa: F401
from kfront.layers.merging.concatenate import Concatenate, concatenate  # noqa: F401
from kfront.layers.merging.merge import (  # noqa: F401
    Add, Average, Maximum, Minimum, Multiply, Subtract, add, average, maximum, minimum, multiply,
    subtract,
)
from kfront.layers.regularization.dropout import Dropout  # noqa: F401
from kfront.layers.reshaping.flatten import Flatten  # noqa: F401
from kfront.layers.reshaping.reshape import Reshape  # noqa: F401

# Each family package lists its layers in ``__all__``.
from kfront.layers.activations import *  # noqa: F401,F403,E402
from kfront.layers.attention import *  # noqa: F401,F403,E402
from kfront.layers.convolutional import *  # noqa: F401,F403,E402
from kfront.layers.core import *  # noqa: F401,F403,E402
from kfront.layers.merging import *  # noqa: F401,F403,E402
from kfront.layers.normalization import *  # noqa: F401,F403,E402
from kfront.layers.pooling import *  # noqa: F401,F403,E402
from kfront.layers.regularization import *  # noqa: F401,F403,E402
from kfront.layers.reshaping import *  # noqa: F401,F403,E402
from kfront.layers.rnn import *  # noqa: F401,F403,E402
from kfront.layers.preprocessing import *  # noqa: F401,F403,E402
from kfront.layers.preprocessing.image.max_num_boxes import MaxNumBoundingBoxes  # noqa: F401,E402
from kfront.layers.interop import *  # noqa: F401,F403,E402
# Audio spectrograms and feature crossing.
from kfront.layers.preprocessing.audio import *  # noqa: F401,F403,E402
from kfront.layers.preprocessing.feature.hashed_crossing import HashedCrossing  # noqa: E402
