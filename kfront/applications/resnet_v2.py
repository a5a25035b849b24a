"""ResNet50V2/101V2/152V2 (He et al., "Identity Mappings in Deep Residual Networks",
ECCV 2016): pre-activation residual blocks."""
from kfront.applications import _docs
from kfront.applications.resnet import ResNet, stack_residual_blocks_v2


def _v2_stacks(conv3_blocks, conv4_blocks):
    def stack_fn(x):
        x = stack_residual_blocks_v2(x, 64, 3, name="conv2")
        x = stack_residual_blocks_v2(x, 128, conv3_blocks, name="conv3")
        x = stack_residual_blocks_v2(x, 256, conv4_blocks, name="conv4")
        return stack_residual_blocks_v2(x, 512, 3, stride1=1, name="conv5")
    return stack_fn


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
               pooling=None, classes=1000, classifier_activation="softmax",
               name="resnet50v2"):
    return ResNet(_v2_stacks(4, 6), True, True, include_top, weights, input_tensor,
                  input_shape, pooling, classes, classifier_activation, name, "resnet50v2")


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="resnet101v2"):
    return ResNet(_v2_stacks(4, 23), True, True, include_top, weights, input_tensor,
                  input_shape, pooling, classes, classifier_activation, name, "resnet101v2")


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="resnet152v2"):
    return ResNet(_v2_stacks(8, 36), True, True, include_top, weights, input_tensor,
                  input_shape, pooling, classes, classifier_activation, name, "resnet152v2")


for _f, _depth in ((ResNet50V2, 50), (ResNet101V2, 101), (ResNet152V2, 152)):
    _docs.document(_f, f"Instantiates the ResNet{_depth}V2 architecture.", 224, 32, "tf")
preprocess_input, decode_predictions = _docs.preprocessing("resnet_v2", "tf")
