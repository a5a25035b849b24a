"""``kfront.applications``: ImageNet model constructors, one module per family, as in
Keras (``kfront.applications.VGG16`` and ``kfront.applications.vgg16.VGG16`` both work).

Each family module also has its ``preprocess_input`` and ``decode_predictions``.
"""
from kfront.applications import imagenet_utils  # noqa: F401
from kfront.applications import (  # noqa: F401
    convnext, efficientnet, efficientnet_v2, mobilenet, mobilenet_v2, mobilenet_v3, nasnet,
)
from kfront.applications.convnext import (  # noqa: F401
    ConvNeXtBase, ConvNeXtLarge, ConvNeXtSmall, ConvNeXtTiny, ConvNeXtXLarge,
)
from kfront.applications.efficientnet import (  # noqa: F401
    EfficientNetB0, EfficientNetB1, EfficientNetB2, EfficientNetB3, EfficientNetB4,
    EfficientNetB5, EfficientNetB6, EfficientNetB7,
)
from kfront.applications.efficientnet_v2 import (  # noqa: F401
    EfficientNetV2B0, EfficientNetV2B1, EfficientNetV2B2, EfficientNetV2B3, EfficientNetV2L,
    EfficientNetV2M, EfficientNetV2S,
)
from kfront.applications.mobilenet import MobileNet  # noqa: F401
from kfront.applications.mobilenet_v2 import MobileNetV2  # noqa: F401
from kfront.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small  # noqa: F401
from kfront.applications.nasnet import NASNetLarge, NASNetMobile  # noqa: F401
