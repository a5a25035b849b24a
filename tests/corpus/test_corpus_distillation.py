"""Knowledge distillation as the Keras example writes it: a ``Distiller`` whose
``compute_loss(self, x, y, y_pred, sample_weight)`` override has no ``training``
argument (the Keras 3.0 signature)."""
import numpy as np

import kfront as keras
from kfront import layers, ops


class Distiller(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.teacher = teacher
        self.student = student

    def compile(self, optimizer=None, metrics=None, student_loss_fn=None,
                distillation_loss_fn=None, alpha=0.1, temperature=3):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.alpha = alpha
        self.temperature = temperature

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
        teacher_pred = self.teacher(x, training=False)
        student_loss = self.student_loss_fn(y, y_pred)
        distillation_loss = self.distillation_loss_fn(
            ops.softmax(teacher_pred / self.temperature, axis=1),
            ops.softmax(y_pred / self.temperature, axis=1),
        ) * (self.temperature ** 2)
        return self.alpha * student_loss + (1 - self.alpha) * distillation_loss

    def call(self, x):
        return self.student(x)


def mlp(width, name):
    return keras.Sequential([keras.Input((6,)), layers.Dense(width, activation="relu"),
                             layers.Dense(3)], name=name)


def test_student_learns_from_teacher_with_a_keras30_compute_loss():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(192, 6)).astype("float32")
    y = np.argmax(x[:, :3] + 0.5 * x[:, 3:], axis=1)
    teacher = mlp(32, "teacher")
    teacher.compile(keras.optimizers.Adam(0.02),
                    keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    teacher.fit(x, y, epochs=15, batch_size=32, verbose=0)
    student = mlp(8, "student")
    distiller = Distiller(student=student, teacher=teacher)
    distiller.compile(optimizer=keras.optimizers.Adam(0.02),
                      metrics=[keras.metrics.SparseCategoricalAccuracy()],
                      student_loss_fn=keras.losses.SparseCategoricalCrossentropy(
                          from_logits=True),
                      distillation_loss_fn=keras.losses.KLDivergence(), alpha=0.1,
                      temperature=3)
    history = distiller.fit(x, y, epochs=10, batch_size=32, verbose=0).history
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["sparse_categorical_accuracy"][-1] > 0.65
    # evaluate() reaches the same override (no `training` passed to it either).
    loss = distiller.evaluate(x[:32], y[:32], verbose=0, return_dict=True)["loss"]
    t, s = teacher.predict(x[:32], verbose=0), student.predict(x[:32], verbose=0)

    def softmax(a):
        e = np.exp(a - a.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    pt, ps = softmax(t / 3), softmax(s / 3)
    kl = np.mean(np.sum(pt * np.log(pt / ps), axis=1)) * 9
    ce = np.mean(-np.log(softmax(s)[np.arange(32), y[:32]]))
    np.testing.assert_allclose(loss, 0.1 * ce + 0.9 * kl, rtol=1e-3)
