"""Keras 2 names kept for code written against ``keras.backend`` and ``keras.legacy``.

``kfront.legacy.backend`` holds the Keras 2 backend functions (``K.dot``, ``K.mean``...),
which ``kfront.backend`` re-exports; ``kfront.legacy.saving`` the Keras 2 serialization
helpers, as ``keras.legacy.saving`` has them.
"""
