"""Image preprocessing layers: rescaling, resizing, cropping and random augmentation."""
__all__ = []
