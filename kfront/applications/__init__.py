"""``kfront.applications``: ImageNet model constructors, one module per family, as in
Keras (``kfront.applications.VGG16`` and ``kfront.applications.vgg16.VGG16`` both work).

Each family module also has its ``preprocess_input`` and ``decode_predictions``;
``weights="imagenet"`` downloads Keras's published files (see ``_weights.BASE_URL``).
"""
from kfront.applications import imagenet_utils  # noqa: F401
from kfront.applications import densenet  # noqa: F401
from kfront.applications import inception_resnet_v2  # noqa: F401
from kfront.applications import inception_v3  # noqa: F401
from kfront.applications import resnet  # noqa: F401
from kfront.applications import resnet50  # noqa: F401
from kfront.applications import resnet_v2  # noqa: F401
from kfront.applications import vgg16  # noqa: F401
from kfront.applications import vgg19  # noqa: F401
from kfront.applications import xception  # noqa: F401
from kfront.applications.densenet import DenseNet121, DenseNet169, DenseNet201  # noqa: F401
from kfront.applications.inception_resnet_v2 import InceptionResNetV2  # noqa: F401
from kfront.applications.inception_v3 import InceptionV3  # noqa: F401
from kfront.applications.resnet import ResNet50, ResNet101, ResNet152  # noqa: F401
from kfront.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2  # noqa: F401
from kfront.applications.vgg16 import VGG16  # noqa: F401
from kfront.applications.vgg19 import VGG19  # noqa: F401
from kfront.applications.xception import Xception  # noqa: F401
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
