"""VGG19 (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
Recognition", ICLR 2015)."""
from kfront.applications import _docs
from kfront.applications.vgg16 import build_vgg

_HASHES = ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6")


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg19"):
    return build_vgg((2, 2, 4, 4, 4), "vgg19", _HASHES, include_top=include_top,
                     weights=weights, input_tensor=input_tensor, input_shape=input_shape,
                     pooling=pooling, classes=classes,
                     classifier_activation=classifier_activation, name=name)


_docs.document(VGG19, "Instantiates the VGG19 model (16 convolutions, 3 dense layers).",
               224, 32, "caffe")
preprocess_input, decode_predictions = _docs.preprocessing("vgg19", "caffe")
